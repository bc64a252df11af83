"""Search through Mastodon.py and plain HTTP: statuses by their words (German and English,
phrases, exclusions, `from:`), accounts and hashtags, filters and pages; edits and deletes show
at once; hostile queries are refused or find nothing, never crash the server.

Every status here carries a word unique to its test, so other tests' statuses never mix in.
"""

from __future__ import annotations

import httpx
import pytest
from mastodon import MastodonAPIError

from conftest import TEST_DATABASE_URL
from support import found, word


def post(user, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def test_words_are_found_whatever_their_case_and_diacritics(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    german = post(alice, f"Grüße aus der Straße in München {marker}", language="de")
    english = post(alice, f"Mr Müller's houses are running late {marker}", language="en")
    assert found(bob, f"strasse {marker}") == [german["id"]]
    assert found(bob, f"STRASSE {marker}") == [german["id"]]
    assert found(bob, f"Straße münchen {marker}") == [german["id"]]
    assert found(bob, f"munchen {marker}") == [german["id"]]
    assert found(bob, f"muller {marker}") == [english["id"]]
    assert found(bob, f"Müller {marker}") == [english["id"]]
    assert found(bob, marker) == [english["id"], german["id"]]  # newest first


def test_all_words_must_occur_and_phrases_keep_their_order(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    first = post(alice, f"Grüße aus Köln {marker}")
    second = post(alice, f"aus dem Büro: Grüße {marker}")
    assert found(bob, f'"grüße aus" {marker}') == [first["id"]]
    assert found(bob, f'"aus grüße" {marker}') == []
    assert found(bob, f"grüße büro {marker}") == [second["id"]]
    assert found(bob, f"grüße {marker} -köln") == [second["id"]]
    assert found(bob, f'{marker} -"aus dem"') == [first["id"]]
    assert found(bob, f"{marker} kaffee") == []


def test_stemming_is_postgresql_only_exact_words_work_on_both(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    houses = post(alice, f"Die Häuser am Hafen {marker}", language="de")
    assert found(bob, f"häuser {marker}") == [houses["id"]]
    assert found(bob, f"hauser {marker}") == [houses["id"]]
    # German stemming finds "Haus" in "Häuser" on PostgreSQL; SQLite matches whole words.
    assert found(bob, f"haus {marker}") == ([houses["id"]] if TEST_DATABASE_URL else [])


def test_the_content_warning_is_searched_too(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    status = post(alice, f"details inside {marker}", spoiler_text="Spoiler über Baustellen")
    assert found(bob, f"baustellen {marker}") == [status["id"]]
    assert found(bob, f"uber {marker}") == [status["id"]]


def test_edits_and_deletes_are_reflected_at_once(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    status = post(alice, f"Zebras im Zoo {marker}")
    assert found(bob, f"zebras {marker}") == [status["id"]]
    alice.api.status_update(status["id"], f"Giraffen im Zoo {marker}")
    assert found(bob, f"zebras {marker}") == []
    assert found(bob, f"giraffen {marker}") == [status["id"]]
    alice.api.status_update(status["id"], f"nur Text {marker}", spoiler_text="Elefanten")
    assert found(bob, f"elefanten {marker}") == [status["id"]]
    alice.api.status_delete(status["id"])
    assert found(bob, marker) == []
    assert found(alice, marker) == []


def test_reblogs_are_not_found_twice(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    marker = word()
    status = post(alice, f"worth sharing {marker}")
    bob.api.status_reblog(status["id"])
    assert found(carol, marker) == [status["id"]]


def test_account_id_and_from_keep_one_authors_statuses(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    marker = word()
    by_alice = post(alice, f"Lagebericht {marker}")
    by_bob = post(bob, f"Lagebericht {marker}")
    assert found(carol, marker) == [by_bob["id"], by_alice["id"]]
    assert found(carol, marker, account_id=alice.id) == [by_alice["id"]]
    assert found(carol, f"from:{bob.username} {marker}") == [by_bob["id"]]
    assert found(carol, f"from:@{alice.username} lagebericht {marker}") == [by_alice["id"]]
    assert found(carol, f"from:{alice.username} {marker}", account_id=bob.id) == []
    assert found(carol, f"from:nobody{marker} {marker}") == []
    # `from:` alone lists what the account wrote.
    assert by_alice["id"] in found(carol, f"from:{alice.username}")


def test_pages_by_offset_and_by_id(new_user):
    alice, bob = new_user(), new_user()
    marker = word()
    ids = [post(alice, f"Eintrag {n} {marker}")["id"] for n in range(5)]
    newest_first = list(reversed(ids))
    pages = [found(bob, marker, limit=2, offset=offset) for offset in (0, 2, 4)]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    assert found(bob, marker, limit=2, max_id=ids[3]) == [ids[2], ids[1]]
    assert found(bob, marker, limit=2, min_id=ids[1]) == [ids[3], ids[2]]
    limited = bob.http.get("/api/v2/search", params={"q": marker, "limit": "400"})
    assert len(limited.json()["statuses"]) == 5


def test_accounts_and_hashtags_are_found_beside_statuses(new_user):
    surname = word()
    alice = new_user(display_name=f"Renate {surname}")
    bob = new_user()
    tag = word()
    status = post(alice, f"Heute #{tag} mit allen")
    everything = bob.api.search_v2(tag)
    assert [t.name for t in everything.hashtags] == [tag]
    assert [s.id for s in everything.statuses] == [status["id"]]
    assert [t.name for t in bob.api.search_v2(f"#{tag}").hashtags] == [tag]
    # A lone hashtag asks for the tag, not for statuses (as Mastodon).
    assert bob.api.search_v2(f"#{tag}").statuses == []
    by_name = bob.api.search_v2(alice.username, result_type="accounts").accounts
    assert by_name[0].id == alice.id
    by_display_name = bob.api.search_v2(f"renate {surname}", result_type="accounts").accounts
    assert alice.id in [a.id for a in by_display_name]


def test_following_keeps_the_accounts_the_viewer_follows(new_user):
    alice, bob = new_user(), new_user()
    prefix = alice.username[:4]
    bob.api.account_follow(alice.id)
    params = {"q": alice.username, "type": "accounts", "following": "true"}
    assert [a["id"] for a in bob.http.get("/api/v2/search", params=params).json()["accounts"]
            ] == [alice.id]
    stranger = new_user()
    assert stranger.http.get("/api/v2/search", params=params).json()["accounts"] == []
    assert stranger.http.get("/api/v2/search", params={**params, "q": prefix}
                             ).json()["accounts"] == []


def test_urls_of_this_server_find_that_status_or_profile(new_user, server):
    alice, bob = new_user(), new_user()
    status = post(alice, "look me up by my address")
    assert [s.id for s in bob.api.search_v2(status["url"]).statuses] == [status["id"]]
    assert [s.id for s in bob.api.search_v2(status["uri"]).statuses] == [status["id"]]
    profile = bob.api.search_v2(f"{server.base_url}/@{alice.username}").accounts
    assert [a.id for a in profile] == [alice.id]
    elsewhere = bob.api.search_v2(f"https://elsewhere.example/@{alice.username}")
    assert (elsewhere.accounts, elsewhere.statuses) == ([], [])


def test_without_signing_in_accounts_and_hashtags_but_no_full_text(new_user, server):
    alice = new_user()
    marker = word()
    status = post(alice, f"public words #{marker}")
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        body = anonymous.get("/api/v2/search", params={"q": marker}).json()
        assert [t["name"] for t in body["hashtags"]] == [marker]
        assert body["statuses"] == []  # Mastodon searches statuses for signed-in people only
        by_url = anonymous.get("/api/v2/search", params={"q": status["url"]}).json()
        assert [s["id"] for s in by_url["statuses"]] == [status["id"]]
        for params in ({"q": marker, "resolve": "true"}, {"q": marker, "offset": "1"}):
            refused = anonymous.get("/api/v2/search", params=params)
            assert refused.status_code == 401 and refused.json()["error"]


HOSTILE = ['"', '""', '"unclosed phrase', "*", "a*", "NEAR(a b)", "NEAR(", ")", "(", ":",
           "a:b", "document:x", "^start", "-", "--", "-x", "AND", "OR NOT", "a OR b", "'",
           "\\", "%", "_", "{a}", "[x]", "@", "#", "&|!", "<->", "x:*", "!!", "🐦", "ß",
           "from:", "from:@", "from:" + "x" * 300, "'; DROP TABLE statuses; --", "\u200b",
           "a" * 499]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_find_nothing_or_are_refused_never_crash(new_user, q):
    alice = new_user()
    post(alice, f"ordinary text {word()}")
    for kind in (None, "statuses"):
        response = alice.http.get("/api/v2/search", params={"q": q, "type": kind or ""})
        assert response.status_code == 200, (q, response.text)
        assert set(response.json()) >= {"accounts", "statuses", "hashtags"}


def test_absurd_queries_and_parameters_are_422_and_nothing_changes(new_user):
    alice = new_user()
    marker = word()
    post(alice, f"still here {marker}")
    refused = [{"q": "x" * 10_000}, {"q": "a " * 200}, {"q": " ".join(["wort"] * 17)},
               {"q": marker, "limit": "many"}, {"q": marker, "max_id": "abc"},
               {"q": marker, "offset": "-x"}, {"q": marker, "account_id": "nope"},
               {"q": marker, "resolve": "perhaps"}]
    for params in refused:
        response = alice.http.get("/api/v2/search", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["error"]
    with pytest.raises(MastodonAPIError):
        alice.api.search_v2("x" * 10_000)
    nul = alice.http.get("/api/v2/search?q=a%00b")
    assert nul.status_code == 400 and nul.json()["error"]
    assert len(found(alice, marker)) == 1


def test_unknown_type_and_blank_query_find_nothing(new_user):
    alice = new_user()
    marker = word()
    post(alice, f"#{marker} here")
    empty = {"accounts": [], "statuses": [], "hashtags": []}
    assert alice.http.get("/api/v2/search", params={"q": marker, "type": "people"}
                          ).json() == empty
    assert alice.http.get("/api/v2/search", params={"q": "   "}).json() == empty
    assert alice.http.get("/api/v2/search", params={"q": f"-{marker}"}).json()["statuses"] == []


def test_people_are_found_whatever_the_case_of_letters_beyond_ascii(new_user):
    marker = word()
    found_person = new_user(display_name=f"Özlem Ärztin {marker}")
    searcher = new_user()
    for query in (f"ÖZLEM ÄRZTIN {marker}", f"özlem ärztin {marker}"):
        accounts = searcher.api.search_v2(query, result_type="accounts").accounts
        assert [account.id for account in accounts] == [found_person.id], query
