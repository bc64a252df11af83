"""Live events through the API: an organiser makes an event (bad input refused, nothing kept),
its audience decides who sees it on every path, participants answer (a flood of answers leaves
one), say whether they may be named, quoted or shown in pictures, and a post that breaks that
is held for review (or, through the Mastodon API, refused) and its author told why; at its end
the event is archived and becomes a story."""

from __future__ import annotations

import json
import secrets
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mail_support import text_of

from media_support import image_bytes, upload
from support import wait_until

pytestmark = pytest.mark.usefixtures("quiet_server_log")

API = "/api/zwitscher/v1/events"


def _at(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _made(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def tag() -> str:
    return "ev" + secrets.token_hex(4)


def make_event(organiser, **fields) -> dict:
    return _made(organiser.http.post(API, json={
        "title": fields.pop("title", "Sommerfest"), "starts_at": _at(minutes=-5),
        "ends_at": _at(hours=2), "hashtag": fields.pop("hashtag", None) or tag(),
        "place": "Innenhof", **fields}))


def mail_about(mailbox, person, subject: str):
    """The message to `person` whose subject says `subject`, once it arrived."""
    found = wait_until(lambda: next((message for message in mailbox.to(person.email)
                                     if subject in message["Subject"]), None), timeout=30)
    assert found is not None, f"no message about {subject!r} to {person.email}"
    return found


def timeline_ids(client, event: dict) -> list[str]:
    return [status["id"] for status in _made(client.get(f"{API}/{event['id']}/statuses"))]


@pytest.fixture(scope="module")
def nobody(server):
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def cast(users):
    """Olga organises (and is in the group, as Gero is); Ina is of the organisation but not in
    the group, Gast is a guest; Pia, Quentin and Rosa take part in Olga's events."""
    admin = users.create(role="admin")
    group = _made(admin.http.post("/api/zwitscher/v1/groups", json={
        "slug": f"team-{secrets.token_hex(3)}", "name": "Team Nord"}))
    people = {name: users.create(display_name=name.title()) for name in
              ("olga", "gero", "ina", "pia", "quentin", "rosa")}
    people["gast"] = users.create(role="guest", display_name="Gast")
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": [people["gero"].id, people["olga"].id]}
                    ).raise_for_status()
    return {**people, "admin": admin, "group": group}


def test_an_event_is_made_with_its_organiser_and_calendar_file(cast, nobody):
    olga = cast["olga"]
    hashtag = tag()
    event = make_event(olga, title="Sommerfest 2026", hashtag=f"#{hashtag}",
                       description="Grillen und Musik.", audience="public")
    assert event["hashtag"] == hashtag and event["audience"] == "public"
    assert event["organiser"] is True and event["state"] == "running"
    assert [person["username"] for person in event["organisers"]] == [olga.username]
    assert event["url"].endswith(f"/web/events/{event['id']}")
    calendar = nobody.get(f"/web/events/{event['id']}.ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Sommerfest 2026" in calendar.text and "LOCATION:Innenhof" in calendar.text


@pytest.mark.parametrize(("fields", "status", "reason"), [
    ({"ends_at": _at(minutes=-30)}, 422, "must end after it starts"),
    ({"title": "   "}, 422, "title"),
    ({"hashtag": "123"}, 422, "hashtag"),
    ({"hashtag": ""}, 422, "hashtag"),
    ({"starts_at": "yesterday"}, 422, "starts_at"),
    ({"audience": "everyone"}, 422, "audience"),
    ({"audience": "group"}, 422, "at least one group"),
    ({"audience": "public", "group_ids": ["1"]}, 422, "Groups"),
    ({"audience": "group", "group_ids": ["99999999"]}, 404, "group"),
])
def test_bad_events_are_refused_and_nothing_is_kept(cast, fields, status, reason):
    olga = cast["olga"]
    hashtag = tag()
    body = {"title": "Bad", "starts_at": _at(minutes=-5), "ends_at": _at(hours=1),
            "hashtag": hashtag, **fields}
    refused = olga.http.post(API, json=body)
    assert refused.status_code == status, refused.text
    assert reason.lower() in refused.json()["error"].lower()
    mine = _made(olga.http.get(API, params={"list": "mine"}))
    assert hashtag not in [event["hashtag"] for event in mine]


def test_a_live_events_hashtag_is_its_own_and_guests_organise_none(cast):
    olga, ina = cast["olga"], cast["ina"]
    taken = make_event(olga)
    refused = ina.http.post(API, json={"title": "Copy", "starts_at": _at(minutes=1),
                                       "ends_at": _at(hours=1),
                                       "hashtag": taken["hashtag"].upper()})
    assert refused.status_code == 422 and "hashtag" in refused.json()["error"]
    guest = cast["gast"].http.post(API, json={"title": "Mine", "starts_at": _at(minutes=1),
                                              "ends_at": _at(hours=1), "hashtag": tag()})
    assert guest.status_code == 403


def test_who_sees_an_event_follows_its_audience(cast, nobody):
    olga, group = cast["olga"], cast["group"]
    events = {
        "public": make_event(olga, audience="public"),
        "internal": make_event(olga, audience="internal"),
        "group": make_event(olga, audience="group", group_ids=[group["id"]]),
        "invitees": make_event(olga, audience="invitees"),
    }
    _made(olga.http.post(f"{API}/{events['invitees']['id']}/invitations",
                         json={"account_ids": [cast["pia"].id]}))
    viewers = {"olga": olga.http, "pia": cast["pia"].http, "gero": cast["gero"].http,
               "ina": cast["ina"].http, "gast": cast["gast"].http, "nobody": nobody}
    # Who sees which event (Y) and who gets 404 (.): olga pia gero ina gast nobody
    expected = {
        "public":   "Y Y Y Y Y Y",
        "internal": "Y Y Y Y . .",
        "group":    "Y . Y . . .",
        "invitees": "Y Y . . . .",
    }
    for audience, marks in expected.items():
        event_id = events[audience]["id"]
        for (name, client), mark in zip(viewers.items(), marks.split(), strict=True):
            paths = [f"{API}/{event_id}", f"{API}/{event_id}/statuses",
                     f"{API}/{event_id}/calendar.ics"]
            for path in paths:
                answer = client.get(path)
                assert answer.status_code == (200 if mark == "Y" else 404), \
                    (audience, name, path, answer.status_code)
            listed = _made(client.get(API, params={"list": "upcoming", "limit": 40}))
            assert (event_id in [event["id"] for event in listed]) == (mark == "Y") \
                or len(listed) == 40, (audience, name)


def test_only_the_audience_takes_part(cast):
    olga = cast["olga"]
    invitees = make_event(olga, audience="invitees")
    internal = make_event(olga, audience="internal")
    refused = cast["ina"].http.post(f"{API}/{invitees['id']}/rsvp", json={"answer": "accept"})
    assert refused.status_code == 404
    assert cast["gast"].http.post(f"{API}/{internal['id']}/rsvp",
                                  json={"answer": "accept"}).status_code == 404
    joined = _made(cast["ina"].http.post(f"{API}/{internal['id']}/rsvp",
                                         json={"answer": "maybe"}))
    assert joined["answer"] == "maybe" and joined["invited"] is False
    assert cast["ina"].http.post(f"{API}/{internal['id']}/rsvp",
                                 json={"answer": "perhaps"}).status_code == 422


def test_a_flood_of_answers_leaves_exactly_one_current_answer(cast):
    olga, pia = cast["olga"], cast["pia"]
    event = make_event(olga, audience="invitees")
    _made(olga.http.post(f"{API}/{event['id']}/invitations",
                         json={"account_ids": [pia.id]}))
    statuses: list[int] = []
    lock = threading.Lock()

    def answer(word: str) -> None:
        with httpx.Client(base_url=pia.http.base_url, headers=pia.headers(),
                          timeout=30) as client:
            code = client.post(f"{API}/{event['id']}/rsvp", json={"answer": word}).status_code
        with lock:
            statuses.append(code)

    threads = [threading.Thread(target=answer, args=(("accept", "decline", "maybe")[i % 3],))
               for i in range(45)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 429} and statuses.count(200) == 30
    refused = pia.http.post(f"{API}/{event['id']}/rsvp", json={"answer": "accept"})
    assert refused.status_code == 429 and "Too many answers" in refused.json()["error"]
    participants = _made(olga.http.get(f"{API}/{event['id']}/participants"))
    assert [p["account"]["id"] for p in participants] == [pia.id]
    shown = _made(pia.http.get(f"{API}/{event['id']}"))
    assert shown["participation"]["answer"] == participants[0]["answer"]
    assert participants[0]["answer"] in ("accepted", "declined", "maybe")
    assert sum(shown["answers"].values()) == 1


def _participate(event: dict, person, **consent) -> dict:
    if consent:
        return _made(person.http.put(f"{API}/{event['id']}/consent", json=consent))
    return _made(person.http.post(f"{API}/{event['id']}/rsvp", json={"answer": "accept"}))


def test_a_post_against_consent_is_held_and_its_author_told_why(cast, mailbox):
    olga, pia, quentin, rosa = (cast[name] for name in ("olga", "pia", "quentin", "rosa"))
    event = make_event(olga, audience="internal")
    _participate(event, pia, named="no")
    _participate(event, quentin, named="yes", quoted="no", pictures="yes")
    _participate(event, rosa, named="yes", quoted="yes", pictures="no")
    # Named: Pia does not agree.
    held = _made(quentin.http.post(f"{API}/{event['id']}/statuses",
                                   json={"status": f"Schön, dass @{pia.username} da ist"}),
                 202)
    assert held["held"]["state"] == "held"
    assert [(r["account"]["username"], r["consent"]) for r in held["held"]["reasons"]] == [
        (pia.username, "named")]
    assert f"@{pia.username} does not agree to be named" in held["error"]
    # Quoted: Quentin agrees to be named, not to be quoted.
    quoted = _made(pia.http.post(f"{API}/{event['id']}/statuses", json={
        "status": f"@{quentin.username} sagte: „Das wird ein Fest“"}), 202)
    assert [r["consent"] for r in quoted["held"]["reasons"]] == ["quoted"]
    assert _made(pia.http.post(f"{API}/{event['id']}/statuses", json={
        "status": f"@{quentin.username} ist auch da"}))["visibility"] == "private"
    # Pictures: Rosa agrees to be named and quoted, not to be shown.
    media = _made(upload(pia, image_bytes("png")))
    pictured = _made(pia.http.post(f"{API}/{event['id']}/statuses", json={
        "status": f"Mit @{rosa.username} am Grill", "media_ids": [media["id"]]}), 202)
    assert [r["consent"] for r in pictured["held"]["reasons"]] == ["pictures"]
    # Its picture waits with it: no other post takes it meanwhile.
    taken = pia.http.post("/api/v1/statuses", json={"status": "Nur das Bild",
                                                    "media_ids": [media["id"]]})
    assert taken.status_code == 422 and media["id"] in taken.json()["error"]
    # Nothing held is in the timeline; the organisers see the queue, an author their own.
    held_ids = {held["held"]["id"], quoted["held"]["id"], pictured["held"]["id"]}
    assert {h["id"] for h in _made(olga.http.get(f"{API}/{event['id']}/held"))} == held_ids
    assert {h["id"] for h in _made(pia.http.get(f"{API}/{event['id']}/held"))} == {
        quoted["held"]["id"], pictured["held"]["id"]}
    assert "Schön, dass" not in json.dumps(_made(olga.http.get(
        f"{API}/{event['id']}/statuses")))
    # Still not agreed: publishing is refused, naming who.
    still = olga.http.post(f"{API}/{event['id']}/held/{held['held']['id']}/publish")
    assert still.status_code == 422 and f"@{pia.username}" in still.json()["error"]
    assert pia.http.post(f"{API}/{event['id']}/held/{held['held']['id']}/publish"
                         ).status_code == 403
    # Pia agrees: the organiser publishes it, and Quentin is told.
    _participate(event, pia, named="yes")
    published = _made(olga.http.post(f"{API}/{event['id']}/held/{held['held']['id']}/publish"))
    assert published["account"]["id"] == quentin.id
    assert f"/tags/{event['hashtag']}" in published["content"]
    assert published["id"] in timeline_ids(olga.http, event)
    told = mail_about(mailbox, quentin, f"Your post from {event['title']} was reviewed")
    assert "An organiser published it now" in text_of(told)
    # The other is discarded, and its author is told that too.
    assert _made(olga.http.post(
        f"{API}/{event['id']}/held/{pictured['held']['id']}/discard")) == {}
    assert "discarded" in text_of(mail_about(mailbox, pia, "was reviewed"))
    assert pia.http.get(f"/api/v1/media/{media['id']}").status_code == 404
    assert olga.http.post(f"{API}/{event['id']}/held/{pictured['held']['id']}/publish"
                          ).status_code == 422


def test_unknown_consent_counts_as_no_for_an_internal_event_and_yes_for_a_public_one(cast):
    olga, pia, quentin = cast["olga"], cast["pia"], cast["quentin"]
    internal, public = make_event(olga, audience="internal"), make_event(olga)
    for event in (internal, public):
        _participate(event, pia)
    text = f"Hallo @{pia.username}"
    assert quentin.http.post(f"{API}/{internal['id']}/statuses",
                             json={"status": text}).status_code == 202
    posted = _made(quentin.http.post(f"{API}/{public['id']}/statuses", json={"status": text}))
    assert posted["visibility"] == "public"


def test_the_mastodon_api_refuses_a_post_with_the_hashtag_against_consent(cast):
    olga, pia, ina = cast["olga"], cast["pia"], cast["ina"]
    event = make_event(olga, audience="public")
    _participate(event, pia, named="no")
    before = ina.api.account(ina.id)["statuses_count"]
    refused = ina.http.post("/api/v1/statuses", json={
        "status": f"@{pia.username} beim #{event['hashtag'].upper()}", "visibility": "public"})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert f"@{pia.username}" in error and "named" in error
    assert f"/web/events/{event['id']}" in error
    assert ina.api.account(ina.id)["statuses_count"] == before
    assert ina.http.get(f"/api/v1/accounts/{ina.id}/statuses").json() == [] or all(
        event["hashtag"] not in status["content"]
        for status in ina.http.get(f"/api/v1/accounts/{ina.id}/statuses").json())
    # Without the mention, or without the hashtag, it is an ordinary post; an edit that adds
    # the mention is refused as the post would have been.
    plain = _made(ina.http.post("/api/v1/statuses", json={
        "status": f"Beim #{event['hashtag']}"}))
    edited = ina.http.put(f"/api/v1/statuses/{plain['id']}", json={
        "status": f"Beim #{event['hashtag']} mit @{pia.username}"})
    assert edited.status_code == 422 and f"@{pia.username}" in edited.json()["error"]
    assert "@" not in _made(ina.http.get(f"/api/v1/statuses/{plain['id']}"))["content"]
    assert ina.http.post("/api/v1/statuses", json={
        "status": f"Hallo @{pia.username}"}).status_code == 200


def test_posts_from_the_event_go_to_its_audience_and_its_timeline(cast, sse, nobody):
    olga, gero, ina, group = cast["olga"], cast["gero"], cast["ina"], cast["group"]
    event = make_event(olga, audience="group", group_ids=[group["id"]])
    listening = sse(f"{API}/{event['id']}/stream", gero)
    posted = _made(gero.http.post(f"{API}/{event['id']}/statuses",
                                  json={"status": "Wir sind im Saal 2"}))
    assert posted["visibility"] == "private"  # a group post, as Mastodon clients see it
    assert f"/tags/{event['hashtag']}" in posted["content"]
    assert json.loads(listening.wait_for("update"))["id"] == posted["id"]
    assert timeline_ids(gero.http, event) == [posted["id"]]
    assert timeline_ids(olga.http, event) == [posted["id"]]
    assert ina.http.get(f"/api/v1/statuses/{posted['id']}").status_code == 404
    # Someone outside the group writing the hashtag does not write onto the event.
    outside = ina.api.status_post(f"Ich auch #{event['hashtag']}")
    assert ina.http.post(f"{API}/{event['id']}/statuses",
                         json={"status": "Darf ich?"}).status_code == 404
    assert outside.id not in timeline_ids(olga.http, event)
    # An invitees' event: a message to its participants, their names not in the text.
    private = make_event(olga, audience="invitees")
    _made(olga.http.post(f"{API}/{private['id']}/invitations",
                         json={"account_ids": [cast["pia"].id, cast["rosa"].id]}))
    whisper = _made(olga.http.post(f"{API}/{private['id']}/statuses",
                                   json={"status": "Treffpunkt 18 Uhr"}))
    assert whisper["visibility"] == "direct"
    assert cast["pia"].username not in whisper["content"]
    assert cast["rosa"].http.get(f"/api/v1/statuses/{whisper['id']}").status_code == 200
    assert ina.http.get(f"/api/v1/statuses/{whisper['id']}").status_code == 404
    assert timeline_ids(cast["pia"].http, private) == [whisper["id"]]
    assert nobody.get(f"{API}/{private['id']}/statuses").status_code == 404


def test_an_event_is_archived_at_its_end_and_becomes_a_story(cast, nobody):
    olga, pia = cast["olga"], cast["pia"]
    event = make_event(olga, audience="public", ends_at=_at(seconds=4),
                       description="Ein kurzes Treffen.")
    _participate(event, pia)
    first = _made(pia.http.post(f"{API}/{event['id']}/statuses", json={"status": "Los geht's"}))
    second = pia.api.status_post(f"Und weiter #{event['hashtag']}")
    archived = wait_until(lambda: _made(nobody.get(f"{API}/{event['id']}"))["state"]
                          == "archived", timeout=30)
    assert archived
    late = pia.http.post(f"{API}/{event['id']}/statuses", json={"status": "Zu spät"})
    assert late.status_code == 422 and "over" in late.json()["error"]
    assert pia.http.post(f"{API}/{event['id']}/rsvp", json={"answer": "decline"}
                         ).status_code == 422
    assert timeline_ids(nobody, event) == [second.id, first["id"]]
    # Its hashtag is free again; its archive keeps only the posts of its time.
    again = make_event(olga, hashtag=event["hashtag"])
    assert again["hashtag"] == event["hashtag"]
    pia.api.status_post(f"Nächstes Mal #{event['hashtag']}")
    assert timeline_ids(nobody, event) == [second.id, first["id"]]
    assert pia.http.post(f"{API}/{event['id']}/story").status_code == 403
    story = _made(olga.http.post(f"{API}/{event['id']}/story"))
    assert _made(olga.http.post(f"{API}/{event['id']}/story"))["id"] == story["id"]
    read = _made(olga.http.get(f"/api/zwitscher/v1/stories/{story['id']}"))
    assert read["title"] == event["title"] and read["audience"] == "public"
    posts = [block["post"]["id"] for block in read["blocks"] if block["type"] == "post"]
    assert posts == [first["id"], second.id]
    assert _made(nobody.get(f"{API}/{event['id']}"))["story_id"] == story["id"]


def test_an_organiser_ends_an_event_early_and_adds_co_organisers(cast):
    olga, ina, pia = cast["olga"], cast["ina"], cast["pia"]
    event = make_event(olga, audience="internal")
    assert ina.http.post(f"{API}/{event['id']}/archive").status_code == 403
    added = _made(olga.http.post(f"{API}/{event['id']}/organisers",
                                 json={"account_id": ina.id}))
    assert [p["username"] for p in added["organisers"]] == [olga.username, ina.username]
    changed = _made(ina.http.patch(f"{API}/{event['id']}", json={"place": "Kantine"}))
    assert changed["place"] == "Kantine"
    assert ina.http.patch(f"{API}/{event['id']}", json={
        "ends_at": _at(days=-1)}).status_code == 422
    assert pia.http.patch(f"{API}/{event['id']}", json={"place": "X"}).status_code == 403
    ended = _made(ina.http.post(f"{API}/{event['id']}/archive"))
    assert ended["state"] == "archived" and ended["taking_posts"] is False
    assert ina.http.post(f"{API}/{event['id']}/archive").status_code == 422


def test_the_event_page_tells_an_author_who_does_not_agree_to_their_post(cast, browser_of):
    olga, pia, quentin = cast["olga"], cast["pia"], cast["quentin"]
    event = make_event(olga, audience="internal", title="Teamabend")
    _participate(event, pia, named="no")
    page = f"/web/events/{event['id']}"
    web = browser_of(quentin)
    sent = web.submit(page, "/web/events/compose", {
        "event_id": event["id"], "text": f"Mit @{pia.username} am Tisch"})
    assert sent.status_code == 200 and f"{page}?done=held#held-" in str(sent.url)
    assert "Your post is held for review" in sent.text
    assert f"@{pia.username} does not agree to be named in the event&#39;s posts" in sent.text
    posted = web.submit(page, "/web/events/compose", {"event_id": event["id"],
                                                      "text": "Der Nachtisch kommt"})
    assert "Your post is published." in posted.text and "Der Nachtisch kommt" in posted.text
    # The organiser's page shows the queue with the same reason, and publishes once Pia agrees.
    organiser = browser_of(olga)
    queue = organiser.get(page)
    assert "Mit @" in queue.text and "Held for review" in queue.text
    [held] = _made(olga.http.get(f"{API}/{event['id']}/held"))
    refused = organiser.submit(page, f"{page}/held/{held['id']}/publish", {})
    assert refused.status_code == 422 and "does not agree to be named" in refused.text
    _participate(event, pia, named="yes")
    published = organiser.submit(page, f"{page}/held/{held['id']}/publish", {})
    assert "The post was published; its author is told." in published.text
    assert "Mit @" not in published.text.split('id="review"')[1].split("</details>")[0]
