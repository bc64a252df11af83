"""The console's Announcements, Custom emojis, Instance, Audit log and Directory sync parts,
without JavaScript: admins write, schedule, change, end and delete announcements; add, change
and remove emojis; read the instance's settings; filter, page and export the audit log; issue
and revoke SCIM tokens and see what the directory did. Everyone else is refused (403) and
nothing changes; forms without their CSRF token change nothing; bad input is explained.

The server is shared, so each test names what it makes uniquely and looks for its own.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import secrets
from pathlib import Path

import httpx
import pytest

from zwitscher.services.read_audit_log import KNOWN_ACTIONS
from zwitscher.web.pages.admin_audit import safe_cell

from media_support import image_bytes
from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")

ANNOUNCEMENTS = "/web/admin/announcements"
EMOJIS = "/web/admin/emojis"
AUDIT = "/web/admin/audit"
DIRECTORY = "/web/admin/directory"
ADMIN_ANNOUNCEMENTS_API = "/api/zwitscher/v1/admin/announcements"
ADMIN_EMOJIS_API = "/api/zwitscher/v1/admin/custom_emojis"
PAGES = (ANNOUNCEMENTS, EMOJIS, "/web/admin/instance", AUDIT, AUDIT + ".csv", DIRECTORY)


def _console(server, user, language: str = "en") -> WebClient:
    web = WebClient(server.base_url, language=language)
    web.sign_in(user.username)
    if language != "en":  # the person's setting wins over the browser's
        web.submit("/web/home", "/web/language", {"language": language, "back": "/web/home"})
    return web


def _section(page: httpx.Response, state: str) -> str:
    """The HTML of one part of the announcements page: current, scheduled or ended."""
    start = page.text.index(f'id="{state}-heading"')
    end = page.text.index("</section>", start)
    return page.text[start:end]


def _png() -> bytes:
    return image_bytes("PNG", (64, 64), mode="RGBA", color=(250, 200, 0, 255))


def _add_emoji(web: WebClient, shortcode: str, data: bytes | None = None,
               **fields) -> httpx.Response:
    token = csrf_of(web.get(EMOJIS))
    return web.http.post(EMOJIS, data={"csrf": token, "shortcode": shortcode,
                                       "visible_in_picker": "on", **fields},
                         files={"image": ("emoji.png", _png() if data is None else data,
                                          "image/png")})


def _emoji(admin, shortcode: str) -> dict | None:
    found = [e for e in admin.http.get(ADMIN_EMOJIS_API).json() if e["shortcode"] == shortcode]
    return found[0] if found else None


def _announcement(admin, text: str) -> dict | None:
    found = [a for a in admin.http.get(ADMIN_ANNOUNCEMENTS_API, params={"limit": 200}).json()
             if text in a["content"]]
    return found[0] if found else None


def _audit_actions(admin, **params) -> list[str]:
    return [entry["action"] for entry in admin.http.get(
        "/api/zwitscher/v1/admin/audit_log", params=params).json()]


# Announcements.

def test_an_admin_writes_schedules_edits_ends_and_deletes_announcements(server, new_user):
    admin, member = new_user(role="admin"), new_user()
    web = _console(server, admin)
    tag = secrets.token_hex(4)
    now_text, later_text = f"Canteen closed today {tag}", f"Staff party {tag}"
    created = web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {"text": now_text, "zone": "UTC"})
    assert created.status_code == 200 and "The announcement was saved." in created.text
    assert now_text in _section(created, "current")
    assert any(now_text in a["content"] for a in member.api.announcements())
    # Scheduled in Berlin's time: stored in UTC, shown and edited in Berlin's time again.
    scheduled = web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {
        "text": later_text, "starts_at": "2030-01-10T10:00", "ends_at": "2030-01-10T18:30",
        "zone": "Europe/Berlin"})
    part = _section(scheduled, "scheduled")
    assert later_text in part and "Jan 10, 2030, 10:00:00" in part and "Europe/Berlin" in part
    stored = _announcement(admin, later_text)
    assert stored["starts_at"].startswith("2030-01-10T09:00") and \
        stored["ends_at"].startswith("2030-01-10T17:30")
    assert later_text not in str(member.api.announcements())
    edit = web.get(f"{ANNOUNCEMENTS}/{stored['id']}")
    assert 'value="2030-01-10T10:00"' in edit.text and 'value="2030-01-10T18:30"' in edit.text
    saved = web.submit(f"{ANNOUNCEMENTS}/{stored['id']}", f"{ANNOUNCEMENTS}/{stored['id']}", {
        "text": later_text + " (bring a friend)", "starts_at": "2030-01-10T11:00",
        "ends_at": "2030-01-10T18:30", "zone": "Europe/Berlin"})
    assert "Your changes were saved." in saved.text
    assert _announcement(admin, "(bring a friend)")["starts_at"].startswith("2030-01-10T10:00")
    # Ending the current one: listed as ended, gone for everyone.
    current = _announcement(admin, now_text)
    ended = web.submit(ANNOUNCEMENTS, f"{ANNOUNCEMENTS}/{current['id']}/end", {})
    assert "The announcement has ended." in ended.text
    assert now_text in _section(ended, "ended") and now_text not in _section(ended, "current")
    assert now_text not in str(member.api.announcements())
    # Deleting asks first.
    confirm = web.get(f"{ANNOUNCEMENTS}/{stored['id']}/delete")
    assert "Delete this announcement?" in confirm.text and "bring a friend" in confirm.text
    deleted = web.submit(f"{ANNOUNCEMENTS}/{stored['id']}/delete",
                         f"{ANNOUNCEMENTS}/{stored['id']}/delete", {})
    assert "The announcement was deleted." in deleted.text and later_text not in deleted.text
    assert _announcement(admin, later_text) is None
    actions = _audit_actions(admin, target_type="announcement")
    assert {"announcement.created", "announcement.updated", "announcement.ended",
            "announcement.deleted"} <= set(actions)


def test_bad_announcements_are_explained_and_nothing_is_saved(server, new_user):
    admin = new_user(role="admin")
    web = _console(server, admin)
    tag = secrets.token_hex(4)
    cases = [
        ({"starts_at": "2030-05-02T12:00", "ends_at": "2030-05-01T12:00"},
         "ends_at must be after starts_at"),
        ({"starts_at": "tomorrow"}, "The start is not a date and time"),
        ({"ends_at": "1999-12-31T23:59"}, "The end is not a date and time"),
        ({"zone": "Mars/Olympus_Mons"}, "Choose a time zone from the list"),
        ({"text": "   "}, "Text can&#39;t be blank"),
        ({"text": "x" * 5001}, "Text is too long"),
    ]
    for fields, message in cases:
        text = f"Refused {tag} {message[:10]}"
        refused = web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS,
                             {"text": text, "zone": "UTC", **fields})
        assert refused.status_code == 422, fields
        assert message in refused.text, fields
        assert 'role="alert"' in refused.text
        # The form keeps what was typed.
        assert fields.get("starts_at", "") in refused.text
    assert not [a for a in admin.http.get(ADMIN_ANNOUNCEMENTS_API, params={"limit": 200}).json()
                if tag in a["content"]]
    german = _console(server, new_user(role="admin"), language="de")
    refused = german.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {
        "text": f"Falsch {tag}", "starts_at": "2030-05-02T12:00", "ends_at": "2030-05-01T12:00",
        "zone": "Europe/Berlin"})
    assert refused.status_code == 422 and "Das Ende muss nach dem Beginn" in refused.text
    # Editing into a bad state changes nothing either.
    made = web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {"text": f"Kept {tag}", "zone": "UTC"})
    assert made.status_code == 200
    kept = _announcement(admin, f"Kept {tag}")
    broken = web.submit(f"{ANNOUNCEMENTS}/{kept['id']}", f"{ANNOUNCEMENTS}/{kept['id']}", {
        "text": f"Changed {tag}", "starts_at": "2030-05-02T12:00",
        "ends_at": "2030-05-01T12:00", "zone": "UTC"})
    assert broken.status_code == 422 and f"Changed {tag}" in broken.text
    assert _announcement(admin, f"Kept {tag}")["ends_at"] is None
    # Ending one that is not showing, and unknown ids.
    scheduled = web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {
        "text": f"Later {tag}", "starts_at": "2031-01-01T00:00", "zone": "UTC"})
    assert scheduled.status_code == 200
    later = _announcement(admin, f"Later {tag}")
    not_showing = web.submit(ANNOUNCEMENTS, f"{ANNOUNCEMENTS}/{later['id']}/end", {})
    assert not_showing.status_code == 422 and "The announcement is not showing" in not_showing.text
    assert web.get(f"{ANNOUNCEMENTS}/123456789").status_code == 404
    assert web.get(f"{ANNOUNCEMENTS}/nonsense/delete").status_code == 404
    assert web.submit(ANNOUNCEMENTS, f"{ANNOUNCEMENTS}/123456789/delete", {}).status_code == 404


# Custom emojis.

def test_an_admin_adds_changes_and_removes_a_custom_emoji(server, new_user):
    admin = new_user(role="admin")
    web = _console(server, admin)
    shortcode = f"party_{secrets.token_hex(3)}"
    added = _add_emoji(web, shortcode, category="Office")
    assert added.status_code == 200 and "The emoji was added." in added.text
    assert f"<code>:{shortcode}:</code>" in added.text
    emoji = _emoji(admin, shortcode)
    assert emoji["category"] == "Office" and emoji["visible_in_picker"]
    image = web.get(re.search(rf'src="([^"]+)"[^>]*>\s*<code>:{shortcode}:', added.text).group(1))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    changed = web.submit(EMOJIS, f"{EMOJIS}/{emoji['id']}", {"category": "Fun", "enabled": "on"})
    assert "Your changes were saved." in changed.text
    emoji = _emoji(admin, shortcode)
    assert emoji["category"] == "Fun" and not emoji["visible_in_picker"] and not emoji["disabled"]
    out_of_use = web.submit(EMOJIS, f"{EMOJIS}/{emoji['id']}", {"category": "Fun"})
    assert "Not in use" in out_of_use.text and _emoji(admin, shortcode)["disabled"]
    confirm = web.get(f"{EMOJIS}/{emoji['id']}/delete")
    assert f"Remove :{shortcode}:?" in confirm.text
    removed = web.submit(f"{EMOJIS}/{emoji['id']}/delete", f"{EMOJIS}/{emoji['id']}/delete", {})
    assert "The emoji was removed." in removed.text and f":{shortcode}:" not in removed.text
    assert _emoji(admin, shortcode) is None
    assert {"custom_emoji.created", "custom_emoji.updated", "custom_emoji.deleted"} <= set(
        _audit_actions(admin, target_type="custom_emoji"))


def test_bad_emojis_are_explained_and_nothing_is_added(server, new_user):
    admin = new_user(role="admin")
    web = _console(server, admin)
    taken = f"taken_{secrets.token_hex(3)}"
    assert _add_emoji(web, taken).status_code == 200
    fresh = f"fresh_{secrets.token_hex(3)}"
    cases = [
        (taken, None, {}, 422, "Shortcode has already been taken"),
        (fresh, b"this is no picture at all", {}, 422, "is not a JPEG, PNG, GIF or WebP image"),
        (fresh, b"", {}, 422, "Choose a picture for the emoji"),
        (fresh, b"\x89PNG" + bytes(300 * 1024), {}, 413, "The picture is larger than 256 KB"),
        ("no spaces allowed", None, {}, 422, "Shortcode must be 2 to 64 letters"),
        (fresh, None, {"category": "c" * 65}, 422, "Category is too long"),
    ]
    for shortcode, data, fields, status, message in cases:
        refused = _add_emoji(web, shortcode, data, **fields)
        assert refused.status_code == status, (shortcode, message)
        assert message in refused.text, message
        assert 'role="alert"' in refused.text
    assert _emoji(admin, fresh) is None
    assert [e["shortcode"] for e in admin.http.get(ADMIN_EMOJIS_API).json()].count(taken) == 1
    emoji = _emoji(admin, taken)
    too_long = web.submit(EMOJIS, f"{EMOJIS}/{emoji['id']}", {"category": "c" * 65})
    assert too_long.status_code == 422 and _emoji(admin, taken)["category"] is None
    assert web.submit(EMOJIS, f"{EMOJIS}/987654321", {"category": "x"}).status_code == 404


# Instance.

def test_the_instance_page_shows_the_settings_in_effect(server, new_user):
    """Changing them is tested on an instance of its own (tests/test_web_admin_instance.py):
    here the shared server's sign-up must stay open."""
    web = _console(server, new_user(role="admin"))
    page = web.get("/web/admin/instance")
    assert page.status_code == 200
    title = httpx.get(f"{server.base_url}/api/v1/instance").json()["title"]
    assert f'name="title" required maxlength="100" value="{title}"' in page.text
    assert 'value="open" aria-describedby="registrations-open-hint" checked' in page.text
    german = _console(server, new_user(role="admin"), language="de").get("/web/admin/instance")
    assert "Wer sich registrieren darf" in german.text


