"""Invitations to live events, as their invitees receive them: an e-mail (from the real SMTP
sink) with the calendar file attached and links that answer without a sign-in; the answer and
the consent given on the invitation's page; a flood of answers through the link leaves one; a
guessed link finds nothing."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from mail_support import html_of, text_of

from support import wait_until
from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")

API = "/api/zwitscher/v1/events"
ANSWER_LINK = re.compile(r"^(Accept|Maybe|Decline): (\S+)\r?$", re.MULTILINE)


def _made(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def _event(organiser, **fields) -> dict:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return _made(organiser.http.post(API, json={
        "title": "Strategietag 2027", "description": "Wohin wir wollen.\nMit Mittagessen.",
        "place": "Saal Alpen, Haus 3", "hashtag": "st" + secrets.token_hex(4),
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=6)).isoformat(),
        "audience": "invitees", **fields}))


def _invitation(mailbox, address: str, title: str):
    found = wait_until(lambda: next((m for m in mailbox.to(address)
                                     if title in m["Subject"]), None), timeout=30)
    assert found is not None, f"no invitation to {address}"
    return found


def _links(message) -> dict[str, str]:
    return {word.lower(): url for word, url in ANSWER_LINK.findall(text_of(message))}


def _calendar_of(message) -> icalendar.Calendar:
    parts = [part for part in message.iter_attachments()
             if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_filename() == "strategietag-2027.ics"
    return icalendar.Calendar.from_ical(parts[0].get_content())


@pytest.fixture(scope="module")
def olga(users):
    return users.create(display_name="Olga Organisatorin")


def test_an_invitee_without_an_account_answers_through_the_e_mail_link(server, olga, mailbox):
    event = _event(olga)
    address = f"gast-{secrets.token_hex(4)}@example.net"
    invited = _made(olga.http.post(f"{API}/{event['id']}/invitations",
                                   json={"emails": [address.upper()]}))
    assert [(p["email"], p["answer"], p["invited"]) for p in invited] == [
        (address, "pending", True)]
    message = _invitation(mailbox, address, event["title"])
    assert message["Subject"] == f"Invitation: {event['title']}"
    assert "Olga Organisatorin invites you" in text_of(message)
    assert "Saal Alpen, Haus 3" in text_of(message)
    assert ">Accept</a>" in html_of(message)
    # The calendar file, read back as a calendar program reads it.
    calendar = _calendar_of(message)
    assert str(calendar["method"]) == "PUBLISH"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == event["title"]
    assert str(entry["location"]) == "Saal Alpen, Haus 3"
    assert entry.decoded("dtstart") == datetime.fromisoformat(
        event["starts_at"].replace("Z", "+00:00"))
    assert entry.decoded("dtend") - entry.decoded("dtstart") == timedelta(hours=6)
    assert str(entry["uid"]).startswith(f"event-{event['id']}@")
    # The accept link: the page offers the answer; opening it changed nothing.
    links = _links(message)
    assert set(links) == {"accept", "maybe", "decline"}
    web = WebClient(server.base_url)
    page = web.get(links["accept"])
    assert page.status_code == 200 and "Confirm: Going" in page.text
    assert _made(olga.http.get(f"{API}/{event['id']}/participants"))[0]["answer"] == "pending"
    token = links["accept"].split("/invitations/")[1].split("?")[0]
    answered = web.http.post(f"/web/events/invitations/{token}/answer",
                             data={"csrf": csrf_of(page), "answer": "accept"})
    assert answered.status_code == 200 and "Your answer was saved." in answered.text
    participants = _made(olga.http.get(f"{API}/{event['id']}/participants"))
    assert [(p["email"], p["answer"]) for p in participants] == [(address, "accepted")]
    # Consent on the same page, and the invitation's calendar file.
    consented = web.http.post(f"/web/events/invitations/{token}/consent",
                              data={"csrf": csrf_of(page), "named": "yes", "quoted": "no",
                                    "pictures": "unknown"})
    assert consented.status_code == 200 and "Your consent was saved." in consented.text
    [row] = _made(olga.http.get(f"{API}/{event['id']}/participants"))
    assert row["consent"] == {"named": "yes", "quoted": "no", "pictures": "unknown"}
    assert row["consent_counts_as"] == {"named": True, "quoted": False, "pictures": False}
    ics = web.get(f"/web/events/invitations/{token}.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert str(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]["summary"]) \
        == event["title"]
    web.close()


def test_a_flood_of_answers_through_the_link_leaves_one_answer(server, olga, mailbox):
    event = _event(olga)
    address = f"flut-{secrets.token_hex(4)}@example.net"
    _made(olga.http.post(f"{API}/{event['id']}/invitations", json={"emails": [address]}))
    links = _links(_invitation(mailbox, address, event["title"]))
    token = links["maybe"].split("/invitations/")[1].split("?")[0]
    web = WebClient(server.base_url)
    csrf = csrf_of(web.get(links["maybe"]))
    codes = []
    for number in range(34):
        answer = ("accept", "decline", "maybe")[number % 3]
        codes.append(web.http.post(f"/web/events/invitations/{token}/answer",
                                   data={"csrf": csrf, "answer": answer}).status_code)
    assert codes[:30] == [200] * 30 and codes[30:] == [429] * 4
    refused = web.http.post(f"/web/events/invitations/{token}/answer",
                            data={"csrf": csrf, "answer": "accept"})
    assert "Too many answers" in refused.text
    participants = _made(olga.http.get(f"{API}/{event['id']}/participants"))
    # The last answer taken (the 30th: maybe) is the one that stands.
    assert [(p["email"], p["answer"]) for p in participants] == [(address, "maybe")]
    web.close()


def test_a_guessed_or_withdrawn_link_finds_nothing(server, olga, mailbox):
    event = _event(olga)
    address = f"rate-{secrets.token_hex(4)}@example.net"
    [invited] = _made(olga.http.post(f"{API}/{event['id']}/invitations",
                                     json={"emails": [address]}))
    genuine = _links(_invitation(mailbox, address, event["title"]))["accept"]
    token = genuine.split("/invitations/")[1].split("?")[0]
    web = WebClient(server.base_url)
    csrf = csrf_of(web.get(genuine))
    forged = [f"{invited['id']}.{'0' * 40}", f"{int(invited['id']) + 1}.{token.split('.')[1]}",
              "1.abc", "x" * 300, token[:-1]]
    for guess in forged:
        page = web.get(f"/web/events/invitations/{guess}")
        assert page.status_code == 404 and "text/html" in page.headers["content-type"]
        assert web.http.post(f"/web/events/invitations/{guess}/answer",
                             data={"csrf": csrf, "answer": "accept"}).status_code == 404
        assert web.get(f"/web/events/invitations/{guess}.ics").status_code == 404
    assert _made(olga.http.get(f"{API}/{event['id']}/participants"))[0]["answer"] == "pending"
    web.close()


def test_an_account_is_invited_in_its_language_and_answers_on_the_event_page(
        users, olga, mailbox, browser_of):
    erika = users.create(display_name="Erika Muster")
    erika_web = browser_of(erika)
    erika_web.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    event = _event(olga)
    organiser = browser_of(olga)
    page = f"/web/events/{event['id']}"
    sent = organiser.submit(page, f"{page}/invitations", {
        "names": f"@{erika.username}, gast-{secrets.token_hex(3)}@example.org"})
    assert sent.status_code == 200 and "The invitations were sent." in sent.text
    message = _invitation(mailbox, erika.email, event["title"])
    assert message["Subject"] == f"Einladung: {event['title']}"
    assert "lädt dich zu einer Veranstaltung ein" in text_of(message)
    assert str(_calendar_of(message).walk("VEVENT")[0]["url"]).endswith(page)
    # Erika answers on the event's page, signed in; the organisers see it.
    answered = erika_web.submit(page, f"{page}/rsvp", {"answer": "maybe"})
    assert answered.status_code == 200
    participants = _made(olga.http.get(f"{API}/{event['id']}/participants"))
    assert {p["account"]["username"]: p["answer"] for p in participants
            if p["account"]}[erika.username] == "maybe"
    assert organiser.get(f"{page}.ics").status_code == 200
    # Not invited, not shown: an invitees' event is nobody else's business.
    stranger = browser_of(users.create())
    assert stranger.get(page).status_code == 404
    assert stranger.get(f"{page}.ics").status_code == 404
