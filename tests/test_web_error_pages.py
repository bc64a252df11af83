"""Errors on web paths are pages in the person's language; the API keeps its JSON errors."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import asyncpg
import httpx
import pytest

from web_support import WebClient, fresh_instance


def _is_page(response: httpx.Response) -> bool:
    return (response.headers["content-type"].startswith("text/html")
            and "default-src 'self'" in response.headers["content-security-policy"]
            and '<nav aria-label=' in response.text and "<h1" in response.text)


@pytest.mark.parametrize("path", ["/web/no-such-page", "/web/home/deeper/still",
                                  "/tags/no-such-tag-page/x", "/@nobody_at_all_here",
                                  "/@nobody_at_all_here/123/456"])
def test_an_unknown_web_address_is_a_page_not_found_in_english_and_german(server, path):
    english = httpx.get(server.base_url + path, headers={"Accept-Language": "en"})
    assert english.status_code == 404 and _is_page(english)
    assert '<html lang="en">' in english.text
    german = httpx.get(server.base_url + path, headers={"Accept-Language": "de"})
    assert german.status_code == 404 and _is_page(german)
    assert '<html lang="de">' in german.text
    if path.startswith(("/web", "/tags")):
        assert "Page not found" in english.text and "Seite nicht gefunden" in german.text


def test_a_signed_in_person_keeps_their_navigation_on_an_error_page(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = web.get("/web/nothing-here")
    assert page.status_code == 404 and _is_page(page)
    assert f'href="/@{alice.username}"' in page.text and "Sign out" in page.text


def test_a_wrong_method_on_a_web_path_is_a_page_and_on_the_api_json(server):
    page = httpx.get(f"{server.base_url}/web/sign-out", headers={"Accept-Language": "de"})
    assert page.status_code == 405 and _is_page(page) and "Das geht hier nicht" in page.text
    api = httpx.delete(f"{server.base_url}/api/v1/instance")
    assert api.status_code == 405 and api.json() == {"error": "Method not allowed"}


def test_api_errors_stay_mastodon_json(server):
    missing = httpx.get(f"{server.base_url}/api/v1/statuses/123456789")
    assert missing.status_code == 404 and missing.json() == {"error": "Record not found"}
    unknown = httpx.get(f"{server.base_url}/api/v1/no-such-endpoint")
    assert unknown.status_code == 404 and unknown.json() == {"error": "Record not found"}
    account = httpx.get(f"{server.base_url}/api/v1/accounts/lookup",
                        params={"acct": "<script>alert(1)</script>"})
    assert account.headers["content-type"].startswith("application/json")


def test_a_malformed_form_is_a_page_that_changes_nothing(server):
    broken = httpx.post(f"{server.base_url}/web/sign-in", content=b"--x\r\nnonsense",
                        headers={"Content-Type": "multipart/form-data",
                                 "Accept-Language": "de"})
    assert 400 <= broken.status_code < 500 and _is_page(broken)
    assert "<script" not in broken.text.split("</nav>")[1].split("<footer")[0]


def test_a_service_error_on_a_german_page_is_explained_in_german(server, new_user):
    alice = new_user()
    german = WebClient(server.base_url)
    german.sign_in(alice.username)
    german.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    too_long = german.submit("/web/home", "/web/statuses",
                             {"text": "x" * 501, "visibility": "public"})
    assert too_long.status_code == 422
    assert "Der Text ist länger als 500 Zeichen" in too_long.text
    assert "Validation failed" not in too_long.text
    english = WebClient(server.base_url)
    english.sign_in(alice.username)
    english.submit("/web/home", "/web/language", {"language": "en", "back": "/web/home"})
    page = english.submit("/web/home", "/web/statuses", {"text": "x" * 501,
                                                         "visibility": "public"})
    assert "Text character limit of 500 exceeded" in page.text
    api = alice.http.post("/api/v1/statuses", data={"status": "x" * 501})
    assert api.json() == {"error": "Validation failed: Text character limit of 500 exceeded"}
    assert alice.api.account_statuses(alice.id) == []
    german.close()
    english.close()


def _lose_the_users_table(server) -> None:
    """A real failure under the running server: the table every page counts is gone."""
    if url := server.env.get("ZWITSCHER_DATABASE_URL"):
        async def rename() -> None:
            conn = await asyncpg.connect(url)
            try:
                await conn.execute("ALTER TABLE users RENAME TO users_gone")
            finally:
                await conn.close()

        asyncio.run(rename())
        return
    with sqlite3.connect(Path(server.env["ZWITSCHER_DATA_DIR"]) / "zwitscher.sqlite3") as db:
        db.execute("ALTER TABLE users RENAME TO users_gone")


def test_a_failure_on_our_side_is_a_500_page_with_the_traceback_in_the_log(tmp_path):
    with fresh_instance(tmp_path) as broken:
        _lose_the_users_table(broken)
        page = httpx.get(f"{broken.base_url}/web", headers={"Accept-Language": "de"})
        assert page.status_code == 500 and _is_page(page)
        assert "Bei uns ist etwas schiefgegangen" in page.text and "nicht an dir" in page.text
        assert page.headers["x-frame-options"] == "DENY"
        english = httpx.get(f"{broken.base_url}/web")
        assert "Something went wrong on our side" in english.text
        assert "nothing you did" in english.text
        api = httpx.get(f"{broken.base_url}/api/v1/instance")
        assert api.status_code == 500 and api.json() == {"error": "Internal server error"}
        log = broken.log_text()
        assert "Traceback" in log and "users" in log


def test_a_form_too_large_or_with_a_nul_is_a_page_and_posts_nothing(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    token = re.search(r'name="csrf" value="([0-9a-f]{64})"', web.get("/web/home").text)[1]
    huge = web.http.post("/web/lists", data={"csrf": token, "title": "x" * 400_000},
                         headers={"Accept-Language": "de"})
    assert huge.status_code == 413 and _is_page(huge)
    assert "Das war zu viel auf einmal" in huge.text
    nul = web.get("/web/home?reply_to=%00")
    assert nul.status_code == 400 and _is_page(nul)
    assert alice.api.account_statuses(alice.id) == []
    api = web.http.get("/api/v1/timelines/public?x=%00")
    assert api.status_code == 400 and "error" in api.json()
