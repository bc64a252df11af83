"""Nobody reads another person's direct messages, owners and admins included, except the two
admins of an approved legal hold, within its time range, while it is in force, each page read
in the audit log. The one other way in: a recipient who reports a direct message shows it to
the moderators. A hold needs a second admin; the person is told (now, or at the latest when it
ends); and while it is in force their data is held from deletion."""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from mail_support import text_of

from zwitscher.db.engine import Database
from zwitscher.db.schema import statuses
from zwitscher.db.uow import UnitsOfWork
from zwitscher.policies.legal_holds import held_status
from zwitscher.settings import Settings

from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

HOLDS = "/web/admin/legal-holds"


@pytest.fixture(scope="module")
def cast(server, users):
    """Owner, admins, a moderator, a group's moderator (of Alice's group), someone else; Alice
    wrote Bob a direct message with a word nobody else wrote."""
    owner, admin, other_admin = (users.create(role="owner"), users.create(role="admin"),
                                 users.create(role="admin"))
    moderator, keeper, member = users.create(role="moderator"), users.create(), users.create()
    alice, bob = users.create(display_name="Alice"), users.create()
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Team Alice", "slug": f"team-{secrets.token_hex(3)}"}).json()
    for person, role in ((alice, "member"), (keeper, "moderator")):
        admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
            "account_ids[]": [person.id], "role": role}).raise_for_status()
    secret = "w" + secrets.token_hex(6)
    dm = alice.api.status_post(f"@{bob.username} {secret}", visibility="direct")
    return {"owner": owner, "admin": admin, "other_admin": other_admin,
            "moderator": moderator, "keeper": keeper, "member": member,
            "alice": alice, "bob": bob, "secret": secret, "dm": dm}


def _days(**offsets: int) -> dict[str, str]:
    today = datetime.now(UTC).date()
    return {name: (today + timedelta(days=offset)).isoformat()
            for name, offset in offsets.items()}


def _open_hold(web: WebClient, username: str, reference: str, **fields: str):
    form = {"username": username, "reason": "Verdacht auf Geheimnisverrat",
            "reference": reference, "tell": "approved",
            **_days(messages_from=-7, messages_until=0, ends_on=30), **fields}
    return web.submit(HOLDS, HOLDS, form)


def _hold_id(page) -> str:
    return re.search(rf"{HOLDS}/(\d+)", str(page.url)).group(1)


async def _nothing(_messages) -> None:
    return None


def _held(engine_env, status_ids: list[str]) -> tuple[set[int], set[int]]:
    """What deletion is told to leave alone: the held accounts, and which of these statuses."""
    settings = Settings(data_dir=engine_env["ZWITSCHER_DATA_DIR"],
                        database_url=engine_env.get("ZWITSCHER_DATABASE_URL"))

    async def read():
        database = Database(settings)
        try:
            uows = UnitsOfWork(database, publisher=_nothing, on_jobs_enqueued=lambda: None)
            async with uows.read() as uow:
                kept = await uow.conn.execute(sa.select(statuses.c.id).where(
                    statuses.c.id.in_([int(i) for i in status_ids]), held_status()))
                return await uow.legal_holds.held_account_ids(), set(kept.scalars())
        finally:
            await database.dispose()

    return asyncio.run(read())


def _notified(person, type: str) -> list[dict]:
    return [n for n in person.http.get("/api/v1/notifications").json() if n["type"] == type]


# Without a hold, nobody reads them.

def _leaks(server, viewer, cast) -> list[str]:
    """Every way `viewer` might come across Alice's direct message to Bob that finds it."""
    alice, dm_id, secret = cast["alice"], cast["dm"]["id"], cast["secret"]
    api = viewer.http
    found = [f"{path} {answer.status_code}" for path in (
        f"/api/v1/statuses/{dm_id}", f"/api/v1/statuses/{dm_id}/context",
        f"/api/v1/statuses/{dm_id}/history", f"/api/v1/statuses/{dm_id}/favourited_by")
        if (answer := api.get(path)).status_code != 404]
    found += [f"POST {path}" for path in (f"/api/v1/statuses/{dm_id}/favourite",
                                          f"/api/v1/statuses/{dm_id}/bookmark")
              if api.post(path).status_code != 404]
    for path, params in (
            ("/api/v1/statuses", {"id[]": dm_id}),
            (f"/api/v1/accounts/{alice.id}/statuses", {}),
            ("/api/v2/search", {"q": secret, "type": "statuses"}),
            ("/api/v1/conversations", {}), ("/api/v1/notifications", {}),
            ("/api/v1/timelines/home", {}), ("/api/v1/timelines/public", {}),
            ("/api/v1/favourites", {}), ("/api/v1/bookmarks", {}),
            ("/api/v1/admin/reports", {}), ("/api/v1/admin/reports", {"resolved": "true"}),
            ("/api/zwitscher/v1/admin/audit_log", {}),
            (f"/api/zwitscher/v1/admin/accounts/{alice.id}/quality", {})):
        if secret in api.get(path, params=params).text:
            found.append(f"{path} {params}")
    web = signed_in(server, viewer)
    found += [path for path in (f"/@{alice.username}/{dm_id}", f"/web/statuses/{dm_id}/edit",
                                f"/web/statuses/{dm_id}/delete")
              if web.get(path).status_code != 404]
    if f'id="status-{dm_id}"' in web.get("/web/search", params={"q": secret}).text:
        found.append("/web/search")  # which shows the words searched for, of course
    for path in (f"/@{alice.username}", f"/@{alice.username}.rss", "/web/home",
                 "/web/conversations", "/web/notifications", "/web/admin",
                 "/web/admin/reports", "/web/admin/reports?resolved=true",
                 f"/web/admin/people/{alice.id}", "/web/admin/audit", "/web/admin/audit.csv",
                 HOLDS):
        if secret in web.get(path).text:
            found.append(path)
    web.close()
    return found


