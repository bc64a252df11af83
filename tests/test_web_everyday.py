"""What every page shows about people and times, without JavaScript: relative times with the
exact one beside them (in the reader's own time zone), initials until someone has a picture,
and a profile's header."""

from __future__ import annotations

import re
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from web_support import WebClient, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _profile_form(web: WebClient, **fields: str):
    return web.submit("/web/settings", "/web/settings", {
        "display_name": "Tina Zone", "note": "", "language": "en", "visibility": "public",
        **fields})


def test_a_new_post_says_now_and_gives_its_exact_time_in_the_readers_time_zone(server,
                                                                               new_user):
    tina = new_user(display_name="Tina Zone")
    status = tina.api.status_post("What time is it?", visibility="public")
    web = signed_in(server, tina)
    saved = _profile_form(web, time_zone="Pacific/Auckland")
    assert saved.status_code == 200 and "Your profile is saved." in saved.text
    page = web.get(f"/@{tina.username}/{status['id']}").text
    card = page[page.index(f'id="status-{status["id"]}"'):]
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">now</time>', card)
    posted = status["created_at"].astimezone(UTC)
    in_auckland = posted.astimezone(ZoneInfo("Pacific/Auckland"))
    assert f"{in_auckland.hour % 12 or 12}:{in_auckland.minute:02d}" in re.search(
        r'title="([^"]+)">now', card).group(1)
    # Back to no zone: UTC.
    _profile_form(web, time_zone="")
    card = web.get(f"/@{tina.username}/{status['id']}").text
    in_utc = posted.astimezone(UTC)
    assert f"{in_utc.hour % 12 or 12}:{in_utc.minute:02d}" in card


def test_an_unknown_time_zone_is_refused_and_changes_nothing(server, new_user):
    tina = new_user(display_name="Tina Zone")
    web = signed_in(server, tina)
    _profile_form(web, time_zone="Europe/Berlin")
    refused = _profile_form(web, time_zone="Mars/Olympus_Mons", display_name="Changed")
    assert refused.status_code == 422 and "Time zone must be one of the list" in refused.text
    settings = web.get("/web/settings").text
    assert "<option selected>Europe/Berlin</option>" in settings
    assert tina.api.account_verify_credentials()["display_name"] == "Tina Zone"


def test_people_without_a_picture_show_their_initials_on_a_colour_of_their_own(server,
                                                                              new_user):
    ada = new_user(display_name="Ada Lovelace")
    ada.api.status_post("Initials, please", visibility="public")
    page = WebClient(server.base_url).get(f"/@{ada.username}").text
    assert re.search(r'<span class="avatar initials hue-\d size-88" aria-hidden="true">AL</span>',
                     page)
    assert re.search(r'<span class="avatar initials hue-\d size-46" aria-hidden="true">AL</span>',
                     page)
    assert "missing.png" not in page.split("<body>")[1]


def test_a_profile_header_says_when_someone_joined(server, new_user):
    ada = new_user(display_name="Ada Lovelace")
    page = WebClient(server.base_url, language="de").get(f"/@{ada.username}").text
    assert re.search(r"Dabei seit \w+\.? \d{4}", page)
    assert 'class="profile-banner hue-' in page