# Audit log.

def test_the_audit_log_filters_by_who_what_and_when_and_pages(server, new_user):
    admin, other = new_user(role="admin"), new_user(role="admin")
    web = _console(server, admin)
    shortcode = f"audit_{secrets.token_hex(3)}"
    assert _add_emoji(web, shortcode).status_code == 200
    emoji = _emoji(admin, shortcode)
    for number in range(52):  # more than a page
        admin.http.patch(f"{ADMIN_EMOJIS_API}/{emoji['id']}",
                         data={"category": f"c{number}"}).raise_for_status()
    _console(server, other).submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {
        "text": f"By the other admin {shortcode}", "zone": "UTC"})
    mine = web.get(AUDIT, params={"actor": admin.username})
    assert mine.status_code == 200
    assert mine.text.count(f"<td>@{admin.username}") == 50
    assert f"@{other.username}" not in mine.text
    older = re.search(r'href="(/web/admin/audit\?[^"]*max_id=\d+)"', mine.text).group(1)
    second = web.get(older.replace("&amp;", "&"))
    assert f"@{admin.username}" in second.text and "custom_emoji.created" in second.text
    assert "Newest entries" in second.text
    theirs = web.get(AUDIT, params={"actor": f"@{other.username}",
                                    "action": "announcement.created"})
    assert theirs.text.count(f"<td>@{other.username}") == 1 and shortcode in theirs.text
    nothing = web.get(AUDIT, params={"actor": admin.username, "action": "group.created"})
    assert "No entries match these filters." in nothing.text
    future = web.get(AUDIT, params={"actor": admin.username, "since": "2099-01-01"})
    assert "No entries match these filters." in future.text
    today = web.get(AUDIT, params={"actor": other.username, "since": "2020-01-01",
                                   "until": "2099-12-31"})
    assert f"@{other.username}" in today.text
    for params, message in [({"since": "2030-02-01", "until": "2030-01-01"},
                             "The first day is after the last day"),
                            ({"since": "yesterday"}, "The first day is not a date"),
                            ({"until": "0001-01-01"}, "The last day is not a date")]:
        refused = web.get(AUDIT, params=params)
        assert refused.status_code == 422 and message in refused.text


