"""What browser tests share: Debian's Chromium, axe-core, screenshots and signing in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTHS = (375, 1280)
PHOTOGRAPHS = os.environ.get("CI") != "true"


def require_chromium() -> None:
    """Skip the calling module where Chromium is missing; in CI that is a failure."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs Chromium at /usr/bin/chromium for the browser tests "
                    "(apt-get install -y chromium)", pytrace=False)
    pytest.skip("Chromium is not installed here", allow_module_level=True)


def require_playwright():
    """`require_chromium`, and skip the calling module where Playwright is missing; returns
    Playwright's `expect` for the module's assertions."""
    require_chromium()
    return pytest.importorskip("playwright.sync_api").expect


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


# In dark mode only the colours differ from the light page, so only they are checked again.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def is_dark(page) -> bool:
    return page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")


def violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (in dark mode, of
    its colours)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "rule", "values": COLOUR_RULES}} if is_dark(page) else None
    results = Axe().run(page, options=options)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x)"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def new_context(chromium, instance, login: str | None = None, **options):
    """A context on `instance` in English at 1280 px (`options` change that), signed in as
    `login` if given."""
    context = chromium.new_context(**{"base_url": instance.base_url, "locale": "en-GB",
                                      "viewport": {"width": 1280, "height": 900}, **options})
    if login:
        sign_in(context, login).close()
    return context


def switch_language(page, language: str) -> bool:
    """Switch the page to `language` with the language form unless it is shown in it already;
    whether it had to switch."""
    from playwright.sync_api import expect

    if page.locator("html").get_attribute("lang") == language:
        return False
    page.select_option("#language", language)
    page.get_by_role("button", name="Sprache wechseln" if language == "en"
                     else "Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    return True


def check_and_photograph(context, path: str, name: str) -> None:
    """Axe and screenshots of one page in both languages at both widths (in dark mode, in the
    language it is shown in: the words do not change its colours)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = context.new_page()
    for language in ("en",) if is_dark(page) else ("en", "de"):
        page.goto(path)
        if switch_language(page, language):
            page.goto(path)
        assert violations(page) == [], f"{name} ({language})"
        if PHOTOGRAPHS:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                photograph(page, f"{name}-{language}-{width}.png", full_page=True)
    page.close()


def photograph(page, name: str, **options) -> None:
    """A screenshot in tests/artifacts for people to look at; CI, where nobody looks, saves
    the time (a full page at two widths in two languages costs seconds each)."""
    if PHOTOGRAPHS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / name, **options)


def sign_in(context, login: str, password: str = PASSWORD):
    """A new page of the context, signed in as `login`, showing the home timeline."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto("/web/sign-in")
    page.get_by_label("E-mail address or username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Home timeline")).to_be_visible()
    return page


def gets_focus(page, selector: str, timeout: float = 5000) -> bool:
    """Whether the element matching `selector` has the focus or gets it within `timeout` ms:
    a page's script may move the focus a moment after what it opens is shown."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "s => document.activeElement && document.activeElement.matches(s)",
            arg=selector, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def focused(page, selector: str) -> bool:
    """Whether the element matching `selector` has the focus."""
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user
    would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
