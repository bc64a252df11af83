"""Crisis broadcasts through every channel at once, with answers, escalation and re-sending.

A server of its own (its jobs must not be claimed by the session's other servers) sends e-mail
to a real SMTP server, text messages to a local gateway adapter that checks the webhook's
signature, and Web Push to a local push service; open streams are real SSE connections.
"""

from __future__ import annotations

import csv
import io
import json
import re

import httpx
import pytest
from mail_support import MailSink, text_of

from push_support import PushService, decrypt, push_service, subscribe  # noqa: F401
from sms_support import sms_gateway  # noqa: F401
from streams import SseStream
from support import UserFactory, fresh_instance, wait_until

CRISES = "/api/zwitscher/v1/crises"
TEMPLATES = "/api/zwitscher/v1/crisis/templates"
LISTS = "/api/zwitscher/v1/crisis/contact_lists"
IMPORT = "/api/zwitscher/v1/admin/directory/import"

STAFF_IN_DIRECTORY = 600
CONTACTS = 396


@pytest.fixture(scope="module")
def crisis_server(tmp_path_factory, sink, sms_gateway):  # noqa: F811
    with fresh_instance(tmp_path_factory.mktemp("crisis-data"),
                        ZWITSCHER_SMTP_URL=sink.url,
                        ZWITSCHER_SMS_GATEWAY_URL=sms_gateway.url,
                        ZWITSCHER_SMS_GATEWAY_SECRET=sms_gateway.secret,
                        ZWITSCHER_PUSH_ALLOW_HTTP="true") as server:
        yield server


@pytest.fixture(scope="module")
def people(crisis_server):
    return UserFactory(crisis_server)


@pytest.fixture(scope="module")
def desk(people):
    return people.create(role="communicator", display_name="Crisis Desk")


def make_group(people, slug: str, members) -> str:
    response = admin(people).http.post("/api/zwitscher/v1/groups",
                                       data={"slug": slug, "name": slug})
    assert response.status_code == 200, response.text
    group_id = response.json()["id"]
    if members:
        added = admin(people).http.post(f"/api/zwitscher/v1/groups/{group_id}/members",
                                        data={"account_ids[]": [m.id for m in members]})
        assert added.status_code == 200, added.text
    return group_id


_admins: dict = {}


def admin(people):
    if people not in _admins:
        _admins[people] = people.create(role="admin")
    return _admins[people]


def contact_list(desk, name: str, rows: list[dict]) -> str:
    made = desk.http.post(LISTS, json={"name": name})
    assert made.status_code == 200, made.text
    list_id = made.json()["id"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "email", "phone", "language"])
    writer.writeheader()
    writer.writerows(rows)
    imported = desk.http.post(f"{LISTS}/{list_id}/import", content=out.getvalue(),
                              headers={"content-type": "text/csv"})
    assert imported.status_code == 200, imported.text
    assert imported.json()["size"] == len(rows)
    return list_id


def phone(n: int) -> str:
    return f"0176 {5000000 + n:07d}"


def e164(n: int) -> str:
    return f"+49176{5000000 + n:07d}"


def own_link(text: str) -> str:
    return re.search(r"https?://\S+/crisis/\d+\.[A-Za-z0-9_-]+", text).group(0)