def test_the_audit_log_exports_the_filtered_entries_as_a_safe_csv(server, new_user):
    admin = new_user(role="admin")
    web = _console(server, admin)
    text = f"=HYPERLINK(\"http://evil.example\") {secrets.token_hex(3)}"
    web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {"text": text, "zone": "UTC"})
    page = web.get(AUDIT, params={"actor": admin.username})
    link = re.search(r'href="(/web/admin/audit\.csv\?[^"]*)"', page.text).group(1)
    exported = web.get(link.replace("&amp;", "&"))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:5] == ["id", "created_at", "actor", "signed_in_with", "action"]
    assert len(rows) == 2 and rows[1][2] == f"'@{admin.username}"
    assert rows[1][4] == "announcement.created" and "HYPERLINK" in rows[1][7]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "plain", "")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "plain", ""]


def test_every_action_the_services_record_can_be_chosen_in_the_filter():
    root = Path(__file__).parent.parent / "src" / "zwitscher" / "services"
    named = set()
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record_audit":
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        named.add(keyword.value.value)
    assert named and named <= set(KNOWN_ACTIONS), named - set(KNOWN_ACTIONS)


# Directory sync.

def test_an_admin_issues_a_scim_token_sees_the_sync_and_revokes_the_token(server, new_user):
    admin = new_user(role="admin")
    web = _console(server, admin)
    name = f"Entra ID {secrets.token_hex(3)}"
    issued = web.submit(DIRECTORY, f"{DIRECTORY}/tokens", {"name": name})
    assert issued.status_code == 200 and "Copy the new token now" in issued.text
    token = re.search(r'id="new-token" class="token-field" readonly value="([^"]+)"',
                      issued.text).group(1)
    assert f"<th scope=\"row\">{name}</th>" in issued.text
    again = web.get(DIRECTORY)
    assert token not in again.text and name in again.text
    row = again.text[again.text.index(f"<th scope=\"row\">{name}</th>"):]
    assert row[:row.index("</tr>")].count("never") == 1  # not used yet
    scim = httpx.Client(base_url=f"{server.base_url}/scim/v2", timeout=30, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"})
    username = f"synced_{secrets.token_hex(3)}"
    made = scim.post("/Users", json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": username,
        "emails": [{"value": f"{username}@example.com", "primary": True}]})
    assert made.status_code == 201, made.text
    activity = web.get(DIRECTORY)
    row = activity.text[activity.text.index(f"<th scope=\"row\">{name}</th>"):]
    used = row[:row.index("</tr>")]
    assert "never" not in used and used.count("<time") == 2  # created, and last used
    part = activity.text[activity.text.index('id="activity-heading"'):]
    assert "account.created" in part
    assert 'href="/web/admin/audit?actor=directory%20%28SCIM%29"' in part
    assert "account.created" in web.get(AUDIT, params={"actor": "directory (SCIM)"}).text
    token_id = re.search(rf"/web/admin/directory/tokens/(\d+)/revoke\">Revoke<span "
                         rf"class=\"visually-hidden\"> {name}<", activity.text).group(1)
    confirm = web.get(f"{DIRECTORY}/tokens/{token_id}/revoke")
    assert f"Revoke the token “{name}”?" in confirm.text
    revoked = web.submit(f"{DIRECTORY}/tokens/{token_id}/revoke",
                         f"{DIRECTORY}/tokens/{token_id}/revoke", {})
    assert "The token was revoked" in revoked.text and name not in revoked.text
    assert scim.get("/Users").status_code == 401
    scim.close()
    assert {"directory.token_issued", "directory.token_revoked"} <= set(_audit_actions(admin))
    # Revoking again, or a token that is not a directory's, is "not found".
    assert web.submit(DIRECTORY, f"{DIRECTORY}/tokens/{token_id}/revoke", {}).status_code == 404