def test_nobody_reads_another_persons_direct_message_without_a_hold(server, cast):
    for role in ("owner", "admin", "moderator", "keeper", "member"):
        assert _leaks(server, cast[role], cast) == [], role
    assert cast["bob"].http.get(f"/api/v1/statuses/{cast['dm']['id']}").status_code == 200


def test_a_direct_message_its_recipient_reports_is_shown_to_the_moderators(server, cast):
    alice, bob, member = cast["alice"], cast["bob"], cast["member"]
    secret = "w" + secrets.token_hex(6)
    dm = alice.api.status_post(f"@{bob.username} {secret}", visibility="direct")
    # Only someone who received it can attach it.
    assert member.http.post("/api/v1/reports", data={
        "account_id": alice.id, "status_ids[]": dm["id"]}).status_code == 422
    report = bob.http.post("/api/v1/reports", data={
        "account_id": alice.id, "status_ids[]": dm["id"], "category": "violation"})
    assert report.status_code == 200, report.text
    path = f"/api/v1/admin/reports/{report.json()['id']}"
    assert secret in cast["moderator"].http.get(path).text
    assert secret in signed_in(server, cast["keeper"]).get(
        f"/web/admin/reports/{report.json()['id']}").text
    # The report shows the message; it opens no other way to it.
    for path in (f"/api/v1/statuses/{dm['id']}", f"/api/v1/statuses/{dm['id']}/context"):
        assert cast["moderator"].http.get(path).status_code == 404


# Opening and deciding: two admins.

def test_a_hold_is_opened_by_an_owner_or_admin_and_decided_by_another(server, cast,
                                                                        new_user):
    person = new_user()
    for role in ("moderator", "keeper", "member"):
        web = signed_in(server, cast[role])
        assert web.get(HOLDS).status_code == 403, role
        token = csrf_of(web.get("/web/home"))
        refused = web.http.post(HOLDS, data={"csrf": token, "username": person.username,
                                             "reason": "x", "reference": f"AZ-{role}",
                                             **_days(messages_from=-1, messages_until=0,
                                                     ends_on=1)})
        assert refused.status_code == 403, role
    admin = signed_in(server, cast["admin"])
    for fields, problem in (
            ({"reason": " "}, "Please give the reason for the legal hold"),
            (_days(messages_from=1), "must not be after their last day, nor in the future"),
            (_days(ends_on=-1), "A legal hold must end in the future"),
            ({"tell": "later"}, "Please say why the person is not told yet")):
        answer = _open_hold(admin, person.username, "AZ-refused", **fields)
        assert answer.status_code == 422 and problem in answer.text, fields
    own = _open_hold(admin, cast["admin"].username, "AZ-own")
    assert own.status_code == 403 and "on their own account" in own.text
    owners = _open_hold(admin, cast["owner"].username, "AZ-owner")
    assert owners.status_code == 403
    assert "Only owners handle a legal hold on an owner" in owners.text
    listed = admin.get(HOLDS).text
    assert not any(f"AZ-{name}" in listed for name in ("refused", "own", "moderator", "keeper",
                                                       "member"))

    opened = _open_hold(admin, person.username, "AZ 1 BvR 42/26")
    assert "Another owner or admin must approve it" in opened.text
    case = f"{HOLDS}/{_hold_id(opened)}"
    assert "waiting for a second admin" in opened.text and f"{case}/approve" not in opened.text
    refused = admin.submit(case, f"{case}/approve", {})
    assert refused.status_code == 403 and "not the one who opened the legal hold" in refused.text
    assert admin.get(f"{case}/messages").status_code == 403
    moderator = signed_in(server, cast["moderator"])
    assert moderator.http.post(f"{case}/approve", data={
        "csrf": csrf_of(moderator.get("/web/home"))}).status_code == 403
    assert int(person.id) not in _held(server.env, [])[0]

    other = signed_in(server, cast["other_admin"])
    overview = other.get("/web/admin").text
    assert "legal hold to decide" in overview or "legal holds to decide" in overview
    rejected = other.submit(case, f"{case}/reject", {"note": "Kein Beschluss beigefügt"})
    assert "The legal hold is rejected." in rejected.text and "Kein Beschluss" in rejected.text
    assert other.get(f"{case}/messages").status_code == 403
    assert _notified(person, "legal_hold.placed") == []
    german = signed_in(server, cast["owner"])
    german.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    assert "Legal Hold eröffnen" in german.get(HOLDS).text
    german.submit("/web/home", "/web/language", {"language": "en", "back": "/web/home"})