def test_a_crisis_reaches_a_thousand_recipients_on_every_channel_and_counts_their_answers(
        crisis_server, people, desk, sink, sms_gateway, push_service):  # noqa: F811
    staff = [people.create(display_name=f"Staff {n}") for n in range(4)]
    directory = "username,email,display_name,groups\n" + "".join(
        f"plant{n},plant{n}@example.org,Plant worker {n},plant\n"
        for n in range(STAFF_IN_DIRECTORY))
    owner = people._owner_http()
    imported = owner.post(IMPORT, content=directory, params={"welcome": "false"},
                          headers={"content-type": "text/csv"})
    assert imported.status_code == 200, imported.text
    plant = admin(people).http.get("/api/zwitscher/v1/groups", params={"limit": 80}).json()
    plant_id = next(group["id"] for group in plant if group["slug"] == "plant")
    office_id = make_group(people, "office", staff)
    relatives = contact_list(desk, "Relatives", [
        {"name": f"Relative {n}", "email": f"relative{n}@example.net" if n % 3 else "",
         "phone": phone(n), "language": "de" if n % 2 else "en"} for n in range(CONTACTS)])
    devices = [subscribe(person, push_service) for person in staff[:3]]
    stream = SseStream(crisis_server.base_url, "/api/v1/streaming/user", staff[3].token, {})
    try:
        template = desk.http.post(TEMPLATES, json={
            "name": "Fire", "title": "Fire at {place}",
            "text": "There is a fire at {place}. {advice} Answer here: {link}",
            "group_ids": [plant_id, office_id], "contact_list_ids": [relatives],
            "channels": ["stream", "push", "email", "sms"]})
        assert template.status_code == 200, template.text
        assert template.json()["placeholders"] == ["place", "advice", "link"]
        sent = desk.http.post(CRISES, json={"template_id": template.json()["id"], "values": {
            "place": "hall 3", "advice": "Leave by the north exit."}})
        assert sent.status_code == 200, sent.text
        crisis = sent.json()
        recipients = STAFF_IN_DIRECTORY + len(staff) + CONTACTS
        assert crisis["title"] == "Fire at hall 3"
        assert crisis["total"]["recipients"] == recipients == 1000

        # The open stream has it at once, as a notification of the crisis post.
        notification = json.loads(stream.wait_for("notification"))
        assert notification["status"]["id"] == crisis["status_id"]
        assert "Leave by the north exit." in notification["status"]["content"]
    finally:
        stream.close()

    # Every push device, every address and every phone gets it once.
    for person, device in zip(staff, devices, strict=False):
        received = wait_until(lambda d=device: push_service.received(d.endpoint), timeout=60)
        assert len(received) == 1
        message = decrypt(person, device, received[0])
        assert message["title"] == "⚠ Fire at hall 3"
        assert re.fullmatch(r"/crisis/\d+\.[A-Za-z0-9_-]+", message["url"])
    # Mastodon apps list it among the notifications, with the post.
    listed = staff[1].api.notifications(types=["status"])
    assert [str(n["status"]["id"]) for n in listed] == [crisis["status_id"]]
    with_email = STAFF_IN_DIRECTORY + len(staff) + sum(1 for n in range(CONTACTS) if n % 3)
    assert wait_until(lambda: len(crisis_alerts(sink)) >= with_email, timeout=120)
    texts = sms_gateway.wait_for(CONTACTS, timeout=60)
    assert sorted(text.to for text in texts.values()) == sorted(e164(n) for n in range(CONTACTS))
    assert not sms_gateway.duplicates and not sms_gateway.bad_signatures
    mails = crisis_alerts(sink)
    assert len({message["Message-ID"] for message in mails}) == len(mails) == with_email
    german = next(m for m in mails if m["To"].addresses[0].addr_spec == "relative1@example.net")
    assert german["Subject"] == "Krisenmeldung: Fire at hall 3"

    # Everyone: the person with only an open stream had an e-mail address too.
    board = wait_until(lambda: (b := dashboard(desk, crisis["id"]))["total"]["reached"]
                       == recipients and b, timeout=60)
    assert board, dashboard(desk, crisis["id"])
    assert board["deliveries"]["sms"] == {"sent": CONTACTS, "skipped": recipients - CONTACTS}
    assert board["deliveries"]["push"]["sent"] == 3

    # Answers: by the e-mail's link (no sign-in), by the API, and by a text message's link.
    plant_worker = next(m for m in mails if m["To"].addresses[0].addr_spec == "plant7@example.org")
    answer_by_link(own_link(text_of(plant_worker)), "safe")
    desk_answer = staff[0].http.post(f"{CRISES}/{crisis['id']}/acknowledge",
                                     json={"answer": "help"})
    assert desk_answer.status_code == 200, desk_answer.text
    sms_link = own_link(next(iter(texts.values())).text)
    answer_by_link(sms_link, "received")
    answer_by_link(sms_link, "help")  # the newest answer counts
    board = dashboard(desk, crisis["id"])
    assert board["total"]["acknowledged"] == 3
    assert (board["total"]["safe"], board["total"]["help"], board["total"]["received"]) == \
        (1, 2, 0)
    assert {part["name"] for part in board["audience"]} == {"plant", "office", "Relatives"}
    assert {r["name"] for r in board["needing_help"]} >= {"Staff 0"}


def crisis_alerts(mailbox: MailSink) -> list:
    return [message for _, message in list(mailbox.messages)
            if "Fire at hall 3" in str(message["Subject"])]


def dashboard(desk, crisis_id: str) -> dict:
    response = desk.http.get(f"{CRISES}/{crisis_id}")
    assert response.status_code == 200, response.text
    return response.json()


def answer_by_link(link: str, answer: str) -> None:
    with httpx.Client(timeout=30) as browser:
        page = browser.get(link)
        assert page.status_code == 200, page.text
        answered = browser.post(link, data={"answer": answer})
        assert answered.status_code in (200, 303), answered.text


