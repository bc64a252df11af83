"""A person deletes their own account in the web settings: at once they are signed out and
hidden; signing in with their password, or an admin, keeps the account; after the grace period
(or at once, by an admin) their data goes, the username stays taken."""

from __future__ import annotations

import re
from types import SimpleNamespace

import httpx
import pyotp
import pytest
from mail_support import text_of
from mastodon import MastodonUnauthorizedError

from zwitscher.policies.account_deletion import Refusal, deletion_refused

from media_support import image_bytes, stored_files, upload
from streams import SseStream
from support import PASSWORD, UserFactory, fresh_instance, home_ids, in_home, wait_until
from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

DELETE = "/web/settings/delete"
KEEP = "/web/sign-in/keep"


def _delete(web: WebClient, password: str = PASSWORD, **fields: str) -> httpx.Response:
    return web.submit(DELETE, DELETE, {"password": password, "confirm": "yes", **fields})


def _act(web: WebClient, person_id: str, action: str, **fields: str) -> httpx.Response:
    return web.submit(f"/web/admin/people/{person_id}", f"/web/admin/people/{person_id}/{action}",
                      fields)


def _password_grant(server, users: UserFactory, login: str) -> httpx.Response:
    return httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": login, "password": PASSWORD,
        "client_id": users.client_id, "client_secret": users.client_secret, "scope": "read"})


def test_a_deleted_account_is_signed_out_hidden_and_told_its_date(server, users, new_user,
                                                                     browser_of, web, mailbox):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    alice.api.account_follow(bob.id)
    post = alice.api.status_post("Bald bin ich weg")
    assert in_home(bob, str(post.id))
    settings = browser_of(alice)
    assert "30 days later" in settings.get(DELETE).text
    wrong = _delete(settings, password="not my password")
    assert wrong.status_code == 422 and "The current password is wrong" in wrong.text
    unticked = _delete(settings, confirm="")
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    assert str(alice.api.account_verify_credentials().id) == alice.id

    done = _delete(settings)
    assert done.url.path == "/web/sign-in" and "Your account is deleted" in done.text
    with pytest.raises(MastodonUnauthorizedError):
        alice.api.account_verify_credentials()
    for path in (f"/api/v1/accounts/{alice.id}", f"/api/v1/accounts/{alice.id}/statuses",
                 f"/api/v1/statuses/{post.id}", f"/api/v1/statuses/{post.id}/context"):
        assert bob.http.get(path).status_code == 404, path
    assert bob.http.get("/api/v1/accounts/lookup",
                        params={"acct": alice.username}).status_code == 404
    assert web.get(f"/@{alice.username}").status_code == 404
    assert str(post.id) not in home_ids(bob)
    assert alice.username not in bob.http.get("/api/v1/accounts/search",
                                              params={"q": alice.username}).text
    assert alice.id not in bob.http.get(f"/api/v1/accounts/{bob.id}/followers").text

    mail = mailbox.wait_for(alice.email)
    assert "will be deleted" in mail["Subject"]
    assert f"{server.base_url}/web/sign-in" in text_of(mail) and "UTC" in text_of(mail)
    # Apps no longer get in; the web offers to keep the account instead of the app.
    assert _password_grant(server, users, alice.email).status_code == 400
    offered = WebClient(server.base_url).sign_in(alice.username)
    assert offered.url.path == KEEP and "scheduled for deletion on" in offered.text


