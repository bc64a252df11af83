"""Signing in with the organisation's LDAP directory: Debian's OpenLDAP `slapd` started on
loopback (StartTLS and LDAPS with a certificate of its own), a real server on each engine, the
web form and Mastodon.py's password grant. People the directory knows get an account, their
groups and role; imported people are linked by address; hostile logins find nobody; and a
directory that cannot be used locks out nobody but its own people."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import itertools
import json
import re
import time
from pathlib import Path

import pyotp
import pytest
from ldap_support import Slapd, require_slapd
from mastodon import Mastodon

from support import PASSWORD, fresh_instance
from web_support import WebClient, csrf_of

require_slapd()
_people = itertools.count(1)
WRONG = "Your e-mail address, username or password is wrong."


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    with Slapd(tmp_path_factory.mktemp("slapd")) as running:
        running.add_group("zw-admins")
        yield running


def _instance(tmp_path_factory, name: str, **settings: str):
    return fresh_instance(tmp_path_factory.mktemp(name),
                          **settings)


@pytest.fixture(scope="module")
def server(tmp_path_factory, directory):
    """StartTLS, groups searched below ou=groups; the directory's zw-admins are admins."""
    with _instance(tmp_path_factory, "ldap", **directory.settings(
            ZWITSCHER_LDAP_START_TLS="true",
            ZWITSCHER_LDAP_ROLES=json.dumps({"admin": "zw-admins"}))) as running:
        import_people(running, ",,Press,,press,grp-press\n,,Archive,,archive,grp-archive\n")
        yield running


@pytest.fixture(scope="module")
def active_directory_like(tmp_path_factory, directory):
    """LDAPS, groups read from memberOf, no accounts made at sign-in."""
    with _instance(tmp_path_factory, "ldaps", **directory.settings(
            ZWITSCHER_LDAP_URL=directory.ldaps_url, ZWITSCHER_LDAP_GROUP_BASE="",
            ZWITSCHER_LDAP_CREATE_ACCOUNTS="false")) as running:
        yield running


@pytest.fixture(autouse=True)
def no_tracebacks(request):
    yield
    for name in ("server", "active_directory_like"):
        if name in request.fixturenames:
            assert "Traceback" not in request.getfixturevalue(name).log_text()


def import_people(server, rows: str) -> None:
    path = Path(server.env["ZWITSCHER_DATA_DIR"]) / f"import-{next(_people)}.csv"
    path.write_text("username,email,display_name,role,groups,external_id\n" + rows)
    server.cli("groups", "import", str(path))


def directory_rows(server) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(server.cli("groups", "export")))
    return {row["username"]: row for row in rows}


def password_mails(server) -> list[str]:
    """The subjects of the e-mails about passwords (welcome, reset) sent so far."""
    folder = Path(server.env["ZWITSCHER_DATA_DIR"]) / "mail"
    subjects = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                ["Subject"] for path in folder.glob("*.eml")]
    return [subject for subject in subjects if "password" in subject]


def new_uid(tag: str) -> str:
    return f"{tag}{next(_people)}"


def sign_in(server, login: str, password: str):
    web = WebClient(server.base_url)
    return web, web.sign_in(login, password)


def test_a_directory_person_signs_in_and_gets_their_account_groups_and_role(server,
                                                                            directory):
    uid = new_uid("lena")
    directory.add_person(uid, "lenas-directory-pw", mail=f"{uid}@corp.example",
                         name="Lena Leitner")
    directory.add_member_to("zw-admins", uid)
    web, home = sign_in(server, uid, "lenas-directory-pw")
    assert home.url.path == "/web/home", home.text
    assert f"@{uid}" in home.text
    row = directory_rows(server)[uid]
    assert row["email"] == f"{uid}@corp.example" and row["display_name"] == "Lena Leitner"
    assert row["role"] == "admin"
    sessions = web.get("/web/settings/sessions")
    assert "with the directory&#39;s password" in sessions.text
    # The directory decides: out of zw-admins, she is a member at her next sign-in; a new
    # password there is her password here, and the old one is no more.
    directory.remove_member("zw-admins", uid)
    directory.set_password(uid, "a-new-directory-pw")
    assert sign_in(server, uid, "lenas-directory-pw")[1].status_code == 401
    assert sign_in(server, uid, "a-new-directory-pw")[1].url.path == "/web/home"
    assert directory_rows(server)[uid]["role"] == "member"


def test_directory_groups_are_the_managed_groups_they_name(server, directory):
    uid = new_uid("paul")
    directory.add_person(uid, "pauls-pw", mail=f"{uid}@corp.example")
    directory.add_member_to("press", uid)
    assert sign_in(server, uid, "pauls-pw")[1].url.path == "/web/home"
    assert directory_rows(server)[uid]["groups"] == "press"
    # Out of press and into archive in the directory: so here, at the next sign-in.
    directory.remove_member("press", uid)
    directory.add_member_to("archive", uid)
    assert sign_in(server, uid, "pauls-pw")[1].url.path == "/web/home"
    assert directory_rows(server)[uid]["groups"] == "archive"