def test_escalation_sends_the_next_channel_only_to_those_who_did_not_open_it(
        people, desk, sink, sms_gateway):  # noqa: F811
    quick, slow = people.create(), people.create()
    group_id = make_group(people, "night-shift", [quick, slow])
    sent = desk.http.post(CRISES, json={
        "title": "Gas leak", "text": "Gas leak in the lab. {link}", "group_ids": [group_id],
        "channels": ["stream"], "escalation": ["email"], "escalate_after_seconds": 15})
    assert sent.status_code == 200, sent.text
    crisis_id = sent.json()["id"]
    assert quick.http.post(f"{CRISES}/{crisis_id}/open").status_code == 200
    escalated = wait_until(lambda: sink.to(slow.email), timeout=60)
    assert escalated and "Gas leak" in str(escalated[0]["Subject"])
    assert wait_until(lambda: dashboard(desk, crisis_id)["deliveries"]["email"] == {"sent": 1})
    assert not [m for m in sink.to(quick.email) if "Gas leak" in str(m["Subject"])]


def test_a_re_send_goes_only_to_those_not_reached(people, desk, sms_gateway):  # noqa: F811
    sms_gateway.refuse(e164(9001), "unknown subscriber")
    list_id = contact_list(desk, "Authorities", [
        {"name": "Fire brigade", "phone": phone(9000), "email": "", "language": "de"},
        {"name": "Old number", "phone": phone(9001), "email": "", "language": "de"}])
    sent = desk.http.post(CRISES, json={"title": "Evacuation", "text": "Evacuate block B.",
                                        "contact_list_ids": [list_id], "channels": ["sms"]})
    assert sent.status_code == 200, sent.text
    crisis_id = sent.json()["id"]
    board = wait_until(lambda: (b := dashboard(desk, crisis_id))["deliveries"]["sms"]
                       .get("failed") == 1 and b, timeout=30)
    assert [r["name"] for r in board["not_reached"]] == ["Old number"]
    before = len(sms_gateway.to(e164(9000)))
    resent = desk.http.post(f"{CRISES}/{crisis_id}/resend")
    assert resent.status_code == 200, resent.text
    wait_until(lambda: dashboard(desk, crisis_id)["deliveries"]["sms"].get("failed") == 2)
    assert len(sms_gateway.to(e164(9000))) == before  # reached already: not sent again


def test_a_crisis_link_that_is_guessed_or_used_by_someone_else_is_refused(
        crisis_server, people, desk, sink):
    person, other = people.create(), people.create()
    group_id = make_group(people, "visitors", [person])
    sent = desk.http.post(CRISES, json={"title": "Storm", "text": "Stay inside. {link}",
                                        "group_ids": [group_id], "channels": ["email"]})
    assert sent.status_code == 200, sent.text
    link = own_link(text_of(sink.wait_for(person.email)))
    recipient_id, signature = link.rsplit("/", 1)[1].split(".")
    base = link.rsplit("/", 1)[0]
    with httpx.Client(timeout=30) as browser:
        for guessed in (f"{base}/{recipient_id}.{signature[:-1]}x",
                        f"{base}/{int(recipient_id) + 1}.{signature}", f"{base}/²³.{signature}"):
            assert browser.get(guessed).status_code == 404
            refused = browser.post(guessed, data={"answer": "safe"})
            assert refused.status_code == 404
    # Someone else signed in through the web follows the link: it is not theirs to answer.
    answered = other.http.post(f"{CRISES}/{sent.json()['id']}/acknowledge",
                               json={"answer": "safe"})
    assert answered.status_code == 404
    crisis_id = sent.json()["id"]
    odd = person.http.post(f"{CRISES}/{crisis_id}/acknowledge", json={"answer": "maybe"})
    assert odd.status_code == 422 and "received, safe, help" in odd.json()["error"]
    assert dashboard(desk, crisis_id)["total"]["acknowledged"] == 0