def test_a_deleted_account_leaves_others_notifications_and_follow_requests_until_kept(
        server, new_user, browser_of):
    ada, cleo, bob, dan = new_user(), new_user(locked=True), new_user(), new_user()
    bob.api.account_follow(ada.id)
    dan.api.account_follow(ada.id)
    bob.api.account_follow(cleo.id)
    ada_web, cleo_web = browser_of(ada), browser_of(cleo)

    def what_ada_and_cleo_see() -> tuple:
        (follows,) = ada.http.get("/api/v2/notifications").json()["notification_groups"]
        cleo_page = cleo_web.get("/web/notifications").text
        return (
            [n["account"]["id"] for n in ada.http.get("/api/v1/notifications").json()],
            ada.http.get("/api/v1/notifications/unread_count").json()["count"],
            (follows["notifications_count"], follows["sample_account_ids"]),
            f"/@{bob.username}" in ada_web.get("/web/notifications").text,
            [account["id"] for account in cleo.http.get("/api/v1/follow_requests").json()],
            cleo.http.get("/api/v1/accounts/verify_credentials").json()["source"][
                "follow_requests_count"],
            f"/web/follow_requests/{bob.id}/authorize" in cleo_page,
        )

    with_bob = ([dan.id, bob.id], 2, (2, [dan.id, bob.id]), True, [bob.id], 1, True)
    assert what_ada_and_cleo_see() == with_bob
    _delete(browser_of(bob))
    assert what_ada_and_cleo_see() == ([dan.id], 1, (1, [dan.id]), False, [], 0, False)
    keeper = WebClient(server.base_url)
    assert keeper.sign_in(bob.username).url.path == KEEP
    assert keeper.submit(KEEP, KEEP, {}).url.path == "/web/home"
    assert what_ada_and_cleo_see() == with_bob


