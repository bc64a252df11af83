"""Dates and numbers on the pages are written the way readers of the page's language write
them: 30.11.2026 and 5.000 in German, Nov 30, 2026 and 5,000 in English."""

from __future__ import annotations

import re
from datetime import UTC

import pytest

from support import UserFactory
from web_support import WebClient, fresh_instance

# A card's time is relative ("jetzt", "5 Min."); its exact time is the `title`.
GERMAN_DATE = re.compile(r"<time datetime=\"[^\"]+\" title=\"(\d{2}\.\d{2}\.\d{4}, "
                         r"\d{2}:\d{2}:\d{2})\">")
ENGLISH_DATE = re.compile(r"<time datetime=\"[^\"]+\" title=\"([A-Z][a-z]{2} \d{1,2}, \d{4}, "
                          r"\d{1,2}:\d{2}:\d{2}\s?[AP]M)\">")


@pytest.fixture(scope="module")
def fresh_server_with_long_posts(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("long-posts"),
                        ZWITSCHER_MAX_CHARACTERS="5000") as server:
        yield server, UserFactory(server).create().username


def _in(language: str, web: WebClient) -> None:
    web.submit("/web/home", "/web/language", {"language": language, "back": "/web/home"})


def _card(page: str, status) -> str:
    """The post's card (an announcement on the shared server may show a time above it)."""
    return page[page.index(f'id="status-{status["id"]}"'):]


def test_the_timeline_writes_dates_and_numbers_in_the_pages_language(server, new_user):
    alice = new_user()
    status = alice.api.status_post("a post with a date", visibility="public")
    posted = status["created_at"]
    web = WebClient(server.base_url)
    web.sign_in(alice.username)
    posted = posted.astimezone(UTC)
    _in("de", web)
    german = _card(web.get("/web/home").text, status)
    assert GERMAN_DATE.search(german), german
    assert GERMAN_DATE.search(german).group(1).startswith(posted.strftime("%d.%m.%Y, %H:%M"))
    _in("en", web)
    english = _card(web.get("/web/home").text, status)
    assert ENGLISH_DATE.search(english), english
    assert ENGLISH_DATE.search(english).group(1).startswith(
        posted.strftime("%b ") + str(posted.day) + posted.strftime(", %Y"))
    web.close()


def test_counts_are_grouped_by_locale(fresh_server_with_long_posts):
    server, username = fresh_server_with_long_posts
    web = WebClient(server.base_url)
    web.sign_in(username)
    _in("en", web)
    assert "At most 5,000 characters." in web.get("/web/home").text
    _in("de", web)
    assert "5.000 Zeichen" in web.get("/web/home").text
    web.close()