def test_bad_templates_contacts_and_crises_are_refused_and_change_nothing(people, desk):
    templates_before = desk.http.get(TEMPLATES).json()
    for fields, wording in [
        ({"title": "Fire at {plase}", "text": "x"}, "Unknown placeholder {plase}"),
        ({"title": "Fire", "text": "at {place"}, "brace"),
        ({"title": "Fire at {place:>99999999}", "text": "x"}, "a name in braces"),
        ({"title": "Fire", "text": "x", "channels": ["pigeon"]}, "Unknown channel"),
        ({"title": "Fire", "text": "x", "group_ids": ["123"]}, "No group"),
        ({"title": "Fire", "text": "x", "contact_list_ids": []}, "audience"),
        ({"title": "", "text": "x", "public": True}, "title"),
        ({"title": "Fire", "text": "x", "public": True, "escalate_after_seconds": 2},
         "15 seconds"),
    ]:
        response = desk.http.post(TEMPLATES, json={"name": "Bad", **fields})
        assert response.status_code == 422, (fields, response.text)
        assert wording in response.json()["error"], response.json()
    assert desk.http.get(TEMPLATES).json() == templates_before

    list_id = desk.http.post(LISTS, json={"name": "Partners"}).json()["id"]
    for contact, wording in [
        ({"name": "A", "phone": "0176 12"}, "0176 12"),
        ({"name": "A", "phone": "call me"}, "call me"),
        ({"name": "A", "email": "not-an-address"}, "not-an-address"),
        ({"name": "", "email": "a@example.org"}, "name"),
        ({"name": "A"}, "e-mail address or a phone number"),
    ]:
        response = desk.http.post(f"{LISTS}/{list_id}/contacts", json={
            "contacts": [{"name": "Good", "email": "good@example.org"}, contact]})
        assert response.status_code == 422, (contact, response.text)
        assert "Contact 2" in response.json()["error"] and wording in response.json()["error"]
    assert desk.http.get(f"{LISTS}/{list_id}").json()["contacts"] == []

    crises_before = desk.http.get(CRISES).json()
    missing = desk.http.post(CRISES, json={"title": "Fire at {place}", "text": "x",
                                           "public": True, "values": {}})
    assert missing.status_code == 422 and "{place}" in missing.json()["error"]
    member = people.create()
    refused = member.http.post(CRISES, json={"title": "Fire", "text": "x", "public": True})
    assert refused.status_code == 403
    assert member.http.get(CRISES).status_code == 403
    assert desk.http.get(CRISES).json() == crises_before


def test_the_dark_site_shows_a_crisis_public_updates_until_it_is_closed(crisis_server, desk):
    public = httpx.Client(base_url=crisis_server.base_url, timeout=30)
    assert public.get("/api/zwitscher/v1/crisis/status").json() == {"crisis": None,
                                                                    "status_ids": []}
    sent = desk.http.post(CRISES, json={"title": "Power cut", "text": "The plant is dark.",
                                        "public": True, "channels": ["stream"]})
    crisis_id = sent.json()["id"]
    assert desk.http.post(f"{CRISES}/{crisis_id}/updates",
                          json={"text": "Staff only: use the generator room.",
                                "public": False}).status_code == 200
    assert desk.http.post(f"{CRISES}/{crisis_id}/updates",
                          json={"text": "Power is back in hall 1.", "public": True}
                          ).status_code == 200
    assert desk.http.post(f"{CRISES}/{crisis_id}/dark_site",
                          json={"on": True}).json()["dark_site"] is True
    site = public.get("/api/zwitscher/v1/crisis/status").json()
    assert site["crisis"]["title"] == "Power cut" and len(site["status_ids"]) == 2
    texts = [public.get(f"/api/v1/statuses/{i}").json()["content"] for i in site["status_ids"]]
    assert "Power is back in hall 1." in texts[0] and "The plant is dark." in texts[1]
    page = public.get("/")
    assert "Power is back in hall 1." in page.text and "generator room" not in page.text
    assert desk.http.post(f"{CRISES}/{crisis_id}/close").json()["closed_at"] is not None
    assert public.get("/api/zwitscher/v1/crisis/status").json()["crisis"] is None
    assert "Power is back" not in public.get("/", follow_redirects=True).text


def test_a_contact_list_of_thousands_imports_from_one_csv_file_and_a_huge_one_is_refused(desk):
    rows = [{"name": f"Neighbour {n}", "email": f"neighbour{n}@example.net", "phone": "",
             "language": "de"} for n in range(6000)]
    list_id = contact_list(desk, "Neighbours", rows)
    assert desk.http.get(f"{LISTS}/{list_id}").json()["size"] == 6000
    huge = "name,email\n" + "".join(f"N {n},n{n}@example.net\n" for n in range(120_000))
    refused = desk.http.post(f"{LISTS}/{list_id}/import", content=huge,
                             headers={"content-type": "text/csv"})
    assert refused.status_code == 413 and "error" in refused.json()
    assert desk.http.get(f"{LISTS}/{list_id}").json()["size"] == 6000