def _turn_on_two_factors(web: WebClient) -> list[str]:
    """As a person does on the security page; the recovery codes."""
    page = web.get("/web/settings/security")
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text).group(1)
    done = web.http.post("/web/settings/security", data={
        "csrf": csrf_of(page), "action": "enable", "secret": secret,
        "code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    return re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", done.text)


def test_signing_in_with_the_password_and_code_keeps_the_account(server, new_user, browser_of):
    carol, dan = new_user(), new_user()
    post = carol.api.status_post("Doch nicht")
    settings = browser_of(carol)
    recovery_codes = _turn_on_two_factors(settings)
    _delete(settings)
    assert dan.http.get(f"/api/v1/statuses/{post.id}").status_code == 404
    keeper = WebClient(server.base_url)
    assert keeper.sign_in(carol.username, "wrong password").status_code == 401
    nothing_waits = keeper.get(KEEP)
    assert nothing_waits.status_code == 401 and "enter your password again" in nothing_waits.text
    offered = keeper.sign_in(carol.username)
    assert offered.url.path == KEEP and "Code from your authenticator app" in offered.text
    wrong = keeper.submit(KEEP, KEEP, {"code": "000000"})
    assert wrong.status_code == 422 and "The code is wrong" in wrong.text
    assert dan.http.get(f"/api/v1/statuses/{post.id}").status_code == 404
    kept = keeper.submit(KEEP, KEEP, {"code": recovery_codes[0]})
    assert kept.url.path == "/web/home" and kept.status_code == 200
    assert dan.http.get(f"/api/v1/statuses/{post.id}").status_code == 200
    assert dan.http.get(f"/api/v1/accounts/{carol.id}").status_code == 200
    # The old tokens stay revoked, as after a deactivation.
    with pytest.raises(MastodonUnauthorizedError):
        carol.api.account_verify_credentials()


def test_owners_are_refused_and_keep_their_account(new_user, browser_of):
    owner = new_user(role="owner")
    settings = browser_of(owner)
    page = settings.get(DELETE)
    assert "An owner cannot delete their account" in page.text
    assert 'name="password"' not in page.text
    refused = _delete(settings)
    assert refused.status_code == 403 and "An owner cannot delete" in refused.text
    assert str(owner.api.account_verify_credentials().id) == owner.id


def test_people_the_directory_manages_ask_an_administrator():
    def person(**differences: str) -> SimpleNamespace:
        return SimpleNamespace(**{"external_id": None, "directory_user_name": None,
                                  "role": "member", **differences})

    assert deletion_refused(person()) is None
    assert deletion_refused(person(external_id="E-1")) is Refusal.DIRECTORY
    assert deletion_refused(person(directory_user_name="ada@corp.example")) is Refusal.DIRECTORY
    assert deletion_refused(person(role="owner")) is Refusal.OWNER


def test_admins_keep_a_deleted_account_or_delete_it_at_once(server, new_user, browser_of):
    admin, erin = new_user(role="admin"), new_user()
    post = erin.api.status_post("Einmal hin und zurück")
    _delete(browser_of(erin))
    console = browser_of(admin)
    assert "Scheduled for deletion" in console.get(f"/web/admin/people/{erin.id}").text
    kept = _act(console, erin.id, "cancel-deletion")
    assert "The deletion is cancelled" in kept.text
    assert admin.http.get(f"/api/v1/statuses/{post.id}").status_code == 200
    back = WebClient(server.base_url)
    assert back.sign_in(erin.username).url.path == "/web/home"

    _delete(back)
    unconfirmed = _act(console, erin.id, "delete-now")
    assert unconfirmed.status_code == 422
    assert "being deleted now" in _act(console, erin.id, "delete-now", confirm="yes").text
    assert wait_until(lambda: console.get(f"/web/admin/people/{erin.id}").status_code == 404)
    assert admin.http.get(f"/api/v1/statuses/{post.id}").status_code == 404
    audit = console.get("/web/admin/audit", params={"actor": erin.username}).text
    assert "account.deletion_requested" in audit and "account.deletion_cancelled" in audit
    done = console.get("/web/admin/audit", params={"action": "account.deleted"}).text
    assert "scheduled deletion" in done and erin.username in done


@pytest.fixture(scope="module")
def brief(tmp_path_factory, mailbox):
    """An instance whose operator gives deleted accounts a grace period of two seconds."""
    with fresh_instance(tmp_path_factory.mktemp("brief-grace"), ZWITSCHER_SMTP_URL=mailbox.url,
                        ZWITSCHER_ACCOUNT_DELETION_GRACE_SECONDS="2") as running:
        yield running


def test_after_the_grace_period_the_data_goes_and_the_username_stays_taken(brief):
    people = UserFactory(brief)
    frank, gina = people.create(), people.create()
    frank.api.account_follow(gina.id)
    gina.api.account_follow(frank.id)
    media = upload(frank, image_bytes("png")).json()
    post = frank.api.status_post("Mit Bild", media_ids=[media["id"]])
    assert in_home(gina, str(post.id))
    gina.api.status_reblog(post.id)
    hers = gina.api.status_post("Hallo Frank")
    frank.api.status_favourite(hers.id)
    frank.api.status_reblog(hers.id)
    frank.api.status_bookmark(hers.id)
    files_before = stored_files(brief)
    assert files_before
    stream = SseStream(brief.base_url, "/api/v1/streaming/user", gina.token, {})
    try:
        _delete(signed_in(brief, frank))
        stream.wait_for("delete", lambda data: data == str(post.id))
    finally:
        stream.close()

    def counts() -> tuple:
        mine = gina.http.get(f"/api/v1/accounts/{gina.id}").json()
        status = gina.http.get(f"/api/v1/statuses/{hers.id}").json()
        return (mine["followers_count"], mine["following_count"],
                status["favourites_count"], status["reblogs_count"])

    assert wait_until(lambda: counts() == (0, 0, 0, 0)), counts()
    assert gina.http.get(f"/api/v1/statuses/{post.id}").status_code == 404
    assert str(post.id) not in home_ids(gina)
    assert wait_until(lambda: not stored_files(brief) & files_before)
    taken = httpx.post(f"{brief.base_url}/api/v1/accounts", headers={
        "Authorization": f"Bearer {people.app_token()}"}, data={
        "username": frank.username, "email": "someone.else@example.org", "password": PASSWORD,
        "agreement": "true", "locale": "en"})
    assert taken.status_code == 422 and "taken" in taken.text
    assert WebClient(brief.base_url).sign_in(frank.username).status_code == 401