# An approved hold.

def test_the_admins_of_an_approved_hold_read_its_direct_messages_and_each_read_is_logged(
        server, cast, new_user, mailbox):
    person, partner = new_user(display_name="Petra"), new_user()
    before = person.api.status_post(f"@{partner.username} vorher", visibility="direct")
    answer = partner.api.status_post(f"@{person.username} Antwort", visibility="direct")
    public = person.api.status_post("Öffentlich")
    admin, owner = signed_in(server, cast["admin"]), signed_in(server, cast["owner"])
    hold_id = _hold_id(_open_hold(admin, person.username, "AG Köln 7 Ca 12/26"))
    case = f"{HOLDS}/{hold_id}"
    after = person.api.status_post(f"@{partner.username} nachher", visibility="direct")

    approved = owner.submit(case, f"{case}/approve", {})
    assert "The legal hold is in force." in approved.text
    ids = [before["id"], answer["id"], after["id"], public["id"]]
    held_accounts, held_statuses = _held(server.env, ids)
    assert int(person.id) in held_accounts and int(partner.id) not in held_accounts
    assert held_statuses == {int(before["id"]), int(answer["id"]), int(public["id"])}

    for reader in (owner, admin):
        page = reader.get(f"{case}/messages")
        assert page.status_code == 200
        shown = set(re.findall(r'id="status-(\d+)"', page.text))
        assert shown == {before["id"], answer["id"]}  # not the later one, not the public post
    for outsider in ("other_admin", "moderator"):
        assert signed_in(server, cast[outsider]).get(f"{case}/messages").status_code == 403

    log = cast["owner"].http.get("/api/zwitscher/v1/admin/audit_log", params={
        "target_type": "legal_hold", "target_id": hold_id}).json()
    reads = [entry for entry in log if entry["action"] == "legal_hold.messages_viewed"]
    assert [entry["actor"] for entry in reads] == [  # newest first
        f"@{cast['admin'].username}", f"@{cast['owner'].username}"]
    assert all(sorted(entry["details"]["status_ids"]) == sorted([before["id"], answer["id"]])
               for entry in reads)
    case_page = owner.get(case).text
    assert case_page.count("read direct messages") == 2 and "2 messages" in case_page

    notice = _notified(person, "legal_hold.placed")
    assert [n["account"]["id"] for n in notice] == [cast["owner"].id]
    mail = mailbox.wait_for(person.email)
    assert mail["Subject"].startswith("A legal hold was placed on your account")
    assert "AG Köln 7 Ca 12/26" in text_of(mail) and "Verdacht" not in text_of(mail)

    closed = admin.submit(case, f"{case}/close", {})
    assert "Nobody reads the messages any more." in closed.text
    assert owner.get(f"{case}/messages").status_code == 403
    assert int(person.id) not in _held(server.env, [])[0]
    assert len(_notified(person, "legal_hold.ended")) == 1
    assert mailbox.wait_for(person.email, count=2)["Subject"].startswith(
        "The legal hold on your account")


def test_a_hold_may_wait_to_tell_the_person_who_learns_of_it_when_it_ends(server, cast,
                                                                         new_user, mailbox):
    person = new_user()
    admin, other = signed_in(server, cast["admin"]), signed_in(server, cast["other_admin"])
    opened = _open_hold(admin, person.username, "BR-Beschluss 2026/3", tell="later",
                        notice_deferred_because="Die Ermittlungen laufen noch")
    case = f"{HOLDS}/{_hold_id(opened)}"
    approved = other.submit(case, f"{case}/approve", {})
    assert "is not told yet: Die Ermittlungen laufen noch" in approved.text
    assert _notified(person, "legal_hold.placed") == []
    assert int(person.id) in _held(server.env, [])[0]

    other.submit(case, f"{case}/close", {})
    assert len(_notified(person, "legal_hold.ended")) == 1
    mail = text_of(mailbox.wait_for(person.email))
    assert "BR-Beschluss 2026/3" in mail and "Die Ermittlungen laufen noch" in mail
    assert "You were not told while it was in force" in mail
