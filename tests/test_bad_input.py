"""Hostile and sloppy input: every mistake gets a clear 4xx with Mastodon's `{"error": "..."}`
body, never a 500, and a refused write changes nothing."""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import routing

from zwitscher.app import create_app
from zwitscher.settings import Settings

MB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    """Whatever these tests send, the server never crashes on it (checked after the module)."""
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def assert_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and isinstance(body["error"], str) and body["error"]


def state(user) -> dict:
    """What the person would notice changing: their profile, counts, posts and home feed."""
    me = user.http.get("/api/v1/accounts/verify_credentials").json()
    mine = user.http.get(f"/api/v1/accounts/{user.id}/statuses").json()
    home = user.http.get("/api/v1/timelines/home").json()
    return {"profile": {k: me[k] for k in ("display_name", "note", "locked", "bot",
                                           "statuses_count", "following_count")},
            "statuses": [s["id"] for s in mine], "home": [s["id"] for s in home]}


@pytest.fixture
def person(new_user):
    """A fresh person with one post, so that 'unchanged' has something to compare."""
    user = new_user()
    user.http.post("/api/v1/statuses", json={"status": "Erster Beitrag"}).raise_for_status()
    return user


# --- bodies -----------------------------------------------------------------------------------

def refused_without_change(user, status: int, attempts) -> None:
    """Each attempt (a label and a thunk) gets `status` with an error body; nothing changes."""
    before = state(user)
    for label, attempt in attempts:
        response = attempt()
        assert response.status_code == status, (label, response.status_code, response.text)
        assert_error(response, status)
        assert state(user) == before, label


def raw(user, body: bytes, content_type: str, path: str = "/api/v1/statuses",
        method: str = "POST"):
    return lambda: user.http.request(method, path, content=body,
                                     headers={"content-type": content_type})


def test_malformed_json_bodies_are_400(person):
    bodies = [b"{", b'{"status": }', b"{'status': 'single quotes'}", b'{"status": "x",}',
              b"NaN", b'{"status": "x"} trailing', b"[" * 100_000 + b"]" * 100_000]
    refused_without_change(person, 400, [(body[:20], raw(person, body, "application/json"))
                                         for body in bodies])


def test_json_bodies_that_are_not_objects_are_422(person):
    bodies = [b"[]", b'["status", "x"]', b'"status"', b"42", b"null", b"true"]
    refused_without_change(person, 422, [(body, raw(person, body, "application/json"))
                                         for body in bodies])


def test_malformed_form_bodies_are_400(person):
    form = "application/x-www-form-urlencoded"
    cases = [(b"status=%zz", form), (b"status=100%", form), (b"status=%e", form),
             (b"garbage", "multipart/form-data; boundary=xyz"),
             (b"garbage", "multipart/form-data")]
    refused_without_change(person, 400, [(c, raw(person, *c)) for c in cases])


def test_invalid_utf8_bodies_are_400(person):
    json, form = "application/json", "application/x-www-form-urlencoded"
    cases = [(b'{"status": "caf\xe9"}', json), (b'{"status": "\xff\xfe"}', json),
             (b'{"status": "\\ud800 lone surrogate"}', json), (b"status=caf\xe9", form),
             (b"status=%ff%fe", form), (b"status=%ed%a0%80", form)]
    refused_without_change(person, 400, [(c, raw(person, *c)) for c in cases])


def test_a_utf8_form_body_keeps_its_characters(person):
    posted = raw(person, "status=Grüße aus Köln 🐦".encode(),
                 "application/x-www-form-urlencoded")()
    assert posted.status_code == 200, posted.text
    assert "Grüße aus Köln 🐦" in posted.json()["content"]


