"""Press releases with embargoes: before its publication time a release is read by its press
groups alone (and the brand's communicators), on no other path; at that time the job system
publishes it, also after a restart; bad times and audiences are refused and change nothing."""

from __future__ import annotations

import io
import secrets
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mail_support import text_of
from pypdf import PdfWriter

from support import UserFactory, fresh_instance, make_brand, wait_until
from web_support import csrf_of

RELEASES = "/api/zwitscher/v1/press/releases"
GROUPS = "/api/zwitscher/v1/groups"


def at(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def press_group(admin, *members) -> dict:
    """A managed group marked as a press group, with these people as members."""
    made = admin.http.post(GROUPS, data={"slug": f"press-{secrets.token_hex(3)}",
                                         "name": "Regional press"})
    assert made.status_code == 200, made.text
    group = made.json()
    marked = admin.http.patch(f"{GROUPS}/{group['id']}",
                            data={"press": "true", "press_name": "Regional press"})
    assert marked.status_code == 200, marked.text
    if members:
        added = admin.http.post(f"{GROUPS}/{group['id']}/members",
                                data={"account_ids[]": [p.id for p in members]})
        assert added.status_code == 200, added.text
    return group


def write(author, brand: dict, expect: int = 200, **fields) -> dict:
    data = {"brand_id": brand["id"], "headline": "Record year for the tram network",
            "body": "Passenger numbers rose by 12 per cent.\n\nMore in the annual report.",
            "public": True, **fields}
    response = author.http.post(RELEASES, json=data)
    assert response.status_code == expect, response.text
    return response.json()


def readable(user, release: dict) -> bool:
    response = user.http.get(f"{RELEASES}/{release['id']}")
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def statuses_with(user, word: str) -> dict[str, bool]:
    """Where `user` finds a status containing `word` (every path a post could leak by)."""
    found = {}
    for name, path, params in (
            ("home", "/api/v1/timelines/home", {}),
            ("public", "/api/v1/timelines/public", {}),
            ("search", "/api/v2/search", {"q": word, "type": "statuses"})):
        response = user.http.get(path, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        items = body["statuses"] if name == "search" else body
        found[name] = any(word in item["content"] for item in items)
    return found


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


@pytest.fixture(scope="module")
def newsroom(admin, users):
    """A brand with its communicators, a journalist (a guest) in a press group, and people
    outside it: a colleague who follows the brand, a guest of another group."""
    brand, jana, tom = make_brand(admin, users, username="trams", display_name="City Trams")
    journalist = users.create(role="guest", display_name="Petra Press")
    colleague = users.create()
    outsider = users.create(role="guest")
    group = press_group(admin, journalist)
    colleague.http.post(f"/api/v1/accounts/{brand['id']}/follow").raise_for_status()
    return {"brand": brand, "jana": jana, "tom": tom, "journalist": journalist,
            "colleague": colleague, "outsider": outsider, "group": group}


def test_an_embargoed_release_reaches_its_press_group_alone_until_the_job_publishes_it(
        newsroom, server, mailbox, sse):
    word = f"tram{secrets.token_hex(4)}"
    jana, journalist, colleague, outsider = (newsroom[k] for k in (
        "jana", "journalist", "colleague", "outsider"))
    public_stream = sse("/api/v1/streaming/public", colleague)
    user_stream = sse("/api/v1/streaming/user", colleague)
    release = write(jana, newsroom["brand"], group_ids=[newsroom["group"]["id"]],
                    body=f"The {word} figures are in.\n\nDetails follow.", publish_at=at(8))
    assert release["embargoed"] is True and release["status_id"] is None
    # Before T: the press group reads it, nobody else, on no path.
    assert readable(journalist, release) and readable(jana, release)
    assert not readable(colleague, release) and not readable(outsider, release)
    listed = journalist.http.get(RELEASES, params={"embargoed": "true"}).json()
    assert release["id"] in {item["id"] for item in listed}
    assert all(item["embargoed"] for item in listed)
    assert release["id"] not in {item["id"] for item in colleague.http.get(RELEASES).json()}
    assert statuses_with(colleague, word) == {"home": False, "public": False, "search": False}
    assert httpx.get(f"{server.base_url}/@{newsroom['brand']['username']}.atom").text.count(
        word) == 0
    preview = mailbox.wait_for(journalist.email)
    assert "Record year for the tram network" in preview["Subject"]
    assert "/web/press/" + release["id"] in text_of(preview)
    assert mailbox.to(colleague.email) == [] and mailbox.to(outsider.email) == []
    assert all(word not in data for _, data in public_stream.events + user_stream.events)
    # At T, without anyone doing anything: published, everywhere.
    published = wait_until(lambda: (r := jana.http.get(f"{RELEASES}/{release['id']}").json())
                           ["status_id"] and r, timeout=30)
    assert published and published["embargoed"] is False
    assert wait_until(lambda: all(statuses_with(colleague, word).values()), timeout=15)
    public_stream.wait_for("update", lambda data: word in data)
    user_stream.wait_for("update", lambda data: word in data)
    assert readable(colleague, release) and readable(outsider, release)
    status = colleague.http.get(f"/api/v1/statuses/{published['status_id']}").json()
    assert status["visibility"] == "public"
    assert "Record year for the tram network" in status["content"]
    assert f"/newsroom/{newsroom['brand']['username']}/{release['id']}" in status["content"]


def test_a_release_for_press_groups_only_stays_with_them_after_publication(newsroom):
    word = f"quiet{secrets.token_hex(4)}"
    release = write(newsroom["jana"], newsroom["brand"], public=False,
                    group_ids=[newsroom["group"]["id"]], body=f"Only for the press: {word}.")
    assert release["embargoed"] is False and release["status_id"]
    journalist, colleague = newsroom["journalist"], newsroom["colleague"]
    assert readable(journalist, release) and not readable(colleague, release)
    assert journalist.http.get(f"/api/v1/statuses/{release['status_id']}").status_code == 200
    assert colleague.http.get(f"/api/v1/statuses/{release['status_id']}").status_code == 404
    assert statuses_with(colleague, word) == {"home": False, "public": False, "search": False}


def test_a_moved_embargo_keeps_the_release_back_until_its_new_time_and_withdrawn_is_gone(
        newsroom):
    jana, journalist = newsroom["jana"], newsroom["journalist"]
    release = write(jana, newsroom["brand"], group_ids=[newsroom["group"]["id"]],
                    publish_at=at(4))
    moved = jana.http.put(f"{RELEASES}/{release['id']}", json={
        "brand_id": newsroom["brand"]["id"], "headline": "Moved", "body": "Later.",
        "public": True, "group_ids": [newsroom["group"]["id"]], "publish_at": at(3600)})
    assert moved.status_code == 200, moved.text
    # A release due just after the first time: once it is published, the first time's job
    # (queued earlier, due earlier) has run too, and must have found nothing to do.
    sentinel = write(jana, newsroom["brand"], publish_at=at(5))
    assert wait_until(lambda: jana.http.get(f"{RELEASES}/{sentinel['id']}").json()
                      ["status_id"], timeout=30)
    again = journalist.http.get(f"{RELEASES}/{release['id']}").json()
    assert again["embargoed"] is True and again["headline"] == "Moved"
    assert jana.http.delete(f"{RELEASES}/{release['id']}").status_code == 200
    assert not readable(journalist, release) and not readable(jana, release)


BAD = [
    ({"publish_at": "2020-01-01T10:00:00Z"}, "publication time is in the past"),
    ({"publish_at": "yesterday"}, "ISO 8601"),
    ({"publish_at": "+3600", "preview_at": "+7200", "groups": True}, "before the publication"),
    ({"publish_at": "+3600", "preview_at": "+60"}, "needs press groups"),
    ({"preview_at": "+60", "groups": True}, "needs a publication time"),
    ({"public": False}, "at least one press group"),
    ({"headline": "x" * 201}, "Headline is too long"),
    ({"headline": "   "}, "Headline can't be blank"),
    ({"body": ""}, "Text can't be blank"),
    ({"group_ids": ["1"]}, "no press groups"),
    ({"media_ids": ["x"]}, "given by their ids"),
]


@pytest.mark.parametrize(("changes", "problem"), BAD)
def test_bad_releases_are_refused_and_nothing_is_stored(newsroom, changes, problem):
    jana = newsroom["jana"]
    fields = dict(changes)
    for name in ("publish_at", "preview_at"):
        if isinstance(fields.get(name), str) and fields[name].startswith("+"):
            fields[name] = at(int(fields[name][1:]))
    if fields.pop("groups", False):
        fields["group_ids"] = [newsroom["group"]["id"]]
    before = jana.http.get(RELEASES, params={"brand_id": newsroom["brand"]["id"],
                                             "limit": 40}).json()
    refused = write(jana, newsroom["brand"], expect=422, **fields)
    assert problem in refused["error"]
    after = jana.http.get(RELEASES, params={"brand_id": newsroom["brand"]["id"],
                                            "limit": 40}).json()
    assert after == before


def test_only_the_brands_communicators_write_releases(newsroom, users):
    member = users.create()
    for person, status in ((member, 403), (newsroom["journalist"], 403),
                           (newsroom["tom"], 403)):
        refused = write(person, newsroom["brand"], expect=status)
        assert refused["error"]
    assert write(newsroom["jana"], newsroom["brand"], contact_id=member.id)["contact"][
        "account"]["id"] == member.id
    outside = write(newsroom["jana"], newsroom["brand"], expect=422,
                    contact_id=newsroom["journalist"].id)
    assert "person of the organisation" in outside["error"]


def test_hostile_html_in_a_headline_and_body_comes_out_as_text(newsroom, browser_of):
    release = write(newsroom["jana"], newsroom["brand"],
                    headline="<script>alert(1)</script> Fares",
                    body="<img src=x onerror=alert(1)> stays text")
    assert "<script>" not in release["content"] and "<img" not in release["content"]
    page = browser_of(newsroom["journalist"]).get(f"/web/press/{release['id']}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fares" in page.text


def test_an_embargo_ends_on_time_though_the_server_was_down_at_that_time(tmp_path):
    with fresh_instance(tmp_path) as server:
        users = UserFactory(server)
        admin = users.create(role="admin")
        brand, jana, _ = make_brand(admin, users)
        journalist = users.create(role="guest")
        group = press_group(admin, journalist)
        release = write(jana, brand, group_ids=[group["id"]], publish_at=at(5))
        assert readable(journalist, release)
        server.stop()
        time.sleep(6)  # the publication time passes while nothing runs
        server.start()
        published = wait_until(lambda: journalist.http.get(
            f"{RELEASES}/{release['id']}").json()["status_id"], timeout=30)
        assert published
        assert jana.http.get(f"/api/v1/statuses/{published}").json()["visibility"] == "public"


def annual_report_pdf(size: int = 300_000) -> bytes:
    """A PDF larger than an ordinary request may be (the form takes files that large)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": "x" * size})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_communicator_writes_a_release_with_a_pdf_on_the_web_for_the_press_room(
        newsroom, browser_of):
    jana, journalist, colleague = (browser_of(newsroom[k]) for k in (
        "jana", "journalist", "colleague"))
    form = jana.get("/web/press/new")
    assert form.status_code == 200 and "Regional press" in form.text
    publish = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    saved = jana.http.post("/web/press/save", data={
        "csrf": csrf_of(form), "brand_id": newsroom["brand"]["id"],
        "headline": "Timetable 2027", "body": "New lines from June.", "public": "on",
        "group_ids": newsroom["group"]["id"], "publish_at": publish,
        "description_1": "Annual report"},
        files={"media_1": ("report.pdf", annual_report_pdf(), "application/pdf")})
    assert saved.status_code == 200, saved.text
    assert "It is published at the time you set" in saved.text
    release_path = saved.url.path
    room = journalist.get("/web/press")
    assert "Timetable 2027" in room.text and "Embargo until" in room.text
    page = journalist.get(release_path)
    assert "Embargo" in page.text and "Annual report" in page.text
    assert colleague.get(release_path).status_code == 404
    assert "Timetable 2027" not in colleague.get("/web/press").text
    refused = jana.http.post("/web/press/save", data={
        "csrf": csrf_of(form), "brand_id": newsroom["brand"]["id"], "headline": "Past",
        "body": "x", "public": "on", "publish_at": "2020-01-01T10:00"})
    assert refused.status_code == 422 and "in the past" in refused.text
