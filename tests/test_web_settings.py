"""Settings in the web interface without JavaScript: profile, password, sessions and apps."""

from __future__ import annotations

import re

import httpx
import pytest

from zwitscher.domain.user_agents import describe_user_agent

from media_support import image_bytes
from support import PASSWORD
from web_support import WebClient, csrf_of

HOSTILE = "<script>alert(1)</script>"
NEW_PASSWORD = "a much better secret"


@pytest.fixture
def browsers(server):
    opened: list[WebClient] = []

    def open_browser(user_agent: str = "") -> WebClient:
        client = WebClient(server.base_url)
        if user_agent:
            client.http.headers["User-Agent"] = user_agent
        opened.append(client)
        return client

    yield open_browser
    for client in opened:
        client.close()


def _profile_form(**fields: str) -> dict[str, str]:
    return {"display_name": "Alice", "note": "", "language": "en", "visibility": "public",
            **fields}


def _save_profile(web: WebClient, fields: dict[str, str], files: dict | None = None
                  ) -> httpx.Response:
    token = csrf_of(web.get("/web/settings"))
    return web.http.post("/web/settings", data={"csrf": token, **fields}, files=files or {
        "avatar": ("", b"", "application/octet-stream")})


def _credentials(user) -> dict:
    return user.api.account_verify_credentials()


def test_settings_pages_send_people_who_are_signed_out_to_sign_in(web):
    for path in ("/web/settings", "/web/settings/password", "/web/settings/sessions"):
        assert web.get(path).url.path == "/web/sign-in"