def test_bad_token_names_are_explained_and_no_token_is_issued(server, new_user):
    web = _console(server, new_user(role="admin"))
    before = web.get(DIRECTORY).text.count('scope="row"')
    for name, message in [("   ", "Name can&#39;t be blank"), ("n" * 101, "Name is too long")]:
        refused = web.submit(DIRECTORY, f"{DIRECTORY}/tokens", {"name": name})
        assert refused.status_code == 422 and message in refused.text
        assert 'id="new-token"' not in refused.text
    assert web.get(DIRECTORY).text.count('scope="row"') == before


# Who may, and forged forms.

@pytest.fixture(scope="module")
def targets(server, users):
    """An announcement, an emoji and a SCIM token the refused try to change."""
    admin = users.create(role="admin")
    web = _console(server, admin)
    tag = secrets.token_hex(3)
    web.submit(ANNOUNCEMENTS, ANNOUNCEMENTS, {"text": f"Target {tag}", "zone": "UTC"})
    _add_emoji(web, f"target_{tag}")
    issued = web.submit(DIRECTORY, f"{DIRECTORY}/tokens", {"name": f"Target {tag}"})
    token_id = re.search(r"/web/admin/directory/tokens/(\d+)/revoke", issued.text).group(1)
    yield {"admin": admin, "web": web, "tag": tag, "token_id": token_id,
           "announcement": _announcement(admin, f"Target {tag}")["id"],
           "emoji": _emoji(admin, f"target_{tag}")["id"]}
    web.close()


