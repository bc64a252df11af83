"""Custom emojis: admins add pictures under a shortcode (by the API or the command line),
every app lists them, and statuses, names, polls and announcements that use `:shortcode:`
carry them in `emojis`; disabled or removed ones are gone everywhere.

The server is shared, so each test names its emojis uniquely and looks for its own.
"""

from __future__ import annotations

import io
import secrets

import httpx
import pytest
from mastodon import Mastodon
from PIL import Image

from media_support import fetch_image, image_bytes, stored_files
from support import wait_until

ADMIN_PATH = "/api/zwitscher/v1/admin/custom_emojis"


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def fresh_shortcode(prefix: str = "e") -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def add_emoji(admin, shortcode: str, data: bytes | None = None, *,
              content_type: str = "image/png", **fields) -> httpx.Response:
    data = image_bytes("PNG", (64, 64), mode="RGBA", color=(250, 200, 0, 255)) \
        if data is None else data
    return admin.http.post(ADMIN_PATH, files={"image": ("emoji", data, content_type)},
                           data={"shortcode": shortcode, **fields})


def added(admin, shortcode: str | None = None, **fields) -> dict:
    response = add_emoji(admin, shortcode or fresh_shortcode(), **fields)
    assert response.status_code == 200, response.text
    return response.json()


def public_list(server) -> dict[str, dict]:
    anonymous = Mastodon(api_base_url=server.base_url)
    return {emoji["shortcode"]: emoji for emoji in anonymous.custom_emojis()}


def admin_list(admin) -> dict[str, dict]:
    response = admin.http.get(ADMIN_PATH)
    assert response.status_code == 200, response.text
    return {emoji["shortcode"]: emoji for emoji in response.json()}


def shortcodes(entity: dict) -> list[str]:
    return [emoji["shortcode"] for emoji in entity["emojis"]]


def test_an_admin_adds_an_emoji_that_every_app_lists_and_its_picture_is_a_small_png(
        server, admin):
    code = fresh_shortcode("Party")
    gif = image_bytes("GIF", (600, 300), color=(10, 120, 200))
    created = added(admin, code, data=gif, content_type="image/gif", category="Team",
                    visible_in_picker="false")
    assert created["shortcode"] == code and created["disabled"] is False

    listed = public_list(server)[code]
    assert listed == {"shortcode": code, "url": listed["url"], "static_url": listed["static_url"],
                      "visible_in_picker": False, "category": "Team"}
    for url in (listed["url"], listed["static_url"]):
        response, picture = fetch_image(url)
        assert response.headers["content-type"] == "image/png"
        assert picture.format == "PNG"
        # Scaled down to fit 256x256, keeping its aspect.
        assert picture.size == (256, 128)


def test_the_list_needs_no_sign_in_and_is_sorted_by_shortcode(server, admin):
    stem = fresh_shortcode("sorted")
    for suffix in ("b", "a", "c"):
        added(admin, f"{stem}_{suffix}")
    response = httpx.get(f"{server.base_url}/api/v1/custom_emojis")
    assert response.status_code == 200
    listed = [emoji["shortcode"] for emoji in response.json()]
    assert listed == sorted(listed)
    assert [c for c in listed if c.startswith(stem)] == [f"{stem}_a", f"{stem}_b", f"{stem}_c"]


def test_statuses_and_names_that_use_a_shortcode_carry_the_emoji(admin, new_user):
    code, other = fresh_shortcode("wave"), fresh_shortcode("star")
    added(admin, code)
    added(admin, other)
    alice, bob = new_user(display_name=f"Alice :{code}:"), new_user()
    bob.api.account_follow(alice.id)
    status = alice.api.status_post(f"Hello :{other}: and :{code}:, not :nosuch_{code}: "
                                   f"nor word:{code}:", spoiler_text=f"Careful :{other}:")
    assert shortcodes(status) == [other, code]
    assert shortcodes(status["account"]) == [code]
    emoji = status["emojis"][1]
    assert emoji["url"].startswith("http") and emoji["static_url"].startswith("http")

    home = wait_until(lambda: [s for s in bob.api.timeline_home() if s["id"] == status["id"]])
    assert shortcodes(home[0]) == [other, code]
    assert shortcodes(home[0]["account"]) == [code]
    assert shortcodes(bob.api.account(alice.id)) == [code]
    assert shortcodes(alice.api.account_verify_credentials()) == [code]
    reblog = bob.api.status_reblog(status["id"])
    assert shortcodes(reblog["reblog"]) == [other, code]


