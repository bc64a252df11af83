"""What a monitor's alerts carry, by recipient and channel: the visibility matrix for alerts.

An author (a communicator, who may post to any group) posts one post per visibility, each with
the monitors' keyword; the direct one mentions `member`, `guest` and `owner`.
  member   a person of the organisation in the team's group; follows the author
  guest    an external person (guest) in the team's group; follows the author; created the
           team monitor, so its webhook reads as a guest (the case where a wrong reader
           would leak internal posts to a URL a guest chose)
  blocked  a person of the organisation in the team's group, blocked by the author
  owner    owns a monitor of their own; follows the author; in another group, not the team's
The team monitor and the owner's monitor alert by e-mail, web push and a webhook.

The expectation is derived from the rules, not from the alerts' code: a team monitor holds
public, unlisted and internal posts and those addressed to its group (docs/monitoring.md,
"Owners and readers"), a person's monitor what the person may see; an alert carries of what its
monitor holds what its recipient may see (a webhook: the monitor's owner, or its creator).
"""

from __future__ import annotations

import json
import secrets

import pytest
from mail_support import text_of
from monitor_alert_support import (
    ALLOW_RECEIVER,
    Receiver,
    queue_drained,
)

from push_support import decrypt, push_service, subscribe  # noqa: F401 (fixture)
from support import UserFactory, fresh_instance, matrix_table

MONITORS = "/api/zwitscher/v1/monitors"
GROUPS = "/api/zwitscher/v1/groups"
VISIBILITIES = ("public", "unlisted", "internal", "private", "group_team", "group_other",
                "direct")
PEOPLE = ("member", "guest", "blocked", "owner")

# Who may read which post (policies/visibility.py). Muting or blocking the author oneself is
# taste, not visibility (`hidden_by_viewer`): such a reader may still read the post.
SEES = matrix_table(PEOPLE, """
#                   member guest blocked owner
# everyone, except whom the author blocks
sees public           Y     Y      .      Y
sees unlisted         Y     Y      .      Y
# the organisation's people (never guests), except whom the author blocks
sees internal         Y     .      .      Y
# the author's followers and those mentioned
sees private          Y     Y      .      Y
# members of the addressed group (or of one below it), except whom the author blocks
sees group_team       Y     Y      .      .
sees group_other      .     .      .      Y
# those mentioned
sees direct           Y     Y      .      Y
""")
TEAM_HOLDS = frozenset({"public", "unlisted", "internal", "group_team"})
TEAM = ("member", "guest", "blocked")
# Whose view each webhook carries: the team monitor's creator, the other monitor's owner.
WEBHOOK_READERS = {"team": "guest", "personal": "owner"}
CHANNELS = ([("email", person) for person in PEOPLE] + [("push", person) for person in PEOPLE]
            + [("webhook", monitor) for monitor in WEBHOOK_READERS])


def carried(channel: str, recipient: str, visibility: str) -> bool:
    reader = WEBHOOK_READERS[recipient] if channel == "webhook" else recipient
    team_monitor = recipient in (*TEAM, "team")
    return (visibility in TEAM_HOLDS or not team_monitor) and SEES["sees", visibility, reader]


@pytest.fixture(scope="module")
def alerts(tmp_path_factory, sink, receiver, push_service) -> dict[tuple[str, str], str]:  # noqa: F811
    """What each recipient got on each channel, all of it, as one text."""
    # E-mails are gathered for a second and not held back after one: every match is mailed
    # within seconds.
    with fresh_instance(tmp_path_factory.mktemp("monitor-alert-visibility"),
                        ZWITSCHER_SMTP_URL=sink.url, ZWITSCHER_PUSH_ALLOW_HTTP="true",
                        ZWITSCHER_MONITOR_MAIL_GATHER_SECONDS="1",
                        ZWITSCHER_MONITOR_MAIL_INTERVAL_SECONDS="0",
                        **ALLOW_RECEIVER) as server:
        people = UserFactory(server)
        admin = people.create(role="admin")
        author = people.create(role="communicator")
        person = {name: people.create(role="guest" if name == "guest" else None)
                  for name in PEOPLE}
        team, other = (_group(admin, members) for members in (
            [person[name] for name in TEAM], [person["owner"]]))
        for name in ("member", "guest", "owner"):
            person[name].http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
        author.http.post(f"/api/v1/accounts/{person['blocked'].id}/block").raise_for_status()
        devices = {name: subscribe(person[name], push_service) for name in PEOPLE}
        brand = "Brand" + secrets.token_hex(4)
        monitors = {
            "team": _monitor(person["guest"], brand, receiver, team_id=team),
            "personal": _monitor(person["owner"], brand, receiver)}
        mentions = " ".join(f"@{person[name].username}" for name in ("member", "guest", "owner"))
        for visibility in VISIBILITIES:
            data = {"status": f"{brand} {visibility}.", "visibility": visibility}
            if visibility.startswith("group_"):
                group = team if visibility == "group_team" else other
                data.update({"visibility": "group", "group_ids[]": [group]})
            if visibility == "direct":
                data["status"] = f"{mentions} {data['status']}"
            posted = author.http.post("/api/v1/statuses", data=data)
            assert posted.status_code == 200, posted.text
        assert queue_drained(server), "alerts still queued after a minute"

    got = {("email", name): " ".join(text_of(m) for m in sink.to(person[name].email))
           for name in PEOPLE}
    for name in PEOPLE:
        pushed = [decrypt(person[name], devices[name], received)
                  for received in push_service.received(devices[name].endpoint)]
        got["push", name] = " ".join(message["body"] for message in pushed
                                     if message["notification_type"] == "monitor.match")
    for which, monitor_id in monitors.items():
        payloads = [json.loads(body) for _, body in receiver.received]
        got["webhook", which] = " ".join(status["text"] for payload in payloads
                                         if payload["monitor"]["id"] == monitor_id
                                         for status in payload["statuses"])
    return {key: text.replace(brand, "<brand>") for key, text in got.items()}


def _group(admin, members) -> str:
    made = admin.http.post(GROUPS, data={"slug": "team" + secrets.token_hex(3), "name": "Team"})
    assert made.status_code == 200, made.text
    added = admin.http.post(f"{GROUPS}/{made.json()['id']}/members",
                            data={"account_ids[]": [member.id for member in members]})
    assert added.status_code == 200, added.text
    return made.json()["id"]


def _monitor(creator, brand: str, receiver: Receiver, *, team_id: str | None = None) -> str:
    made = creator.http.post(MONITORS, json={
        "name": "Alerts", "team_id": team_id, "keywords": [brand],
        "alerts": {"email": True, "push": True}, "webhook_url": receiver.url})
    assert made.status_code == 200, made.text
    return made.json()["id"]


CELLS = [(channel, recipient, visibility) for channel, recipient in CHANNELS
         for visibility in VISIBILITIES]


@pytest.mark.parametrize(("channel", "recipient", "visibility"), CELLS,
                         ids=["-".join(cell) for cell in CELLS])
def test_an_alert_carries_only_posts_its_monitor_holds_and_its_recipient_may_see(
        alerts, channel, recipient, visibility):
    expected = carried(channel, recipient, visibility)
    text = alerts[channel, recipient]
    assert (f"<brand> {visibility}." in text) == expected, (
        f"the {channel} alert of {recipient} {'should' if expected else 'must never'} "
        f"carry the {visibility} post: {text!r}")