def _state(targets) -> tuple:
    admin, web, tag = targets["admin"], targets["web"], targets["tag"]
    announcement = _announcement(admin, f"Target {tag}")
    return (announcement and (announcement["content"], announcement["ends_at"]),
            _emoji(admin, f"target_{tag}"), web.get(DIRECTORY).text.count(f"Target {tag}"),
            _announcement(admin, f"Forged {tag}"), _emoji(admin, f"forged_{tag}"),
            web.get(DIRECTORY).text.count(f"Forged {tag}"))


def _posts(targets) -> list[tuple[str, dict]]:
    tag, a, e, t = (targets["tag"], targets["announcement"], targets["emoji"],
                    targets["token_id"])
    return [
        (ANNOUNCEMENTS, {"text": f"Forged {tag}", "zone": "UTC"}),
        (f"{ANNOUNCEMENTS}/{a}", {"text": f"Forged {tag}", "zone": "UTC"}),
        (f"{ANNOUNCEMENTS}/{a}/end", {}),
        (f"{ANNOUNCEMENTS}/{a}/delete", {}),
        (EMOJIS, {"shortcode": f"forged_{tag}"}),
        (f"{EMOJIS}/{e}", {"category": "Forged"}),
        (f"{EMOJIS}/{e}/delete", {}),
        (f"{DIRECTORY}/tokens", {"name": f"Forged {tag}"}),
        (f"{DIRECTORY}/tokens/{t}/revoke", {}),
    ]