def test_an_imported_person_is_linked_by_address_and_has_no_password_of_their_own(server,
                                                                                 directory):
    name = new_uid("gina")
    before = password_mails(server)
    import_people(server, f"{name},{name}@corp.example,Gina Imported,,,E-{name}\n")
    # The directory signs her in: nobody sends her a link to choose a password.
    assert password_mails(server) == before
    directory.add_person(f"{name}.l", "ginas-pw", mail=f"{name}@corp.example")
    web, home = sign_in(server, f"{name}.l", "ginas-pw")
    assert home.url.path == "/web/home" and f"@{name}" in home.text
    # By address too; the password is the directory's alone.
    assert sign_in(server, f"{name}@corp.example", "ginas-pw")[1].url.path == "/web/home"
    forgot = web.submit("/web/password/forgot", "/web/password/forgot",
                        {"email": f"{name}@corp.example"})
    assert forgot.status_code == 200 and password_mails(server) == before
    change = web.submit("/web/settings/password", "/web/settings/password", {
        "current_password": "ginas-pw", "new_password": "my-own-password-now",
        "repeat_password": "my-own-password-now"})
    assert change.status_code == 403
    assert "organisation&#39;s directory password" in change.text
    settings = web.get("/web/settings/password").text
    assert "It is changed there" in settings
    assert "directory manages your address" in settings
    assert sign_in(server, name, "my-own-password-now")[1].status_code == 401


def test_apps_sign_in_with_the_directory_password(server, directory):
    uid = new_uid("otto")
    directory.add_person(uid, "ottos-pw", mail=f"{uid}@corp.example")
    client_id, client_secret = Mastodon.create_app("ldap app", api_base_url=server.base_url,
                                                   scopes=["read"])
    app = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=server.base_url)
    app.log_in(uid, "ottos-pw", scopes=["read"], allow_http=True)
    assert app.account_verify_credentials()["username"] == uid


def test_a_second_factor_on_top_of_the_directory_password(server, directory):
    uid = new_uid("tara")
    directory.add_person(uid, "taras-pw", mail=f"{uid}@corp.example")
    web, _ = sign_in(server, uid, "taras-pw")
    page = web.get("/web/settings/security")
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text).group(1)
    fields = {"csrf": csrf_of(page), "action": "enable", "secret": secret,
              "code": pyotp.TOTP(secret).now()}
    # Turning it on is confirmed with the directory's password, not any other.
    assert web.http.post("/web/settings/security",
                         data={**fields, "password": PASSWORD}).status_code == 422
    assert web.http.post("/web/settings/security",
                         data={**fields, "password": "taras-pw"}).status_code == 200
    other, asked = sign_in(server, uid, "taras-pw")
    assert asked.url.path == "/web/sign-in/code"
    # The next step's code: the one that turned it on was used.
    home = other.submit("/web/sign-in/code", "/web/sign-in/code",
                        {"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert home.url.path == "/web/home", home.text
    assert "with the directory&#39;s password and a code" in other.get(
        "/web/settings/sessions").text


def test_hostile_logins_find_nobody(server, directory):
    uid = new_uid("ivan")
    directory.add_person(uid, "ivans-pw", mail=f"shared-{uid}@corp.example")
    directory.add_person(f"{uid}b", "ivans-pw", mail=f"shared-{uid}@corp.example")
    people = len(directory_rows(server))
    for login, password in [("*)(uid=*", "ivans-pw"), ("*", "ivans-pw"),
                            (f"{uid})(|(uid=*", "ivans-pw"), (f"{uid}*", "ivans-pw"),
                            (uid, ""), (uid, "wrong"),
                            # Two entries with one address: neither is signed in by it.
                            (f"shared-{uid}@corp.example", "ivans-pw")]:
        refused = sign_in(server, login, password)[1]
        assert refused.status_code == 401 and WRONG in refused.text, login
    assert len(directory_rows(server)) == people


def test_groups_from_member_of_over_ldaps_and_no_accounts_made(active_directory_like,
                                                               directory):
    import_people(active_directory_like, ",,Field,,field,grp-field\n")
    known = new_uid("ada")
    import_people(active_directory_like, f"{known},{known}@corp.example,Ada,,,\n")
    directory.add_person(known, "adas-pw", mail=f"{known}@corp.example")
    directory.add_member_to("field", known)
    assert sign_in(active_directory_like, known, "adas-pw")[1].url.path == "/web/home"
    assert directory_rows(active_directory_like)[known]["groups"] == "field"
    stranger = new_uid("sam")
    directory.add_person(stranger, "sams-pw", mail=f"{stranger}@corp.example")
    refused = sign_in(active_directory_like, stranger, "sams-pw")[1]
    assert refused.status_code == 403 and "There is no account for you here yet" in refused.text
    assert stranger not in directory_rows(active_directory_like)


def test_a_directory_that_cannot_be_used_locks_out_only_its_own_people(tmp_path_factory,
                                                                        directory):
    uid = new_uid("uwe")
    directory.add_person(uid, "uwes-pw", mail=f"{uid}@corp.example")
    # LDAPS with a certificate nobody here trusts: no password goes over that connection.
    settings = directory.settings(ZWITSCHER_LDAP_URL=directory.ldaps_url)
    del settings["ZWITSCHER_LDAP_CA_FILE"]
    with _instance(tmp_path_factory, "untrusted", **settings) as untrusted:
        untrusted.cli("accounts", "create", "owner", "--email", "owner@corp.example",
                      "--password", PASSWORD)
        assert sign_in(untrusted, "owner", PASSWORD)[1].url.path == "/web/home"
        refused = sign_in(untrusted, uid, "uwes-pw")[1]
        assert refused.status_code == 503
        assert "The sign-in service cannot be reached" in refused.text
        assert "LDAP: the directory cannot be used" in untrusted.log_text()
