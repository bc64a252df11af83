"""A monitor's insights page in a real headless Chromium: axe finds nothing serious, in German
and English, and photographs of it with charts, tables and a post's sentiment opened."""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, photograph, require_playwright
from support import UserFactory, wait_until

expect = require_playwright()
PATH = "/api/zwitscher/v1/monitors"


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada, bea = factory.create("ada", display_name="Ada"), factory.create("bea")
    ours = ada.http.post(PATH, json={"name": "Zwitscher", "keywords": ["Zwitscher"]}).json()
    ada.http.post(PATH, json={"name": "Rival", "keywords": ["Rival"]})
    texts = [("Zwitscher ist großartig, der Streik am Bahnhof war kein Problem", "de"),
             ("Zwitscher ist leider total schlecht heute, Streik am Bahnhof", "de"),
             ("I love Zwitscher, the Streik news at the Bahnhof were wonderful", "en"),
             ("Zwitscher and Rival compared", "en"),
             ("Rival est magnifique", "fr")]
    posted = [bea.api.status_post(text, language=language) for text, language in texts]
    wanted = {str(s["id"]) for s in posted[:4]}
    assert wait_until(lambda: wanted <= {s["id"] for s in ada.http.get(
        f"{PATH}/{ours['id']}/statuses").json()}, 20)
    return {"ada": ada, "monitor": ours}


def test_the_insights_page_passes_axe_and_opens_a_posts_sentiment(browser_contexts, people):
    context = browser_contexts("ada")
    path = f"/web/monitors/{people['monitor']['id']}/insights"
    check_and_photograph(context, path, "monitor-insights")
    page = context.new_page()
    page.goto(path)
    page.get_by_label("Rival").check()
    page.locator("form.analytics-range button[type=submit]").click()
    expect(page.locator("#voice-heading")).to_be_visible()
    expect(page.locator("img.chart")).to_have_count(3)
    page.locator("details.sentiment-why", has=page.locator("table")).first \
        .locator("summary").click()
    expect(page.locator("details.sentiment-why[open] table")).to_be_visible()
    photograph(page, "monitor-insights-compared-de-1280.png", full_page=True)
    page.close()
