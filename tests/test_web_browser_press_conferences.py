"""A press conference in a real headless Chromium: a journalist asks, a moderator accepts, two
people vote, an author answers, and every open page (the moderator's, the journalist's, the
voters' and a reader's who is not signed in) sees each step live, without reloading. The live
page and the transcript pass axe-core and are photographed at 375 px and 1280 px in German and
English into `tests/artifacts/`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from browser_support import check_and_photograph, require_playwright
from support import UserFactory, make_brand

expect = require_playwright()

API = "/api/zwitscher/v1/press_conferences"
LIVE = 15000  # ms: a step reaches every page over the stream


@pytest.fixture(scope="module")
def people(browser_instance):
    users = UserFactory(browser_instance)
    admin = users.create(role="admin")
    brand, jana, _ = make_brand(admin, users, username="presse", display_name="Pressestelle")
    return {"brand": brand, "jana": jana,
            "erika": users.create("erika", display_name="Erika Muster", role="guest"),
            "max": users.create("max", display_name="Max Meier"),
            "lena": users.create("lena", display_name="Lena Lang")}


@pytest.fixture(scope="module")
def conference(people):
    ends_at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    made = people["jana"].http.post(API, json={
        "brand_id": people["brand"]["id"], "title": "Jahreszahlen 2026",
        "description": "Fragen zu den Zahlen des Jahres.\nAntworten kommen live.",
        "ends_at": ends_at})
    assert made.status_code == 200, made.text
    return made.json()


def _open(context, path: str):
    page = context.new_page()
    page.goto(path)
    expect(page.locator("#press-queue")).to_have_attribute("data-listening", "yes")
    # Set on this document only: still there at the end, the page was never reloaded.
    page.evaluate("window.stayed = true")
    return page


def test_every_step_reaches_every_open_page_live(browser_contexts, people, conference):
    path = f"/web/press-conferences/{conference['id']}"
    moderator = _open(browser_contexts(people["jana"].username), path)
    journalist = _open(browser_contexts("erika"), path)
    voters = [_open(browser_contexts(name), path) for name in ("max", "lena")]
    reader = _open(browser_contexts(), path)
    everyone = [moderator, journalist, *voters, reader]

    journalist.get_by_label("Your question").fill("Wann öffnet das neue Werk?")
    journalist.get_by_role("button", name="Ask", exact=True).click()
    expect(journalist.locator("#press-queue")).to_contain_text(
        "Waiting for the moderators", timeout=LIVE)
    waiting = moderator.locator("section", has=moderator.get_by_role(
        "heading", name="Waiting for moderation"))
    expect(waiting).to_contain_text("Wann öffnet das neue Werk?", timeout=LIVE)
    expect(moderator.locator("#press-live")).to_have_text(
        "A new question waits for moderation.")
    for page in (*voters, reader):
        expect(page.locator("#press-queue")).not_to_contain_text("Wann öffnet")

    waiting.get_by_role("button", name="Accept").click()
    for page in everyone:
        expect(page.locator("#press-queue-list")).to_contain_text(
            "Wann öffnet das neue Werk?", timeout=LIVE)
    expect(reader.locator("#press-live")).to_have_text("A question was accepted.")

    for voter in voters:
        voter.locator("#press-queue-list").get_by_role("button", name="Vote").click()
    for page in everyone:
        expect(page.locator("#press-queue-list .press-votes-count")).to_have_text(
            "2", timeout=LIVE)
    for voter in voters:
        expect(voter.locator("#press-queue-list button.press-vote-button")).to_have_attribute(
            "aria-pressed", "true")

    moderator.locator("#press-queue-list summary", has_text="Answer").click()
    moderator.get_by_label("Your answer as Pressestelle").fill("Im April, wie geplant.")
    moderator.get_by_role("button", name="Post the answer").click()
    for page in everyone:
        answered = page.locator("section", has=page.get_by_role("heading", name="Answered"))
        expect(answered).to_contain_text("Im April, wie geplant.", timeout=LIVE)
        expect(answered).to_contain_text("Pressestelle, answered by Jana Stuker")
        expect(page.locator("#press-queue-list")).to_have_count(0)
    expect(reader.locator("#press-live")).to_have_text("A question was answered.")
    for page in everyone:
        assert page.evaluate("window.stayed === true")
        page.close()


@pytest.mark.engine_independent
def test_the_live_page_and_the_transcript_pass_axe_and_are_photographed(
        browser_contexts, people, conference):
    # One more question in the queue, with votes, so the photographs show the live page full.
    erika, jana, max_, lena = (people[name] for name in ("erika", "jana", "max", "lena"))
    asked = max_.http.post(f"{API}/{conference['id']}/questions",
                           json={"text": "Wie viele Stellen entstehen dort?"}).json()
    jana.http.post(f"{API}/{conference['id']}/questions/{asked['id']}/accept")
    erika.http.post(f"{API}/{conference['id']}/questions/{asked['id']}/vote")
    lena.http.post(f"{API}/{conference['id']}/questions", json={"text": "Und die Kantine?"})
    path = f"/web/press-conferences/{conference['id']}"
    moderator = browser_contexts(jana.username)
    check_and_photograph(moderator, path, "press-conference-moderator")
    check_and_photograph(browser_contexts(), path, "press-conference-reader")
    check_and_photograph(browser_contexts(), f"{path}/transcript", "press-conference-transcript")
    check_and_photograph(moderator, "/web/press-conferences", "press-conferences")