def test_a_nul_character_anywhere_in_a_request_is_400(person):
    """PostgreSQL cannot store NUL, so it is refused on every engine alike."""
    post = person.http.post
    refused_without_change(person, 400, [
        ("json", lambda: post("/api/v1/statuses", json={"status": "a\u0000b"})),
        ("form", raw(person, b"status=a%00b", "application/x-www-form-urlencoded")),
        ("query", lambda: post("/api/v1/statuses", json={"status": "fine"},
                               params={"language": "d\u0000e"})),
        ("profile", lambda: person.http.patch("/api/v1/accounts/update_credentials",
                                              json={"display_name": "\u0000"})),
        ("path", lambda: person.http.get("/api/v1/timelines/tag/a%00b")),
        ("lookup", lambda: person.http.get("/api/v1/accounts/lookup?acct=a%00b")),
        ("search", lambda: person.http.get("/api/v1/accounts/search?q=a%00")),
    ])


def test_scim_clients_are_refused_in_scim_words(server):
    """Refused before any route is reached, still with RFC 7644's error body."""
    refused = httpx.get(f"{server.base_url}/scim/v2/Users?filter=a%00", timeout=30)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/scim+json"
    assert refused.json() | {"detail": ""} == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400",
        "scimType": "invalidValue", "detail": ""}


def test_a_body_over_a_megabyte_is_413_with_or_without_content_length(person):
    def chunks():
        yield b'{"status": "big", "padding": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    def chunked():
        response = person.http.post("/api/v1/statuses", content=chunks(),
                                    headers={"content-type": "application/json"})
        assert response.request.headers["transfer-encoding"] == "chunked"
        return response

    refused_without_change(person, 413, [
        ("content-length", lambda: person.http.post("/api/v1/statuses", json={
            "status": "big", "padding": "x" * (MB + 1)})),
        ("chunked", chunked)])


def test_a_fifty_thousand_character_status_is_refused_and_not_posted(person):
    attempt = lambda: person.http.post("/api/v1/statuses", json={"status": "a" * 50_000})  # noqa: E731
    refused_without_change(person, 422, [("50k", attempt)])
    assert "character limit" in attempt().json()["error"]


def test_unsupported_content_types_on_writes_are_415(person):
    body = b'{"status": "x", "display_name": "Changed", "client_name": "x"}'
    endpoints = [("POST", "/api/v1/statuses"), ("PATCH", "/api/v1/accounts/update_credentials"),
                 ("POST", "/api/v1/apps"), ("POST", "/oauth/token")]
    refused_without_change(person, 415, [
        ((content_type, path), raw(person, body, content_type, path, method))
        for content_type in ("text/plain", "application/xml", "image/png",
                             "application/octet-stream")
        for method, path in endpoints])


# --- lenient where Mastodon is lenient --------------------------------------------------------

@pytest.mark.parametrize("encoding", ["json", "form", "query"])
def test_booleans_and_lists_work_in_every_encoding(person, encoding):
    profile = {"locked": True, "bot": "1", "display_name": f"Bot via {encoding}",
               "fields_attributes": {"0": {"name": "Team", "value": "Lage"}}}
    form = {"locked": "true", "bot": "1", "display_name": f"Bot via {encoding}",
            "fields_attributes[0][name]": "Team", "fields_attributes[0][value]": "Lage"}
    path = "/api/v1/accounts/update_credentials"
    response = {"json": lambda: person.http.patch(path, json=profile),
                "form": lambda: person.http.patch(path, data=form),
                "query": lambda: person.http.patch(path, params=form)}[encoding]()
    assert response.status_code == 200, response.text
    me = person.http.get("/api/v1/accounts/verify_credentials").json()
    assert (me["locked"], me["bot"], me["display_name"]) == (True, True, f"Bot via {encoding}")
    assert [(f["name"], f["value"]) for f in me["fields"]] == [("Team", "Lage")]

    sensitive = {"status": f"Vorsicht ({encoding})", "sensitive": "1", "visibility": "unlisted"}
    post = {"json": lambda: person.http.post("/api/v1/statuses",
                                             json={**sensitive, "sensitive": True}),
            "form": lambda: person.http.post("/api/v1/statuses", data=sensitive),
            "query": lambda: person.http.post("/api/v1/statuses", params=sensitive)}[encoding]()
    assert post.status_code == 200, post.text
    assert (post.json()["sensitive"], post.json()["visibility"]) == (True, "unlisted")


