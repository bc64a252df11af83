"""Press conferences: a brand's author calls one; journalists ask into a moderated queue; the
brand's authors accept, merge or reject; participants vote; an author answers as the brand, in
a reply to the announcement; everyone watching hears each step on the stream; a transcript
remains. A press-only conference reaches the members of its groups and nobody else, on every
path."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from support import UserFactory, fresh_instance, make_brand, wait_until
from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

API = "/api/zwitscher/v1/press_conferences"
WEB = "/web/press-conferences"
HOSTILE = '<script>alert("q")</script><img src=x onerror=alert(1)> **bold** [link](http://evil.example)'


def _at(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _made(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def call(author, brand: dict, **fields) -> dict:
    return _made(author.http.post(API, json={
        "brand_id": brand["id"], "title": fields.pop("title", "Quarterly results"),
        "description": "Questions welcome.", "ends_at": _at(hours=1), **fields}))


def ask(user, conference: dict, text: str):
    return user.http.post(f"{API}/{conference['id']}/questions", json={"text": text})


def act(user, conference: dict, question: dict, action: str, **fields):
    return user.http.post(f"{API}/{conference['id']}/questions/{question['id']}/{action}",
                          json=fields)


def queue_of(client, conference: dict) -> list[dict]:
    """The questions `client` (a person's `.http`, or a client without a token) sees."""
    return _made(client.get(f"{API}/{conference['id']}/questions"))


@pytest.fixture(scope="module")
def nobody(server):
    """Someone who has not signed in."""
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def cast(server, users):
    """A brand with Jana (publishes at once) and Tom (needs approval); a press group with a
    subgroup, a journalist (guest) in the group and a reporter in the subgroup; a member of
    the organisation and a guest in neither; an admin."""
    admin = users.create(role="admin")
    brand, jana, tom = make_brand(admin, users, username="presse",
                                  display_name="Pressestelle")
    slug = f"press-{secrets.token_hex(3)}"
    group = _made(admin.http.post("/api/zwitscher/v1/groups",
                                  json={"slug": slug, "name": "Press"}))
    sub = _made(admin.http.post("/api/zwitscher/v1/groups", json={
        "slug": f"{slug}-tv", "name": "Press TV", "parent_id": group["id"]}))
    journalist = users.create(role="guest", display_name="Erika Muster")
    reporter = users.create(role="guest", display_name="Rita Reporter")
    member, guest = users.create(display_name="Max Member"), users.create(role="guest")
    for group_id, person in ((group["id"], journalist), (sub["id"], reporter)):
        admin.http.post(f"/api/zwitscher/v1/groups/{group_id}/members",
                        data={"account_ids[]": [person.id]}).raise_for_status()
    return {"admin": admin, "brand": brand, "jana": jana, "tom": tom, "group": group,
            "journalist": journalist, "reporter": reporter, "member": member, "guest": guest}


def test_the_whole_conference_through_the_api(cast, sse, server, nobody):
    jana, brand = cast["jana"], cast["brand"]
    journalist, member, guest = cast["journalist"], cast["member"], cast["guest"]
    conference = call(jana, brand, title="Results 2026")
    assert conference["state"] == "open" and conference["taking_questions"]
    assert conference["moderator"] is True and conference["url"].endswith(
        f"{WEB}/{conference['id']}")
    announcement = _made(member.http.get(f"/api/v1/statuses/{conference['announcement_id']}"))
    assert announcement["account"]["id"] == brand["id"]
    assert announcement["visibility"] == "public"
    assert "Results 2026" in announcement["content"]
    assert f"{WEB}/{conference['id']}" in announcement["content"]

    moderators = sse(f"{API}/{conference['id']}/stream", jana)
    watchers = sse(f"{API}/{conference['id']}/stream", member)
    anonymous = sse(f"{API}/{conference['id']}/stream")

    asked = _made(ask(journalist, conference, "When will the new plant open?"))
    assert asked["state"] == "pending" and asked["mine"] is True
    assert asked["asker"]["username"] == journalist.username
    submitted = json.loads(moderators.wait_for("question.submitted"))
    assert submitted["text"] == "When will the new plant open?"
    # Waiting questions are for the moderators and the asker only.
    assert [q["id"] for q in queue_of(jana.http, conference)] == [asked["id"]]
    assert [q["id"] for q in queue_of(journalist.http, conference)] == [asked["id"]]
    assert queue_of(member.http, conference) == [] and queue_of(nobody, conference) == []

    accepted = _made(act(jana, conference, asked, "accept"))
    assert accepted["state"] == "accepted"
    watchers.wait_for("question.accepted", lambda data: json.loads(data)["id"] == asked["id"])
    anonymous.wait_for("question.accepted")
    assert [q["id"] for q in queue_of(nobody, conference)] == [asked["id"]]

    # One vote per person, never for one's own question; a vote can be taken back.
    assert _made(act(member, conference, asked, "vote"))["votes"] == 1
    assert _made(act(member, conference, asked, "vote"))["votes"] == 1
    assert _made(act(guest, conference, asked, "vote"))["voted"] is True
    assert act(journalist, conference, asked, "vote").status_code == 422
    assert _made(act(guest, conference, asked, "unvote"))["votes"] == 1
    watchers.wait_for("question.votes", lambda data: json.loads(data) == {
        "id": asked["id"], "votes": 1})

    answered = _made(act(jana, conference, asked, "answer",
                         text="In spring, on the 1st of April."))
    assert answered["state"] == "answered"
    assert answered["answer"]["answered_by"]["username"] == jana.username
    event = json.loads(anonymous.wait_for("question.answered"))
    assert event["answer"]["text"] == "In spring, on the 1st of April."
    reply = _made(member.http.get(f"/api/v1/statuses/{answered['answer']['status_id']}"))
    assert reply["in_reply_to_id"] == conference["announcement_id"]
    assert reply["account"]["id"] == brand["id"]
    assert "When will the new plant open?" in reply["content"]
    assert "In spring" in reply["content"]
    assert [m["username"] for m in reply["mentions"]] == [journalist.username]
    web = signed_in(server, member)
    assert "Jana Stuker" in web.get(f"/@{brand['username']}/{reply['id']}").text  # signature
    web.close()
    wait_until(lambda: any(n["type"] == "mention" and n["status"]["id"] == reply["id"]
                           for n in journalist.http.get("/api/v1/notifications").json()))

    transcript = _made(member.http.get(f"{API}/{conference['id']}/transcript"))
    assert [(q["text"], q["asked_by"]["username"], q["answer"]["answered_by"]["username"])
            for q in transcript["questions"]] == [
        ("When will the new plant open?", journalist.username, jana.username)]

    ended = _made(jana.http.post(f"{API}/{conference['id']}/end"))
    assert ended["state"] == "ended" and not ended["taking_questions"]
    watchers.wait_for("conference.ended")
    late = ask(member, conference, "Too late?")
    assert late.status_code == 422 and "not taking questions" in late.json()["error"]
    assert jana.http.post(f"{API}/{conference['id']}/end").status_code == 422
    listed = _made(member.http.get(API, params={"brand_id": brand["id"]}))
    assert conference["id"] in [c["id"] for c in listed]



def test_a_duplicate_is_merged_into_the_question_it_repeats(cast):
    jana, journalist, member, guest = (cast["jana"], cast["journalist"], cast["member"],
                                       cast["guest"])
    conference = call(jana, cast["brand"])
    first = _made(ask(journalist, conference, "Will jobs be cut?"))
    again = _made(ask(member, conference, "Are you cutting jobs?"))
    _made(act(jana, conference, first, "accept"))
    _made(act(jana, conference, again, "accept"))
    _made(act(guest, conference, again, "vote"))
    _made(act(member, conference, first, "vote"))
    # Only into an accepted or answered question of the same conference, never into itself.
    pending = _made(ask(guest, conference, "Jobs?"))
    assert act(jana, conference, again, "merge", into_id=pending["id"]).status_code == 422
    assert act(jana, conference, again, "merge", into_id=again["id"]).status_code == 422

    merged = _made(act(jana, conference, again, "merge", into_id=first["id"]))
    assert merged["state"] == "merged" and merged["merged_into_id"] == first["id"]
    joined = next(q for q in queue_of(guest.http, conference) if q["id"] == first["id"])
    assert [p["username"] for p in joined["also_asked_by"]] == [member.username]
    assert joined["votes"] == 2 and joined["voted"] is True  # the guest's vote came along
    own = {q["id"]: q for q in queue_of(member.http, conference)}
    assert own[again["id"]]["state"] == "merged"

    answered = _made(act(jana, conference, first, "answer", text="No."))
    reply = _made(member.http.get(f"/api/v1/statuses/{answered['answer']['status_id']}"))
    assert {m["username"] for m in reply["mentions"]} == {journalist.username, member.username}
    transcript = _made(guest.http.get(f"{API}/{conference['id']}/transcript"))
    assert [p["username"] for p in transcript["questions"][0]["also_asked_by"]] == [
        member.username]


def test_a_rejection_and_its_reason_are_for_the_asker_and_the_moderators(cast, sse):
    jana, member, guest = cast["jana"], cast["member"], cast["guest"]
    conference = call(jana, cast["brand"])
    moderators = sse(f"{API}/{conference['id']}/stream", jana)
    watchers = sse(f"{API}/{conference['id']}/stream", guest)
    asker = sse(f"{API}/{conference['id']}/stream", member)
    question = _made(ask(member, conference, "What does the CEO earn?"))
    assert act(jana, conference, question, "reject", reason="  ").status_code == 422
    _made(act(jana, conference, question, "accept"))
    rejected = _made(act(jana, conference, question, "reject", reason="Answered in the report"))
    assert rejected["rejection_reason"] == "Answered in the report"

    mine = next(q for q in queue_of(member.http, conference) if q["id"] == question["id"])
    assert (mine["state"], mine["rejection_reason"]) == ("rejected", "Answered in the report")
    assert queue_of(guest.http, conference) == []
    for stream, reason in ((moderators, "Answered in the report"),
                           (asker, "Answered in the report"), (watchers, None)):
        event = json.loads(stream.wait_for("question.rejected"))
        assert event["rejection_reason"] == reason
    # The watcher heard the rejection once, without the reason; nothing of it reached them
    # before it was accepted.
    assert [name for name, _ in watchers.events if name == "question.rejected"] == [
        "question.rejected"]
    assert "question.submitted" not in [name for name, _ in watchers.events]


def test_moderation_by_anyone_but_the_brands_authors_and_admins_is_refused(cast):
    jana, tom, member, admin = cast["jana"], cast["tom"], cast["member"], cast["admin"]
    conference = call(jana, cast["brand"])
    question = _made(ask(member, conference, "Who decides?"))
    other = _made(ask(cast["guest"], conference, "Who else?"))
    for action, fields in (("accept", {}), ("merge", {"into_id": other["id"]}),
                           ("reject", {"reason": "No"}), ("answer", {"text": "Me"})):
        refused = act(member, conference, question, action, **fields)
        assert refused.status_code == 403, (action, refused.text)
        assert "error" in refused.json()
    assert member.http.post(f"{API}/{conference['id']}/end").status_code == 403
    assert [q["state"] for q in queue_of(jana.http, conference)] == ["pending", "pending"]

    # Tom's brand posts need approval: he moderates, but neither answers nor calls one.
    _made(act(tom, conference, question, "accept"))
    refused = act(tom, conference, question, "answer", text="Tom says")
    assert refused.status_code == 403 and "approval" in refused.json()["error"]
    assert tom.http.post(API, json={"brand_id": cast["brand"]["id"], "title": "Mine",
                                    "ends_at": _at(hours=1)}).status_code == 403
    # Admins moderate every brand's conferences.
    _made(act(admin, conference, other, "reject", reason="Duplicate"))
    assert next(q for q in queue_of(jana.http, conference)
                if q["id"] == question["id"])["state"] == "accepted"


def test_a_question_flood_from_one_person_is_refused(cast):
    conference = call(cast["jana"], cast["brand"])
    member = cast["member"]
    _made(ask(member, conference, "First question"))
    flood = ask(member, conference, "Second question at once")
    assert flood.status_code == 429 and "wait" in flood.json()["error"]
    assert ask(cast["guest"], conference, "Someone else asks").status_code == 200
    for text in ("", "x" * 501):
        assert ask(cast["guest"], conference, text).status_code == 422
    assert sorted(q["text"] for q in queue_of(cast["jana"].http, conference)) == [
        "First question", "Someone else asks"]


def test_at_most_a_few_questions_of_one_person_wait_at_once(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("press-flood"),
                        ZWITSCHER_PRESS_QUESTION_INTERVAL_SECONDS="0",
                        ZWITSCHER_PRESS_MAX_PENDING_QUESTIONS="2") as server:
        users = UserFactory(server)
        admin = users.create(role="admin")
        brand, jana, _ = make_brand(admin, users)
        asker = users.create()
        conference = call(jana, brand)
        first = _made(ask(asker, conference, "One"))
        _made(ask(asker, conference, "Two"))
        refused = ask(asker, conference, "Three")
        assert refused.status_code == 429
        assert "wait for the moderators (2)" in refused.json()["error"]
        _made(act(jana, conference, first, "accept"))
        assert _made(ask(asker, conference, "Three"))["state"] == "pending"


def test_questions_are_taken_only_while_the_conference_runs(cast):
    jana, brand, member = cast["jana"], cast["brand"], cast["member"]
    later = call(jana, brand, starts_at=_at(hours=2), ends_at=_at(hours=3))
    assert (later["state"], later["announcement_id"], later["taking_questions"]) == (
        "scheduled", None, False)
    refused = ask(member, later, "Early bird?")
    assert refused.status_code == 422 and "not taking questions" in refused.json()["error"]
    for fields in ({"starts_at": _at(hours=2), "ends_at": _at(hours=1)},
                   {"ends_at": _at(minutes=-5)}, {"ends_at": _at(days=8)},
                   {"title": " "}, {"audience": "groups"}, {"audience": "everyone"}):
        bad = jana.http.post(API, json={"brand_id": brand["id"], "title": "T",
                                        "ends_at": _at(hours=1), **fields})
        assert bad.status_code == 422, (fields, bad.text)
    _made(jana.http.post(f"{API}/{later['id']}/end"))
    assert _made(member.http.get(f"{API}/{later['id']}"))["state"] == "ended"


MATRIX_VIEWERS = ("journalist", "reporter", "tom", "member", "guest", "nobody")


def _can_read(client, conference: dict, answer_id: str, brand: dict) -> dict[str, bool]:
    """Each way a viewer might come across a conference, its questions and its answers."""
    cid = conference["id"]
    found = {path: client.get(f"{API}/{cid}{path}").status_code == 200
             for path in ("", "/questions", "/transcript", "/transcript.md",
                          "/transcript.html")}
    with client.stream("GET", f"{API}/{cid}/stream") as opened:
        found["/stream"] = opened.status_code == 200
    found["listed"] = cid in [c["id"] for c in client.get(
        API, params={"brand_id": brand["id"]}).json()]
    for name, status_id in (("announcement", conference["announcement_id"]),
                            ("answer", answer_id)):
        found[name] = client.get(f"/api/v1/statuses/{status_id}").status_code == 200
    found["secret in brand timeline"] = "Plant closure" in client.get(
        f"/api/v1/accounts/{brand['id']}/statuses").text
    return found


def test_a_press_only_conference_reaches_the_members_of_its_groups_alone(cast, server,
                                                                        nobody, sse):
    jana, brand, group = cast["jana"], cast["brand"], cast["group"]
    conference = call(jana, brand, audience="groups", group_ids=[group["id"]],
                      title="Plant closure briefing")
    assert [g["id"] for g in conference["groups"]] == [group["id"]]  # for its moderators
    journalist, reporter = cast["journalist"], cast["reporter"]
    assert _made(journalist.http.get(f"{API}/{conference['id']}"))["groups"] == []
    journalists = sse(f"{API}/{conference['id']}/stream", journalist)
    reporters = sse(f"{API}/{conference['id']}/stream", reporter)

    question = _made(ask(reporter, conference, "Plant closure: how many are affected?"))
    _made(act(jana, conference, question, "accept"))
    _made(act(journalist, conference, question, "vote"))
    answered = _made(act(jana, conference, question, "answer", text="Plant closure: 200."))
    answer_id = answered["answer"]["status_id"]
    for stream in (journalists, reporters):
        stream.wait_for("question.answered")
    for outsider in ("member", "guest"):
        assert ask(cast[outsider], conference, "Me too?").status_code == 404

    clients = {name: cast[name].http for name in MATRIX_VIEWERS if name != "nobody"}
    clients["nobody"] = nobody
    seen = {name: _can_read(client, conference, answer_id, brand)
            for name, client in clients.items()}
    for name in ("journalist", "reporter"):
        assert all(seen[name].values()), (name, seen[name])
    # The brand's author moderates it; its posts (to the groups) follow the posts' own rules,
    # which leave out a brand's authors who are not in the groups.
    assert {path for path, found in seen["tom"].items() if not found} == {
        "announcement", "answer", "secret in brand timeline"}
    for name in ("member", "guest", "nobody"):
        assert not any(seen[name].values()), (name, seen[name])
    pages = {name: WebClient(server.base_url) for name in MATRIX_VIEWERS}
    try:
        for name, web in pages.items():
            if name != "nobody":
                web.sign_in(cast[name].username)
            for path in ("", "/queue", "/transcript", "/transcript.json"):
                shown = web.get(f"{WEB}/{conference['id']}{path}")
                assert (shown.status_code == 200) == (name in ("journalist", "reporter", "tom")), (
                    name, path)
                assert ("Plant closure" in shown.text) == (shown.status_code == 200)
            assert ("Plant closure" in web.get(WEB).text) == (
                name in ("journalist", "reporter", "tom"))
    finally:
        for web in pages.values():
            web.close()

    # Taken out of the groups, a member hears and reads nothing more, on a stream opened
    # before too.
    sub = _made(cast["admin"].http.get(f"/api/zwitscher/v1/groups/{group['id']}"))
    assert sub["id"] == group["id"]
    tv = [g for g in _made(cast["admin"].http.get("/api/zwitscher/v1/groups"))
          if g.get("parent_id") == group["id"]][0]
    cast["admin"].http.request("DELETE", f"/api/zwitscher/v1/groups/{tv['id']}/members",
                               data={"account_ids[]": [reporter.id]}).raise_for_status()
    second = _made(ask(journalist, conference, "And the other plants?"))
    _made(act(jana, conference, second, "accept"))
    journalists.wait_for("question.accepted", lambda data: json.loads(data)["id"] == second["id"])
    assert [json.loads(data)["id"] for name, data in reporters.events
            if name == "question.accepted"] == [question["id"]]
    assert reporter.http.get(f"{API}/{conference['id']}").status_code == 404
    cast["admin"].http.post(f"/api/zwitscher/v1/groups/{tv['id']}/members",
                            data={"account_ids[]": [reporter.id]}).raise_for_status()


def test_a_public_conference_is_watched_by_anyone_and_asked_by_anyone_signed_in(cast, nobody):
    conference = call(cast["jana"], cast["brand"])
    assert _made(nobody.get(f"{API}/{conference['id']}"))["may_ask"] is False
    refused = nobody.post(f"{API}/{conference['id']}/questions", json={"text": "Hello?"})
    assert refused.status_code == 401 and "error" in refused.json()
    assert _made(ask(cast["guest"], conference, "A guest asks"))["state"] == "pending"
    assert _made(cast["member"].http.get(f"{API}/{conference['id']}"))["may_ask"] is True
    reading = httpx.get(f"{nobody.base_url}{API}/{conference['id']}",
                        headers={"Authorization": f"Bearer {cast['member'].token}x"})
    assert reading.status_code == 401


def _answered(cast, conference: dict, text: str, answer: str, asker: str = "member") -> dict:
    question = _made(ask(cast[asker], conference, text))
    _made(act(cast["jana"], conference, question, "accept"))
    return _made(act(cast["jana"], conference, question, "answer", text=answer))


def test_hostile_html_in_questions_and_answers_stays_inert(cast, server, nobody):
    conference = call(cast["jana"], cast["brand"], title=f"<b>{HOSTILE}</b>")
    answered = _answered(cast, conference, HOSTILE, f"Answer: {HOSTILE}")
    assert answered["text"] == HOSTILE  # stored as typed, escaped where it is shown
    reply = _made(nobody.get(f"/api/v1/statuses/{answered['answer']['status_id']}"))
    post = lxml_html.fragment_fromstring(reply["content"], create_parent="div")
    assert not post.xpath("//script | //img | //*[@onerror]")

    pages = [nobody.get(f"{WEB}/{conference['id']}{path}").text
             for path in ("", "/queue", "/transcript")]
    pages.append(nobody.get(f"{API}/{conference['id']}/transcript.html").text)
    for page in pages:
        tree = lxml_html.document_fromstring(page)
        assert not tree.xpath("//script[contains(., 'alert')] | //img[@onerror] | //b")
        assert HOSTILE in tree.text_content()
    rendered = MarkdownIt("commonmark").render(
        nobody.get(f"{API}/{conference['id']}/transcript.md").text)
    assert "<script" not in rendered and "<img" not in rendered
    assert "<strong>bold" not in rendered and "evil.example\"" not in rendered
    text = lxml_html.fragment_fromstring(rendered, create_parent="div").text_content()
    assert HOSTILE in text


def test_the_transcript_is_exported_in_the_order_of_answering(cast, server, nobody):
    jana, journalist, member = cast["jana"], cast["journalist"], cast["member"]
    conference = call(jana, cast["brand"], title="Transcript test")
    early = _made(ask(journalist, conference, "Asked first, answered last?"))
    late = _made(ask(member, conference, "Asked last, answered first?"))
    twin = _made(ask(cast["guest"], conference, "Also: asked last?"))
    for question in (early, late):
        _made(act(jana, conference, question, "accept"))
    _made(act(jana, conference, twin, "merge", into_id=late["id"]))
    _made(act(jana, conference, late, "answer", text="Yes, first."))
    _made(act(jana, conference, early, "answer", text="Yes, last."))
    _made(jana.http.post(f"{API}/{conference['id']}/end"))
    order = ["Asked last, answered first?", "Asked first, answered last?"]

    data = _made(nobody.get(f"{API}/{conference['id']}/transcript"))
    assert [q["text"] for q in data["questions"]] == order
    assert [q["number"] for q in data["questions"]] == [1, 2]
    assert data["questions"][0]["also_asked_by"][0]["username"] == cast["guest"].username
    assert data["conference"]["state"] == "ended"

    markdown = nobody.get(f"{API}/{conference['id']}/transcript.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    tokens = MarkdownIt("commonmark").parse(markdown.text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Transcript test", "Question 1", "Question 2"]
    quotes = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    assert quotes == order
    text = lxml_html.fragment_fromstring(MarkdownIt("commonmark").render(markdown.text),
                                         create_parent="div").text_content()
    assert f"also asked by @{cast['guest'].username}" in text

    page = nobody.get(f"{API}/{conference['id']}/transcript.html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    tree = lxml_html.document_fromstring(page.text)
    assert [" ".join(q.text_content().split()) for q in tree.xpath("//ol/li/blockquote")] == order
    assert [a.text_content() for a in tree.xpath("//ol/li//div[@class='answer']/p[2]")] == [
        "Yes, first.", "Yes, last."]
    assert "Jana Stuker" in tree.xpath("//ol/li")[0].text_content()

    german = WebClient(server.base_url, language="de")
    try:
        exported = german.get(f"{WEB}/{conference['id']}/transcript.md").text
        assert "## Frage 1" in exported and "## Frage 2" in exported
        assert json.loads(german.get(f"{WEB}/{conference['id']}/transcript.json").content)[
            "questions"][1]["answer"]["text"] == "Yes, last."
    finally:
        german.close()


def test_the_pages_work_without_javascript(cast, browser_of, web):
    jana, journalist, member = cast["jana"], cast["journalist"], cast["member"]
    author = browser_of(jana)
    page = author.get(WEB)
    assert "Call a press conference" in page.text
    ends = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    made = author.http.post(WEB, data={
        "csrf": csrf_of(page), "brand_id": cast["brand"]["id"], "title": "Web conference",
        "description": "Ask us", "ends_at": ends, "audience": "public"})
    assert made.status_code == 200 and "Web conference" in made.text
    path = str(made.url).removeprefix(str(author.http.base_url).rstrip("/"))
    assert path.startswith(f"{WEB}/")

    asking = browser_of(journalist)
    asked = asking.submit(path, f"{path}/questions", {"text": "What about the web?"})
    assert "Your question was sent" in asked.text and "What about the web?" in asked.text
    question_id = _made(journalist.http.get(f"{API}{path.removeprefix(WEB)}/questions"))[0]["id"]
    flooded = asking.submit(path, f"{path}/questions", {"text": "And again?"})
    assert flooded.status_code == 429 and "And again?" in flooded.text  # kept for later

    accepted = author.submit(path, f"{path}/questions/{question_id}/accept", {})
    assert "The question was accepted." in accepted.text
    voted = browser_of(member).submit(path, f"{path}/questions/{question_id}/vote", {})
    assert 'aria-pressed="true"' in voted.text
    empty = author.submit(path, f"{path}/questions/{question_id}/answer", {"answer": " "})
    assert empty.status_code == 422 and "Please write the answer" in empty.text
    answered = author.submit(path, f"{path}/questions/{question_id}/answer",
                             {"answer": "It works."})
    assert "The answer was posted." in answered.text and "It works." in answered.text
    assert "It works." in web.get(f"{path}/transcript").text  # anyone, signed out
    german = WebClient(web.http.base_url, language="de")
    try:
        assert "Beantwortet" in german.get(path).text
    finally:
        german.close()
