"""An event's live wall in a real headless Chromium, as a projector shows it: new posts slide in
without a reload, a post an organiser hides from the event's page leaves every open wall at
once, the wall never holds more than its fifty newest posts, a non-public event's wall opens
only by its secret link (a guessed or renewed one is 404). The wall and the event's page pass
axe-core and are photographed into `tests/artifacts/`."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from browser_support import check_and_photograph, photograph, require_playwright, violations
from support import UserFactory

expect = require_playwright()

API = "/api/zwitscher/v1/events"
LIVE = 15000  # ms: a post reaches every open wall over the stream


def _made(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def _event(organiser, **fields) -> dict:
    return _made(organiser.http.post(API, json={
        "title": fields.pop("title"), "hashtag": "wall" + secrets.token_hex(3),
        "starts_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
        "ends_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat(), **fields}))


@pytest.fixture(scope="module")
def people(browser_instance):
    users = UserFactory(browser_instance)
    olga = users.create("olga", display_name="Olga Organisatorin")
    pia = users.create("pia", display_name="Pia Podium")
    tom = users.create("tom", display_name="Tom Technik")
    summit = _event(olga, title="Zukunftsgipfel 2026", place="Halle 7, Messe Nord",
                    description="Ein Tag über das, was kommt.\nMit Keynotes und Workshops.",
                    audience="public")
    retreat = _event(olga, title="Klausur der Geschäftsführung", audience="internal")
    for event in (summit, retreat):
        for person in (pia, tom):
            _made(person.http.post(f"{API}/{event['id']}/rsvp", json={"answer": "accept"}))
    _made(tom.http.put(f"{API}/{summit['id']}/consent", json={"named": "no"}))
    return {"olga": olga, "pia": pia, "tom": tom, "summit": summit, "retreat": retreat}


def _say(person, event: dict, text: str) -> dict:
    return _made(person.http.post(f"{API}/{event['id']}/statuses", json={"status": text}))


def _open_wall(context, path: str):
    page = context.new_page()
    page.goto(path)
    expect(page.locator("#wall-posts")).to_have_attribute("data-listening", "yes")
    page.evaluate("window.stayed = true")
    return page


def test_new_posts_slide_in_live_and_a_hidden_one_leaves_at_once(browser_contexts, people):
    summit, pia = people["summit"], people["pia"]
    walls = [_open_wall(browser_contexts(), f"/wall/{summit['id']}") for _ in range(2)]
    # The event's page follows its timeline live too, for a participant signed in.
    event_page = browser_contexts("tom").new_page()
    event_page.goto(f"/web/events/{summit['id']}")
    expect(event_page.locator("#feed")).to_have_attribute("data-live",
                                                          f"/web/events/{summit['id']}/stream")
    first = _say(pia, summit, "Die Keynote beginnt, der Saal ist voll!")
    second = pia.api.status_post(f"Großartige Stimmung hier #{summit['hashtag']}",
                                 visibility="public")
    for wall in walls:
        expect(wall.locator(f"#wall-post-{first['id']}")).to_contain_text(
            "Die Keynote beginnt", timeout=LIVE)
        expect(wall.locator(f"#wall-post-{second.id}")).to_contain_text(
            "Großartige Stimmung", timeout=LIVE)
        # Newest first.
        expect(wall.locator(".wall-post").first).to_have_id(f"wall-post-{second.id}")
    expect(event_page.locator(f"#status-{first['id']}")).to_contain_text(
        "Die Keynote beginnt", timeout=LIVE)
    # An organiser takes the first off the wall on the event's page.
    organiser = browser_contexts("olga").new_page()
    organiser.goto(f"/web/events/{summit['id']}")
    wall_tools = organiser.locator("#wall")
    wall_tools.locator("summary").click()
    wall_tools.locator("li", has_text="Die Keynote beginnt").get_by_role(
        "button", name="Hide from the wall").click()
    expect(organiser.get_by_role("status")).to_have_text("The post was taken off the wall.")
    for wall in walls:
        expect(wall.locator(f"#wall-post-{first['id']}")).to_have_count(0, timeout=LIVE)
        expect(wall.locator(f"#wall-post-{second.id}")).to_be_visible()
        assert wall.evaluate("window.stayed === true")
    # Never served again: not by a wall opened now, not as an edit.
    fresh = _open_wall(browser_contexts(), f"/wall/{summit['id']}")
    expect(fresh.locator(f"#wall-post-{second.id}")).to_be_visible()
    expect(fresh.locator(f"#wall-post-{first['id']}")).to_have_count(0)
    pia.http.put(f"/api/v1/statuses/{first['id']}",
                 json={"status": f"Die Keynote beginnt gleich #{summit['hashtag']}"})
    third = _say(pia, summit, "Jetzt die Podiumsdiskussion")
    expect(fresh.locator(f"#wall-post-{third['id']}")).to_be_visible(timeout=LIVE)
    expect(fresh.locator(f"#wall-post-{first['id']}")).to_have_count(0)
    # A post that names someone against their consent never reaches the wall.
    held = pia.http.post(f"{API}/{summit['id']}/statuses",
                         json={"status": f"Hallo @{people['tom'].username}!"})
    assert held.status_code == 202
    for page in (*walls, fresh, organiser, event_page):
        page.close()


def test_the_wall_keeps_its_fifty_newest_posts(browser_contexts, people):
    summit, pia = people["summit"], people["pia"]
    wall = _open_wall(browser_contexts(), f"/wall/{summit['id']}")
    posted = [_say(pia, summit, f"Zwischenstand {number}") for number in range(56)]
    expect(wall.locator(f"#wall-post-{posted[-1]['id']}")).to_be_visible(timeout=LIVE)
    expect(wall.locator("#wall-posts > li")).to_have_count(50)
    expect(wall.locator(f"#wall-post-{posted[0]['id']}")).to_have_count(0)
    assert wall.evaluate("window.stayed === true")
    wall.close()


def test_a_non_public_wall_opens_only_by_its_secret_link(browser_contexts, people,
                                                         browser_instance):
    retreat, olga, pia = people["retreat"], people["olga"], people["pia"]
    said = _say(pia, retreat, "Vertraulich: Zahlen für 2027")
    with httpx.Client(base_url=browser_instance.base_url) as nobody:
        assert nobody.get(f"/wall/{retreat['id']}").status_code == 404
        secret_url = _made(olga.http.get(f"{API}/{retreat['id']}/wall"))["url"]
        path = secret_url.removeprefix(browser_instance.base_url)
        assert path.startswith("/wall/s/")
        guessed = path[:-4] + ("0000" if not path.endswith("0000") else "1111")
        for wrong in (guessed, f"/wall/s/{retreat['id']}.{secrets.token_hex(20)}",
                      "/wall/s/nothing"):
            answer = nobody.get(wrong)
            assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
    wall = _open_wall(browser_contexts(), path)
    expect(wall.locator(f"#wall-post-{said['id']}")).to_contain_text("Vertraulich")
    later = _say(pia, retreat, "Pause bis 15 Uhr")
    expect(wall.locator(f"#wall-post-{later['id']}")).to_be_visible(timeout=LIVE)
    # Renewed: the open wall on the old link reloads into "not found".
    renewed = _made(olga.http.post(f"{API}/{retreat['id']}/wall/renew"))["url"]
    assert renewed != secret_url
    expect(wall.get_by_role("heading", level=1)).not_to_have_text(
        "Klausur der Geschäftsführung", timeout=LIVE)
    wall.close()
    fresh = _open_wall(browser_contexts(), renewed.removeprefix(browser_instance.base_url))
    expect(fresh.locator(f"#wall-post-{later['id']}")).to_be_visible()
    fresh.close()


@pytest.mark.engine_independent
def test_the_wall_and_the_event_page_pass_axe_and_are_photographed(browser_contexts, people):
    summit, olga, pia = people["summit"], people["olga"], people["pia"]
    _say(pia, summit, "Workshop 3 ist ausgebucht – danke an alle!")
    pia.http.post(f"{API}/{summit['id']}/statuses",
                  json={"status": f"Danke @{people['tom'].username} für die Technik"})
    for language, locale in (("en", "en-GB"), ("de", "de-DE")):
        page = browser_contexts(locale=locale).new_page()
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"/wall/{summit['id']}")
            expect(page.locator("#wall-posts")).to_have_attribute("data-listening", "yes")
            assert violations(page) == [], f"wall ({language}, {width})"
            photograph(page, f"event-wall-{language}-{width}.png")
        page.close()
    organiser = browser_contexts(olga.username)
    # The organiser's page shows the held post and the participants' consent.
    check_and_photograph(organiser, f"/web/events/{summit['id']}", "event-organiser")
    check_and_photograph(organiser, "/web/events", "events")
    check_and_photograph(browser_contexts("pia"), f"/web/events/{summit['id']}",
                         "event-participant")
    check_and_photograph(browser_contexts(), f"/web/events/{summit['id']}", "event-reader")