def test_lists_in_query_strings_use_rails_brackets(person, new_user):
    other = new_user()
    ids = [person.id, other.id]
    relationships = person.http.get("/api/v1/accounts/relationships",
                                    params=[("id[]", i) for i in ids])
    assert [r["id"] for r in relationships.json()] == ids
    accounts = person.http.get("/api/v1/accounts", params=[("id[]", i) for i in ids])
    assert [a["id"] for a in accounts.json()] == ids


def test_unknown_fields_are_ignored(person):
    response = person.http.post("/api/v1/statuses", json={
        "status": "Mit Extras", "federate": False, "poll_of_doom": [1, {"x": None}],
        "content_type": "text/markdown", "quote_id": "123"})
    assert response.status_code == 200, response.text
    assert response.json()["content"] == "<p>Mit Extras</p>"


# --- values of the wrong shape ----------------------------------------------------------------

def test_wrongly_typed_status_fields_are_422(person):
    cases = [{"visibility": "everyone"}, {"visibility": ["public"]}, {"sensitive": "perhaps"},
             {"status": {"text": "nested"}}, {"status": None}, {"media_ids": "1"},
             {"in_reply_to_id": {"id": 1}}, {"spoiler_text": ["a"]}]
    refused_without_change(person, 422, [
        (fields, lambda fields=fields: person.http.post(
            "/api/v1/statuses", json={"status": "x", **fields})) for fields in cases])


def test_bad_pagination_parameters_are_422(person):
    queries = ["limit=abc", "max_id=xyz", "since_id=-1", "min_id=1.5",
               "max_id=99999999999999999999999", "offset=many"]
    for query in queries:
        for path in ("/api/v1/timelines/home", "/api/v1/timelines/public",
                     f"/api/v1/accounts/{person.id}/statuses", "/api/v1/notifications"):
            assert_error(person.http.get(f"{path}?{query}"), 422)


def test_replying_to_a_missing_status_is_404_and_posts_nothing(person):
    refused_without_change(person, 404, [
        (reply_to, lambda reply_to=reply_to: person.http.post(
            "/api/v1/statuses", json={"status": "Antwort", "in_reply_to_id": reply_to}))
        for reply_to in ("99999999999999999", "abc", "-4", 12345)])


def test_unknown_or_malformed_ids_in_paths_are_404(person):
    # "²" and "٣" are digits to `str.isdigit` (and "²" is none to `int`: it was a 500).
    bad_ids = ["abc", "99999999999999999999999", "9223372036854775808", "-5", "0", "1.5",
               "1e3", "1", "²", "٣"]
    routes = [("GET", "/api/v1/statuses/{}"), ("DELETE", "/api/v1/statuses/{}"),
              ("PUT", "/api/v1/statuses/{}"), ("GET", "/api/v1/statuses/{}/context"),
              ("POST", "/api/v1/statuses/{}/favourite"), ("POST", "/api/v1/statuses/{}/reblog"),
              ("GET", "/api/v1/accounts/{}"), ("GET", "/api/v1/accounts/{}/statuses"),
              ("POST", "/api/v1/accounts/{}/follow"), ("POST", "/api/v1/accounts/{}/block"),
              ("GET", "/api/v1/notifications/{}"),
              ("POST", "/api/v1/notifications/{}/dismiss"),
              ("GET", "/api/v2/notifications/ungrouped-{}")]
    refused_without_change(person, 404, [
        ((method, template, bad_id), lambda method=method, path=template.format(bad_id):
         person.http.request(method, path, json={"status": "edited"}))
        for method, template in routes for bad_id in bad_ids])


# --- routes and methods -----------------------------------------------------------------------

def test_unknown_routes_are_404_json(person):
    refused_without_change(person, 404, [
        ((method, path), lambda method=method, path=path: person.http.request(method, path))
        for method, path in [("GET", "/api/v1/nope"), ("POST", "/api/v2/statuses"),
                             ("GET", "/nope"), ("DELETE", "/api/v1/statuses/1/nope"),
                             ("GET", "/.well-known/nope")]])