def test_profile_form_saves_name_bio_language_visibility_and_flags(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = _save_profile(web, _profile_form(
        display_name="Alice Example", note="Gardener & baker", language="de",
        visibility="private", locked="on", discoverable="on"))
    assert page.status_code == 200 and page.url.path == "/web/settings"
    assert "Dein Profil ist gespeichert." in page.text  # the new language applies at once
    me = _credentials(alice)
    assert me["display_name"] == "Alice Example" and me["source"]["note"] == "Gardener & baker"
    assert me["locked"] is True and me["discoverable"] is True
    assert me["source"]["privacy"] == "private"
    home = web.get("/web/home").text
    assert re.search(r'<option value="private"[^>]* selected>', home)
    _save_profile(web, _profile_form(visibility="internal"))
    assert re.search(r'<option value="internal"[^>]* selected>', web.get("/web/home").text)
    me = _credentials(alice)
    assert me["locked"] is False and me["discoverable"] is False


def test_hostile_and_over_long_profile_input_is_explained_and_changes_nothing(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    _save_profile(web, _profile_form(display_name="Before", note=HOSTILE))
    before = _credentials(alice)
    page = web.get("/web/settings").text
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HOSTILE not in web.get(f"/@{alice.username}").text
    cases = [
        (_profile_form(display_name="x" * 31), "Your name is too long: at most 30 characters."),
        (_profile_form(note="y" * 501), "Your bio is too long: at most 500 characters."),
        (_profile_form(language="xx"), "Please choose one of the languages offered."),
        (_profile_form(visibility="everybody"), "Please choose who can see your new posts."),
        (_profile_form(visibility="group"), "Please choose who can see your new posts."),
    ]
    for fields, message in cases:
        page = _save_profile(web, {**fields, "display_name": fields["display_name"] + HOSTILE})
        assert page.status_code == 422, fields
        assert message in page.text and "Nothing was saved." in page.text
        assert HOSTILE not in page.text
    assert _credentials(alice) == before


def test_avatar_upload_shows_on_the_profile_and_can_be_removed(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = _save_profile(web, _profile_form(), files={
        "avatar": ("me.png", image_bytes("PNG", (600, 300)), "image/png")})
    assert page.status_code == 200
    avatar = _credentials(alice)["avatar"]
    assert "missing" not in avatar
    assert f'src="{avatar}"' in web.get(f"/@{alice.username}").text
    assert f'src="{avatar}"' in page.text  # the preview on the settings page
    assert httpx.get(avatar).status_code == 200
    removed = web.submit("/web/settings", "/web/settings/avatar/remove", {})
    assert removed.status_code == 200 and "Remove profile picture" not in removed.text
    assert "missing" in _credentials(alice)["avatar"]


def test_a_file_that_is_no_image_or_too_large_is_refused_and_nothing_changes(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    before = _credentials(alice)
    page = _save_profile(web, _profile_form(display_name="Changed"), files={
        "avatar": ("evil.png", HOSTILE.encode(), "image/png")})
    assert page.status_code == 422
    assert "The profile picture is not an image we can read" in page.text
    page = _save_profile(web, _profile_form(display_name="Changed"), files={
        "header": ("huge.png", b"\0" * (16 * 1024 * 1024 + 1), "image/png")})
    assert page.status_code == 413 and "The header image is too large: at most 16 MB." in page.text
    assert _credentials(alice) == before


def test_forms_without_the_csrf_token_are_refused_and_change_nothing(web, new_user, browsers):
    alice = new_user()
    web.sign_in(alice.username)
    other = browsers()
    other.sign_in(alice.username)
    before = _credentials(alice)
    session_ids = re.findall(r'/web/settings/sessions/(\d+)/end', web.get(
        "/web/settings/sessions").text)
    for action, fields in [
        ("/web/settings", _profile_form(display_name="Forged")),
        ("/web/settings/avatar/remove", {}),
        ("/web/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                    "repeat_password": NEW_PASSWORD}),
        ("/web/settings/sessions/others/end", {}),
        (f"/web/settings/sessions/{session_ids[0]}/end", {}),
    ]:
        for token in (None, "0" * 64):
            data = fields if token is None else {"csrf": token, **fields}
            page = web.http.post(action, data=data)
            assert page.status_code == 403, action
            assert "For your safety nothing was changed" in page.text
    assert _credentials(alice) == before
    assert other.get("/web/settings").url.path == "/web/settings"
    assert web.sign_in(alice.username).url.path == "/web/home"  # the password still works


def test_changing_the_password_signs_other_browsers_and_apps_out(web, new_user, browsers,
                                                                 server):
    alice = new_user()
    web.sign_in(alice.username)
    other = browsers()
    other.sign_in(alice.username)
    page = web.submit("/web/settings/password", "/web/settings/password", {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "repeat_password": NEW_PASSWORD})
    assert page.status_code == 200 and "Your password is changed." in page.text
    assert web.get("/web/settings").url.path == "/web/settings"  # this browser stays in
    assert other.get("/web/settings").url.path == "/web/sign-in"
    with pytest.raises(Exception):  # noqa: B017 (Mastodon.py's 401 error)
        alice.api.account_verify_credentials()
    fresh = browsers()
    assert fresh.sign_in(alice.username, PASSWORD).status_code == 401
    assert fresh.sign_in(alice.username, NEW_PASSWORD).url.path == "/web/home"


def test_wrong_current_password_mismatch_and_bad_length_change_nothing(web, new_user,
                                                                       browsers):
    alice = new_user()
    web.sign_in(alice.username)
    other = browsers()
    other.sign_in(alice.username)
    cases = [
        ({"current_password": "wrong" + HOSTILE, "new_password": NEW_PASSWORD,
          "repeat_password": NEW_PASSWORD}, "Your current password is wrong."),
        ({"current_password": PASSWORD, "new_password": NEW_PASSWORD,
          "repeat_password": NEW_PASSWORD + "!"}, "The new password and its repetition differ."),
        ({"current_password": PASSWORD, "new_password": "short", "repeat_password": "short"},
         "between 8 and 72 characters"),
        ({"current_password": PASSWORD, "new_password": "z" * 73, "repeat_password": "z" * 73},
         "between 8 and 72 characters"),
    ]
    for fields, message in cases:
        page = web.submit("/web/settings/password", "/web/settings/password", fields)
        assert page.status_code == 422 and message in page.text, fields
        assert HOSTILE not in page.text
    assert other.get("/web/settings").url.path == "/web/settings"
    assert alice.api.account_verify_credentials()["id"] == alice.id
    assert browsers().sign_in(alice.username, PASSWORD).url.path == "/web/home"


def test_sessions_page_lists_browsers_in_plain_words_and_ends_one(web, new_user, browsers):
    alice = new_user()
    firefox = browsers("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
    firefox.sign_in(alice.username)
    web.http.headers["User-Agent"] = HOSTILE + "x" * 400
    web.sign_in(alice.username)
    page = web.get("/web/settings/sessions").text
    assert "Firefox on Linux" in page and "This browser" in page
    assert HOSTILE not in page and "&lt;script&gt;" in page
    ids = re.findall(r'/web/settings/sessions/(\d+)/end', page)
    assert len(ids) == 1  # only the other browser can be ended here
    ended = web.submit("/web/settings/sessions", f"/web/settings/sessions/{ids[0]}/end", {})
    assert ended.status_code == 200 and "The browser is signed out." in ended.text
    assert "Firefox on Linux" not in ended.text
    assert firefox.get("/web/settings").url.path == "/web/sign-in"
    assert web.get("/web/settings").url.path == "/web/settings"


def test_sign_out_all_other_browsers_keeps_this_one(web, new_user, browsers):
    alice = new_user()
    others = [browsers(), browsers()]
    for other in others:
        other.sign_in(alice.username)
    web.sign_in(alice.username)
    page = web.submit("/web/settings/sessions", "/web/settings/sessions/others/end", {})
    assert "All your other browsers are signed out." in page.text
    assert all(other.get("/web/home").url.path == "/web/sign-in" for other in others)
    assert web.get("/web/home").url.path == "/web/home"
    assert alice.api.account_verify_credentials()["id"] == alice.id  # apps are kept


def test_nobody_can_end_another_persons_session_or_this_one(web, new_user, browsers):
    alice, mallory = new_user(), new_user()
    alices_browser = browsers()
    alices_browser.sign_in(alice.username)
    web.sign_in(alice.username)  # a second browser of Alice's shows the other one's id
    alices_ids = re.findall(r'/web/settings/sessions/(\d+)/end',
                            web.get("/web/settings/sessions").text)
    assert len(alices_ids) == 1
    mallorys = browsers()
    mallorys.sign_in(mallory.username)
    for forged in [*alices_ids, "0", "abc", "9" * 30]:
        page = mallorys.submit("/web/settings/sessions", f"/web/settings/sessions/{forged}/end",
                               {})
        assert page.status_code == 404, forged
        assert "There is no such session or app of yours" in page.text
    assert alices_browser.get("/web/home").url.path == "/web/home"
    assert mallorys.get("/web/home").url.path == "/web/home"


def test_apps_holding_tokens_are_listed_and_can_be_revoked(web, new_user, browsers):
    alice, bob = new_user(), new_user()
    web.sign_in(alice.username)
    page = web.get("/web/settings/sessions").text
    assert "zwitscher-tests" in page and "Zwitscher web" not in page
    app_id = re.search(r'/web/settings/apps/(\d+)/revoke', page).group(1)
    bobs = browsers()
    bobs.sign_in(bob.username)
    for unknown in ("1", "x", "9" * 30):
        answer = bobs.submit("/web/settings/sessions", f"/web/settings/apps/{unknown}/revoke",
                             {})
        assert answer.status_code == 404 and "There is no such session or app" in answer.text
    # The same app holds Bob's token too: revoking it there is Bob's business only.
    bobs.submit("/web/settings/sessions", f"/web/settings/apps/{app_id}/revoke", {})
    assert alice.api.account_verify_credentials()["id"] == alice.id
    with pytest.raises(Exception):  # noqa: B017 (Mastodon.py's 401 error)
        bob.api.account_verify_credentials()
    done = web.submit("/web/settings/sessions", f"/web/settings/apps/{app_id}/revoke", {})
    assert "The app has no access any more." in done.text
    assert "No app has access to your account." in done.text
    with pytest.raises(Exception):  # noqa: B017 (Mastodon.py's 401 error)
        alice.api.account_verify_credentials()
    assert web.get("/web/home").url.path == "/web/home"


@pytest.mark.parametrize(("header", "browser", "system"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge", "Windows"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari", "iOS"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
     "Firefox", "macOS"),
    ("curl/8.5.0", None, None),
])
def test_user_agents_are_described_in_plain_words(header, browser, system):
    device = describe_user_agent(header)
    assert (device.browser, device.system) == (browser, system)
    assert len(describe_user_agent("x" * 500).raw) == 60


def test_header_image_upload_and_removal(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = _save_profile(web, _profile_form(), files={
        "header": ("wide.jpg", image_bytes("JPEG", (1200, 400)), "image/jpeg")})
    header = _credentials(alice)["header"]
    assert page.status_code == 200 and "missing" not in header and f'src="{header}"' in page.text
    removed = web.submit("/web/settings", "/web/settings/header/remove", {})
    assert "Remove header image" not in removed.text
    assert "missing" in _credentials(alice)["header"]
    assert web.submit("/web/settings", "/web/settings/bio/remove", {}).status_code == 404