def test_poll_options_carry_their_emojis(admin, new_user):
    code = fresh_shortcode("yes")
    added(admin, code)
    alice = new_user()
    status = alice.api.status_post("Lunch?", poll=alice.api.make_poll(
        [f"Pizza :{code}:", "Salad"], expires_in=3600))
    assert shortcodes(status["poll"]) == [code]
    assert shortcodes(alice.api.poll(status["poll"]["id"])) == [code]


def test_a_disabled_emoji_disappears_everywhere_until_enabled_again(server, admin, new_user):
    code = fresh_shortcode("gone")
    created = added(admin, code)
    alice = new_user(display_name=f":{code}:")
    status = alice.api.status_post(f"Look :{code}:")

    response = admin.http.patch(f"{ADMIN_PATH}/{created['id']}", json={"disabled": True})
    assert response.status_code == 200 and response.json()["disabled"] is True
    assert code not in public_list(server)
    assert admin_list(admin)[code]["disabled"] is True
    seen = alice.api.status(status["id"])
    assert seen["emojis"] == [] and seen["account"]["emojis"] == []

    admin.http.patch(f"{ADMIN_PATH}/{created['id']}", data={"disabled": "false",
                                                            "category": "Back"})
    assert public_list(server)[code]["category"] == "Back"
    assert shortcodes(alice.api.status(status["id"])) == [code]


def test_a_removed_emoji_is_gone_with_its_picture_and_the_changes_are_audited(
        server, admin, new_user):
    code = fresh_shortcode("bye")
    created = added(admin, code)
    url = public_list(server)[code]["url"]
    alice = new_user()
    status = alice.api.status_post(f"So long :{code}:")

    response = admin.http.delete(f"{ADMIN_PATH}/{created['id']}")
    assert response.status_code == 200, response.text
    assert code not in admin_list(admin)
    assert alice.api.status(status["id"])["emojis"] == []
    assert wait_until(lambda: httpx.get(url).status_code == 404)
    assert admin.http.delete(f"{ADMIN_PATH}/{created['id']}").status_code == 404

    log = admin.http.get("/api/zwitscher/v1/admin/audit_log",
                         params={"target_id": created["id"]}).json()
    assert {entry["action"] for entry in log} == {"custom_emoji.created",
                                                  "custom_emoji.deleted"}
    assert all(entry["details"]["shortcode"] == code for entry in log)


def test_the_command_line_adds_lists_and_removes_emojis(server, tmp_path):
    code = fresh_shortcode("cli")
    picture = tmp_path / "logo.webp"
    picture.write_bytes(image_bytes("WEBP", (300, 600)))
    assert f":{code}:" in server.cli("emojis", "add", code, str(picture), "--category", "Ops")
    listed = public_list(server)[code]
    assert listed["category"] == "Ops" and listed["visible_in_picker"] is True
    _, served = fetch_image(listed["url"])
    assert served.format == "PNG" and served.size == (128, 256)

    assert f":{code}:\tOps\tenabled" in server.cli("emojis", "list").splitlines()
    server.cli("emojis", "remove", code)
    assert code not in public_list(server)
    assert f":{code}:" not in server.cli("emojis", "list")


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_admins_manage_emojis_and_a_refusal_changes_nothing(server, admin, users, role):
    person = users.create(role=None if role == "member" else role)
    existing = added(admin)
    code = fresh_shortcode("nope")
    before = stored_files(server)
    attempts = [add_emoji(person, code),
                person.http.get(ADMIN_PATH),
                person.http.patch(f"{ADMIN_PATH}/{existing['id']}", json={"disabled": True}),
                person.http.delete(f"{ADMIN_PATH}/{existing['id']}")]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert response.json()["error"]
    assert stored_files(server) == before
    everything = admin_list(admin)
    assert code not in everything
    assert everything[existing["shortcode"]]["disabled"] is False
    assert httpx.get(f"{server.base_url}{ADMIN_PATH}").status_code == 401


