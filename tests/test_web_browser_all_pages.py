"""A crawler over the whole web interface, on an instance full of hostile content.

Everything a person can type (display name, bio, post, content warning, poll options, image
description, list title, filter title and keyword, search query, group name) holds a payload
that would run script if any page let it through. A signed-in Chromium starts at `/web/home`
and follows every link of this site it finds, breadth first (pages are discovered, not listed:
pages built later are crawled too). On every page: no script error or CSP violation, the
payload never ran and is shown as text where it is shown, nothing is wider than the window
from 320 to 1920 px, and axe-core finds nothing serious in light and dark. (The main pages are
photographed in German and English by the browser tests of each area; photographing every
crawled page again cost minutes of CI.)
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import quote, urlsplit

import pytest

from browser_support import (
    new_context,
    photograph,
    require_chromium,
    violations,
)
from media_support import image_bytes
from support import UserFactory

require_chromium()
sync_api = pytest.importorskip("playwright.sync_api")

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
# Display names have room for 30 characters.
SHORT_PAYLOAD = "<img src=x onerror=__pwned=1>"
# Where the crawl starts besides the home page: a search for the payload and an unknown page.
EXTRA_STARTS = {f"/web/search?q={quote(PAYLOAD)}": 200, "/web/no-such-page": 404}
WIDTHS = (320, 375, 768, 1280, 1920)
MAX_PAGES = 30
# Never followed: they change things or are no pages.
SKIPPED = re.compile(r"^/(web/sign-out|web/stream|static/|media/|avatars/|headers/|api/|oauth/)"
                     r"|\.atom$")



@pytest.fixture(scope="module")
def people(browser_instance):
    _seed_hostile_content(browser_instance)
    return {}


def _seed_hostile_content(server) -> None:
    """Vera, who is crawled as, follows Mallory, who fills every field with the payload."""
    people = UserFactory(server)
    mallory = people.create("mallory", display_name=SHORT_PAYLOAD, role="admin")
    vera = people.create("vera", display_name="Vera")
    mallory.http.patch("/api/v1/accounts/update_credentials", data={
        "display_name": SHORT_PAYLOAD, "note": PAYLOAD,
        "fields_attributes[0][name]": PAYLOAD[:40],
        "fields_attributes[0][value]": PAYLOAD}).raise_for_status()
    vera.api.account_follow(mallory.id)
    group = mallory.http.post("/api/zwitscher/v1/groups", data={
        "slug": "crew", "name": PAYLOAD, "description": PAYLOAD})
    group.raise_for_status()
    mallory.http.post(f"/api/zwitscher/v1/groups/{group.json()['id']}/members", data={
        "account_ids[]": [vera.id], "role": "member"}).raise_for_status()
    image = mallory.http.post("/api/v2/media", files={
        "file": ("x.png", image_bytes("PNG"), "image/png")}, data={"description": PAYLOAD})
    image.raise_for_status()
    posts = [
        {"status": f"{PAYLOAD} #pwned 1234567 @vera", "visibility": "public"},
        {"status": PAYLOAD, "spoiler_text": PAYLOAD, "visibility": "public"},
        {"status": f"poll {PAYLOAD}", "poll[options][]": [PAYLOAD[:50], "2" + PAYLOAD[:49]],
         "poll[expires_in]": "86400", "visibility": "public"},
        {"status": f"image {PAYLOAD}", "media_ids[]": [image.json()["id"]],
         "visibility": "public"},
        {"status": f"group {PAYLOAD}", "visibility": "group",
         "group_ids[]": [group.json()["id"]]},
        {"status": f"@vera {PAYLOAD}", "visibility": "direct"},
    ]
    for post in posts:
        mallory.http.post("/api/v1/statuses", data=post).raise_for_status()
    first = mallory.api.account_statuses(mallory.id)[-1]
    vera.api.status_reblog(first["id"])
    vera.api.status_favourite(first["id"])
    vera.api.status_bookmark(first["id"])
    vera.http.post("/api/v1/statuses", data={
        "status": f"@mallory {PAYLOAD}", "in_reply_to_id": first["id"]}).raise_for_status()
    listed = vera.http.post("/api/v1/lists", data={"title": PAYLOAD})
    listed.raise_for_status()
    vera.http.post(f"/api/v1/lists/{listed.json()['id']}/accounts",
                   data={"account_ids[]": [mallory.id]}).raise_for_status()
    vera.http.post("/api/v2/filters", json={
        "title": PAYLOAD, "context": ["notifications"], "filter_action": "warn",
        "keywords_attributes": [{"keyword": PAYLOAD + "never matches"}]}).raise_for_status()
    vera.http.post("/api/v1/featured_tags", data={"name": "pwned"}).raise_for_status()
    vera.http.post("/api/v1/tags/pwned/follow").raise_for_status()


def _listen(page, problems: list[str]) -> None:
    # Chromium also logs "Failed to load resource" for a page answered 404 on purpose; failed
    # images, scripts and styles are caught by the response listener with their address.
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(f"console on {page.url}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on("response", lambda response: response.status >= 400
            and response.request.resource_type != "document"
            and problems.append(f"{response.url} answered {response.status} on {page.url}"))


def _links(page, origin: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = set()
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIPPED.search(parts.path):
            found.add(path)
    return found


def _kind(path: str) -> str:
    """Pages that differ only in an id or a paging cursor are one kind: one is enough."""
    return re.sub(r"\d+", "N", path)


# What sticks out on the right, to say where an overflow comes from.
WIDEST = """[...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
  + ' ' + (e.textContent || '').trim().slice(0, 40)).join(' | ')"""


def _check_the_page_as_it_is(page, path: str) -> list[str]:
    problems = []
    if page.evaluate("typeof window.__pwned") != "undefined":
        problems.append("the payload ran")
    if page.evaluate("document.querySelectorAll('script:not([src]), [onerror]').length"):
        problems.append("an inline script or an onerror attribute is in the page")
    text = page.evaluate("document.body.innerText")
    if "__pwned" in text and PAYLOAD[:30] not in text and SHORT_PAYLOAD not in text:
        problems.append("the payload is shown, but not as the text it is")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            problems.append(f"{wide}px wider than the window at {width}px: "
                            + (page.evaluate(WIDEST) or "a text with no room to break"))
    page.set_viewport_size({"width": 1280, "height": 900})
    problems += [f"axe (light): {finding}" for finding in violations(page)]
    return [f"{path}: {problem}" for problem in problems]


@pytest.mark.engine_independent
def test_every_page_reachable_from_home_is_safe_readable_and_fits(chromium, browser_instance):
    light = new_context(chromium, browser_instance, "vera")
    dark = new_context(chromium, browser_instance, "vera", color_scheme="dark")
    origin = browser_instance.base_url
    expected = {"/web/home": 200, **EXTRA_STARTS}
    queue, seen_kinds, visited = deque(expected), set(), []
    problems: list[str] = []
    page, dark_page = light.new_page(), dark.new_page()
    _listen(page, problems)
    _listen(dark_page, problems)
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        response = page.goto(path)
        status = response.status if response else 0
        if status != expected.get(path, 200):
            problems.append(f"{path}: answered {status}")
            continue
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        visited.append(path)
        problems += _check_the_page_as_it_is(page, path)
        queue.extend(sorted(_links(page, origin) - set(visited)))
        dark_page.goto(path)
        problems += [f"{path}: axe (dark): {finding}" for finding in violations(dark_page)]
    print("crawled:", *visited, sep="\n  ")
    assert "/web/home" in visited and len(visited) >= 4, visited
    assert problems == [], "\n".join(problems)
    light.close()
    dark.close()


def test_on_a_phone_the_rest_of_the_navigation_opens_under_more_without_javascript(
        chromium, browser_instance):
    expect = sync_api.expect
    # Mallory: the crawl has left Vera's interface in German.
    for javascript in (False, True):
        context = new_context(chromium, browser_instance, "mallory", java_script_enabled=javascript)
        page = context.new_page()
        page.set_viewport_size({"width": 320, "height": 700})
        page.goto("/web/home")
        navigation = page.get_by_role("navigation", name="Main")
        expect(navigation.get_by_role("link", name="Home")).to_be_visible()
        expect(navigation.get_by_role("link", name="Settings")).to_be_hidden()
        more = navigation.locator("summary", has_text="More")
        more.focus()
        page.keyboard.press("Enter")
        expect(navigation.get_by_role("link", name="Settings")).to_be_visible()
        expect(navigation.get_by_role("button", name="Sign out")).to_be_visible()
        if javascript:  # (evaluating anything in a page needs its JavaScript)
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") \
                == "solid"
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert violations(page) == []
            photograph(page, "crawl-navigation-more-open-320.png")
        page.set_viewport_size({"width": 1280, "height": 700})
        expect(navigation.get_by_role("link", name="Settings")).to_be_visible()
        expect(more).to_be_hidden()
        context.close()
