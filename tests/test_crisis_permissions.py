"""Who reads and does what of a crisis, as a matrix: the crisis desk (communicators, admins)
runs crises and reads every recipient's answer; a recipient reads and answers their own
crisis; everyone else, moderators included, gets nothing of it."""

from __future__ import annotations

import httpx
import pytest

from web_support import signed_in

CRISES = "/api/zwitscher/v1/crises"
SETUP = "/api/zwitscher/v1/crisis"

WHO = ("admin", "communicator", "moderator", "recipient", "member", "anonymous")

# path, method; then the status each of WHO gets.
MATRIX = """
GET  /crises                       200 200 403 403 403 401
GET  /crises/{crisis}              200 200 403 403 403 401
POST /crises/{crisis}/resend       200 200 403 403 403 401
GET  /crisis/templates             200 200 403 403 403 401
GET  /crisis/contact_lists         200 200 403 403 403 401
GET  /crisis/contact_lists/{list}  200 200 403 403 403 401
POST /crises/{crisis}/open         404 404 404 200 404 401
POST /crises/{crisis}/acknowledge  404 404 404 200 404 401
GET  /crisis/status                200 200 200 200 200 200
"""


@pytest.fixture(scope="module")
def cast(users):
    people = {role: users.create(role=role) for role in ("admin", "communicator", "moderator")}
    people["recipient"] = users.create()
    people["member"] = users.create()
    return people


@pytest.fixture(scope="module")
def crisis(cast):
    admin = cast["admin"].http
    group = admin.post("/api/zwitscher/v1/groups", data={"slug": "crisis-matrix",
                                                         "name": "Crisis matrix"}).json()
    admin.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
               data={"account_ids[]": [cast["recipient"].id]}).raise_for_status()
    list_id = cast["communicator"].http.post(f"{SETUP}/contact_lists",
                                             json={"name": "Matrix contacts"}).json()["id"]
    sent = cast["communicator"].http.post(CRISES, json={
        "title": "Drill", "text": "This is a drill.", "group_ids": [group["id"]],
        "contact_list_ids": [list_id], "channels": ["stream"]})
    assert sent.status_code == 200, sent.text
    return {"crisis": sent.json()["id"], "list": list_id}


def cases():
    for line in MATRIX.strip().splitlines():
        method, path, *codes = line.split()
        for who, code in zip(WHO, codes, strict=True):
            yield pytest.param(method, path, who, int(code), id=f"{who}-{method}-{path}")


@pytest.mark.parametrize(("method", "path", "who", "expected"), list(cases()))
def test_crisis_routes_answer_each_kind_of_person_as_the_matrix_says(
        server, cast, crisis, method, path, who, expected):
    url = "/api/zwitscher/v1" + path.format(**crisis)
    client = cast[who].http if who in cast else httpx.Client(base_url=server.base_url,
                                                              timeout=30)
    body = {"answer": "safe"} if path.endswith("acknowledge") else {}
    response = client.request(method, url, json=body if method == "POST" else None)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert "error" in response.json()


def test_the_open_crises_and_the_banner_are_only_for_the_recipients(server, cast, crisis):
    for who in ("recipient", "member", "communicator"):
        notices = cast[who].http.get(f"{CRISES}/open").json()
        assert [n["id"] for n in notices] == ([crisis["crisis"]] if who == "recipient" else [])
        browser = signed_in(server, cast[who])
        try:
            home = browser.get("/web/home")
            assert ('class="crisis-banner"' in home.text) == (who == "recipient")
            notice = browser.get(f"/web/crises/{crisis['crisis']}")
            assert notice.status_code == (200 if who == "recipient" else 404)
        finally:
            browser.close()