def test_wrong_methods_are_405_json(person):
    refused_without_change(person, 405, [
        ((method, path), lambda method=method, path=path: person.http.request(method, path))
        for method, path in [("PUT", "/api/v1/timelines/home"), ("DELETE", "/api/v1/instance"),
                             ("GET", "/api/v1/statuses/1/favourite"),
                             ("PATCH", "/api/v1/statuses"), ("GET", "/oauth/token"),
                             ("POST", "/api/v1/accounts/verify_credentials")]])


# 2**63 has as many digits as the largest id, and is none: a check of the length alone lets it
# through to the database (it was a 500 on SCIM's resources); "²" is a digit to `isdigit`.
GARBAGE_SEGMENTS = ["abc", "-1", "9223372036854775808", "1", "%C3%A4%20x", "a%00", "%C2%B2"]
REACH_THE_BODY = {"1", "abc"}
GARBAGE_BODIES = [
    (b'{"status": [{"x": null}], "id": {"a": 1}, "limit": [], "scopes": 5, "reblogs": "x",'
     b' "username": ["a"], "fields_attributes": "x", "types": {"a": 1}, "duration": 1e999}',
     "application/json"),
    (b'{"status": "\\u0000", "display_name": "\\u0000", "q": "\\u0000"}', "application/json"),
    (b"{not json", "application/json"),
    (b"status[]=1&id[a][]=2&limit=%FF&duration=abc&types=1&reblogs[x]=1",
     "application/x-www-form-urlencoded"),
    (b"\x00\x01\x02", "text/plain"),
]


def garbage_pairs(templated: bool) -> list[tuple[str, list]]:
    """Which garbage bodies go with which path segment. A well-formed id ("1") or name
    ("abc") gets past the path to the body, so it meets every garbage body; a segment the
    path refuses is refused whatever the body, so each of those meets one, in turn (their
    every combination was 35 requests a route where these are 15)."""
    if not templated:
        return [("", GARBAGE_BODIES)]
    return [(segment, GARBAGE_BODIES if segment in REACH_THE_BODY
             else [GARBAGE_BODIES[index % len(GARBAGE_BODIES)]])
            for index, segment in enumerate(GARBAGE_SEGMENTS)]


def app_operations() -> list[tuple[str, str]]:
    """Every (method, path template) of the app's routes but those hidden from API clients
    (web pages, files): the API, OAuth's pages and the OpenAPI document."""
    app = create_app(Settings(), migrate=False)
    found = {(method, route.path_format) for route in routing.iter_route_contexts(app.routes)
             if getattr(route, "include_in_schema", True)
             for method in getattr(route, "methods", None) or ()}
    # Event streams never end (the streaming tests cover them); HEAD mirrors GET.
    return sorted((method, path) for method, path in found
                  if method != "HEAD" and (not path.startswith("/api/v1/streaming")
                                           or path.endswith("/health")))


def test_no_route_answers_garbage_with_a_server_error(person, server):
    operations = app_operations()
    assert ("POST", "/api/v1/statuses") in operations and len(operations) > 50
    requests = [(method, re.sub(r"\{[^}]+\}", segment, template), body, content_type)
                for method, template in operations
                for segment, bodies in garbage_pairs("{" in template)
                for body, content_type in bodies]
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:

        def send(request) -> list[tuple]:
            method, path, body, content_type = request
            answers = []
            for http in (person.http, anonymous):
                response = http.request(method, path, content=body,
                                        params={"limit": "x", "max_id": "%", "id[]": "-1"},
                                        headers={"content-type": content_type})
                if response.status_code >= 500:
                    answers.append((method, path, body[:20], response.status_code))
            return answers

        with ThreadPoolExecutor(8) as pool:
            failures = [failure for answers in pool.map(send, requests)
                        for failure in answers]
    assert failures == []
