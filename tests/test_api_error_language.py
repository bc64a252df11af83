"""API errors speak the client's language, as Mastodon's do: the `lang` parameter (which
Mastodon.py sends), else `Accept-Language`, else English; the body stays `{"error": ...}`."""

from __future__ import annotations

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError


@pytest.fixture(scope="module")
def alice(users):
    return users.create()


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    return body["error"]


@pytest.mark.parametrize(("header", "text"), [
    (None, "Record not found"),
    ("de", "Nicht gefunden"),
    ("de-DE,de;q=0.9,en;q=0.8", "Nicht gefunden"),
    ("fr-FR, de;q=0.5", "Nicht gefunden"),
    ("en-GB,de;q=0.8", "Record not found"),
    ("fr, *", "Record not found"),
])
def test_accept_language_chooses_german_or_english(alice, header, text):
    headers = {"Accept-Language": header} if header else {}
    assert error(alice.http.get("/api/v1/statuses/123", headers=headers), 404) == text
    assert error(alice.http.get("/api/v1/no-such-endpoint", headers=headers), 404) == text


def test_validation_failures_are_explained_in_german(alice):
    german = {"Accept-Language": "de"}
    blank = alice.http.post("/api/v1/statuses", data={"status": " "}, headers=german)
    assert error(blank, 422) == "Validierung fehlgeschlagen: Der Text darf nicht leer sein"
    long = alice.http.post("/api/v1/statuses", data={"status": "x" * 5001}, headers=german)
    assert error(long, 422).startswith("Validierung fehlgeschlagen: Der Text ist länger als ")
    # A malformed parameter: the names and types in the details are the API's own.
    vote = alice.http.post("/api/v1/polls/1/votes", json={"choices": "eins"}, headers=german)
    assert error(vote, 422).startswith("Validierung fehlgeschlagen: choices")
    # In English, Mastodon's wording exactly.
    assert error(alice.http.post("/api/v1/statuses", data={"status": " "}), 422) == (
        "Validation failed: Text can't be blank")


def test_access_errors_are_explained_in_german(server, users):
    german = {"Accept-Language": "de"}
    url = f"{server.base_url}/api/v1/accounts/verify_credentials"
    assert error(httpx.get(url, headers=german), 401) == "Der Zugangsschlüssel ist ungültig"
    app_only = httpx.get(url, headers={**german,
                                       "Authorization": f"Bearer {users.app_token()}"})
    assert error(app_only, 422) == "Dafür musst du angemeldet sein"


def test_mastodon_py_asks_in_its_language(server, users, alice):
    german = Mastodon(access_token=alice.token, api_base_url=server.base_url, lang="de",
                      client_id=users.client_id, client_secret=users.client_secret)
    # Only calls that build their own parameters: Mastodon.py adds `lang` to a shared
    # default dict otherwise, and every client of this process would ask in German from then on.
    with pytest.raises(MastodonAPIError) as refused:
        german.status_post(" ")
    assert "Validierung fehlgeschlagen: Der Text darf nicht leer sein" in str(refused.value)
    with pytest.raises(MastodonAPIError) as missing:
        german.status_reblog("123")
    assert "Nicht gefunden" in str(missing.value)
    assert error(alice.http.get("/api/v1/statuses/123", params={"lang": "de"},
                                headers={"Accept-Language": "en"}), 404) == "Nicht gefunden"