def _manager(server, users, admin):
    manager = users.create()
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Field", "slug": f"field-{manager.username}"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
        "account_ids[]": [manager.id], "role": "manager"}).raise_for_status()
    return manager


@pytest.mark.parametrize("role", ["member", "guest", "moderator", "communicator",
                                  "group manager"])
def test_everyone_but_admins_is_refused_and_nothing_changes(server, users, targets, role):
    person = (_manager(server, users, targets["admin"]) if role == "group manager"
              else users.create(role=None if role == "member" else role))
    web = _console(server, person)
    before = _state(targets)
    pages = [*PAGES, f"{ANNOUNCEMENTS}/{targets['announcement']}",
             f"{ANNOUNCEMENTS}/{targets['announcement']}/delete",
             f"{EMOJIS}/{targets['emoji']}/delete",
             f"{DIRECTORY}/tokens/{targets['token_id']}/revoke"]
    for path in pages:
        refused = web.get(path)
        assert refused.status_code == 403 and "Nothing was changed." in refused.text, path
    token = csrf_of(web.get("/web/home"))
    for action, fields in _posts(targets):
        refused = web.http.post(action, data={"csrf": token, **fields},
                                files={"image": ("e.png", _png(), "image/png")}
                                if action == EMOJIS else None)
        assert refused.status_code == 403 and "Nothing was changed." in refused.text, action
    assert _state(targets) == before
    web.close()


def test_forms_without_their_csrf_token_change_nothing(targets):
    web = targets["web"]
    before = _state(targets)
    for action, fields in _posts(targets):
        for forged in ({}, {"csrf": "0" * 64}):
            refused = web.http.post(action, data={**forged, **fields})
            assert refused.status_code == 403, action
            assert "nothing was changed" in refused.text.lower(), action
    assert _state(targets) == before


def test_signed_out_visitors_are_sent_to_sign_in(web):
    for path in PAGES:
        assert web.get(path).url.path == "/web/sign-in", path
