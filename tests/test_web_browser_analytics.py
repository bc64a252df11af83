"""The analytics pages in a real headless Chromium: axe finds nothing serious on the list,
an account's report (charts beside their tables), the organisation's and a group's, in both
languages and in dark mode, and each is photographed (tests/artifacts)."""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, photograph, require_playwright, violations
from support import PASSWORD, UserFactory

expect = require_playwright()
GROUPS = "/api/zwitscher/v1/groups"


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", role="admin", display_name="Ada Admin")
    readers = [factory.create() for _ in range(3)]
    group = ada.http.post(GROUPS, data={"slug": "kommunikation",
                                        "name": "Kommunikation"}).json()
    ada.http.post(f"{GROUPS}/{group['id']}/members", data={
        "account_ids[]": [ada.id, *(r.id for r in readers)]}).raise_for_status()
    for reader in readers:
        reader.api.account_follow(ada.id)
    post = ada.api.status_post("Neu: https://example.org/bericht")
    readers[0].api.status_favourite(post)
    readers[1].api.status_reblog(post)
    readers[2].api.status_reply(post, "Danke!")
    return {"ada": ada, "group": group}


@pytest.mark.engine_independent
def test_analytics_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts,
                                                                         people):
    pages = {"analytics": "/web/analytics",
             "analytics-account": f"/web/analytics/accounts/{people['ada'].id}",
             "analytics-instance": "/web/analytics/instance?interval=week",
             "analytics-group": f"/web/analytics/groups/{people['group']['id']}"}
    page = browser_contexts("ada", color_scheme="dark").new_page()
    for name, path in pages.items():
        page.goto(path)
        assert violations(page) == [], f"{name} (dark)"
        photograph(page, f"{name}-dark-en-1280.png", full_page=True)
    # The numbers are reachable by keyboard: each chart's table is a focusable region.
    page.goto(pages["analytics-account"])
    table = page.get_by_role("region", name="Table: Engagement")
    table.focus()
    expect(table).to_be_focused()
    expect(page.get_by_role("img", name="Engagement: Replies, boosts")).to_be_visible()
    page.close()
    light = browser_contexts("ada")
    for name, path in pages.items():
        check_and_photograph(light, path, name)


# The size of a chart's axis labels on the screen: its drawing's font size scaled by the width
# it is shown at over the width it was drawn for (its viewBox).
LABEL_PX = """img => {
  const svg = atob(img.currentSrc.split(",")[1]);
  const drawn = Number(/viewBox="0 0 (\\d+)/.exec(svg)[1]);
  const font = Number(/\\.axis text\\{[^}]*font-size:(\\d+)px/.exec(svg)[1]);
  return font * img.getBoundingClientRect().width / drawn;
}"""


@pytest.mark.engine_independent
def test_chart_labels_stay_readable_on_a_phone_and_nothing_scrolls_sideways(browser_contexts,
                                                                            people):
    path = f"/web/analytics/accounts/{people['ada'].id}"
    page = browser_contexts().new_page()
    page.goto("/web/sign-in")  # by hand: the test above left Ada's pages in German
    page.get_by_label("E-mail address or username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/web/home")
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path)
        charts = page.locator("img.chart")
        expect(charts).to_have_count(4)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        sizes = [charts.nth(n).evaluate(LABEL_PX) for n in range(4)]
        assert min(sizes) >= 12, (width, sizes)
    page.close()