def _noise() -> bytes:
    """A PNG over 256 KiB: random pixels do not compress."""
    noise = Image.frombytes("RGB", (400, 400), secrets.token_bytes(400 * 400 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 256 * 1024
    return buffer.getvalue()


@pytest.mark.parametrize("case", ["short", "space", "dash", "colons", "long", "blank",
                                  "not_an_image", "empty_file", "too_large", "no_file",
                                  "long_category"])
def test_bad_emojis_are_refused_and_nothing_is_stored(server, admin, case):
    code = fresh_shortcode("bad")
    shortcode, data, fields = code, None, {}
    match case:
        case "short":
            shortcode = "a"
        case "space":
            shortcode = f"{code} x"
        case "dash":
            shortcode = f"{code}-x"
        case "colons":
            shortcode = f":{code}:"
        case "long":
            shortcode = "x" * 65
        case "blank":
            shortcode = ""
        case "not_an_image":
            data = b"<svg xmlns='http://www.w3.org/2000/svg'/>" * 10
        case "empty_file":
            data = b""
        case "too_large":
            data = _noise()
        case "long_category":
            fields = {"category": "c" * 65}
    before, listed = stored_files(server), admin_list(admin)
    if case == "no_file":
        response = admin.http.post(ADMIN_PATH, data={"shortcode": shortcode})
    else:
        response = add_emoji(admin, shortcode, data, **fields)
    assert response.status_code in (400, 413, 422), response.text
    assert response.json()["error"]
    assert stored_files(server) == before
    assert admin_list(admin) == listed


def test_shortcodes_are_unique_but_case_sensitive(server, admin):
    code = fresh_shortcode("Same")
    added(admin, code)
    before = stored_files(server)
    again = add_emoji(admin, code)
    assert again.status_code == 422 and "taken" in again.json()["error"]
    assert stored_files(server) == before
    added(admin, code.lower())
    assert {code, code.lower()} <= set(public_list(server))


@pytest.mark.parametrize("body", [{"disabled": "perhaps"}, {"visible_in_picker": [1]},
                                  {"category": "c" * 65}])
def test_bad_changes_are_refused_and_change_nothing(admin, body):
    created = added(admin, category="Kept")
    response = admin.http.patch(f"{ADMIN_PATH}/{created['id']}", json=body)
    assert response.status_code == 422, response.text
    assert admin_list(admin)[created["shortcode"]] == created


@pytest.mark.parametrize("emoji_id", ["0", "abc", "99999999999999999999", "1" * 19])
def test_unknown_emojis_are_not_found(admin, emoji_id):
    for response in (admin.http.patch(f"{ADMIN_PATH}/{emoji_id}", json={"disabled": True}),
                     admin.http.delete(f"{ADMIN_PATH}/{emoji_id}")):
        assert response.status_code == 404, response.text
        assert response.json()["error"]


def test_announcements_carry_their_emojis_and_take_custom_reactions(server, admin, new_user):
    code, unused = fresh_shortcode("cake"), fresh_shortcode("unused")
    created = added(admin, code)
    added(admin, unused)
    alice, bob = new_user(), new_user()
    response = admin.http.post("/api/zwitscher/v1/admin/announcements",
                               data={"text": f"Cake in the kitchen :{code}:"})
    announcement = response.json()

    def shown(user) -> dict:
        return next(a for a in user.api.announcements() if a["id"] == announcement["id"])

    assert shortcodes(shown(alice)) == [code]
    alice.api.announcement_reaction_create(announcement["id"], code)
    bob.api.announcement_reaction_create(announcement["id"], "🎂")
    reactions = {r["name"]: r for r in shown(bob)["reactions"]}
    emoji = public_list(server)[code]
    assert reactions[code] == {"name": code, "count": 1, "me": False, "url": emoji["url"],
                               "static_url": emoji["static_url"]}
    assert reactions["🎂"] == {"name": "🎂", "count": 1, "me": True}

    for name in (f"nosuch_{code}", code.upper(), f":{code}:"):
        refused = bob.http.put(f"/api/v1/announcements/{announcement['id']}/reactions/{name}")
        assert refused.status_code == 422, refused.text
    admin.http.patch(f"{ADMIN_PATH}/{created['id']}", json={"disabled": True})
    refused = bob.http.put(f"/api/v1/announcements/{announcement['id']}/reactions/{code}")
    assert refused.status_code == 422, refused.text
    # A disabled emoji's reactions are not shown; apps would have no picture for them.
    assert [r["name"] for r in shown(alice)["reactions"]] == ["🎂"]
    assert shown(alice)["emojis"] == []
