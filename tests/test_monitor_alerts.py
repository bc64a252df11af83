"""A monitor's alerts arrive: e-mail at a real SMTP server (a burst is one e-mail), web push
at the local push service, and a signed webhook at a local receiver that checks the
signature; each carries only posts its recipient may see."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from mail_support import text_of
from monitor_alert_support import (
    ALLOW_RECEIVER,
    in_database,
    pending_jobs,
    spike_check_ran,
    wait_in_database,
)

from zwitscher.db.schema import monitor_hourly_counts, monitor_matches, statuses
from zwitscher.domain.ids import id_for_datetime
from zwitscher.domain.jobs import FanOutStatus, MailMonitorAlert, SendMonitorWebhook
from zwitscher.services import check_monitor_spikes as spike_checks

from push_support import decrypt, push_service, pushes, subscribe  # noqa: F401 (fixture)
from support import UserFactory, fresh_instance, wait_until
from web_support import signed_in

PATH = "/api/zwitscher/v1/monitors"


@pytest.fixture(scope="module")
def alert_server(tmp_path_factory, sink):
    """E-mail digests gathered for two seconds, push over http, webhooks to 127.0.0.2."""
    with fresh_instance(tmp_path_factory.mktemp("monitor-alerts"),
                        ZWITSCHER_SMTP_URL=sink.url, ZWITSCHER_PUSH_ALLOW_HTTP="true",
                        ZWITSCHER_MONITOR_MAIL_GATHER_SECONDS="2",
                        ZWITSCHER_MONITOR_SPIKE_CHECK_SECONDS="1",
                        **ALLOW_RECEIVER) as server:
        yield server


@pytest.fixture(scope="module")
def people(alert_server):
    return UserFactory(alert_server)


def word() -> str:
    return "Brand" + secrets.token_hex(4)


def test_a_burst_of_matches_is_one_email_with_every_visible_post(people, sink):
    watcher, author = people.create(), people.create()
    brand = word()
    made = watcher.http.post(PATH, json={"name": "Brand watch", "keywords": [brand],
                                         "alerts": {"email": True}})
    assert made.status_code == 200, made.text
    first = author.api.status_post(f"{brand} one")
    hidden = author.api.status_post(f"{brand} for followers", visibility="private")
    second = author.api.status_post(f"{brand} two")
    message = sink.wait_for(watcher.email)
    text = text_of(message)
    assert "Brand watch" in message["Subject"]
    assert str(first["id"]) in text and str(second["id"]) in text
    assert str(hidden["id"]) not in text and "for followers" not in text
    assert len(sink.to(watcher.email)) == 1


def test_a_webhook_arrives_signed_with_the_monitors_secret(people, receiver):
    watcher, author = people.create(), people.create()
    brand = word()
    made = watcher.http.post(PATH, json={"name": "hook", "keywords": [brand],
                                         "webhook_url": receiver.url,
                                         "webhook_secret": "s3cret"})
    assert made.status_code == 200, made.text
    monitor = made.json()
    author.api.status_post(f"{brand} quietly", visibility="private")
    status = author.api.status_post(f"{brand} loudly")
    arrived = wait_until(lambda: [body for _, body in receiver.received
                                  if monitor["id"].encode() in body], 15)
    assert arrived, receiver.received
    headers, body = next((h, b) for h, b in receiver.received if monitor["id"].encode() in b)
    expected = hmac.new(b"s3cret", headers["x-zwitscher-timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["x-zwitscher-signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "monitor.match"
    assert [s["id"] for s in payload["statuses"]] == [str(status["id"])]
    assert payload["statuses"][0]["terms"] == [brand]


def test_a_webhook_to_127_0_0_1_is_refused_even_where_127_0_0_2_is_allowed(people):
    watcher = people.create()
    response = watcher.http.post(PATH, json={"name": "hook", "keywords": ["x"],
                                             "webhook_url": "http://127.0.0.1:9/hook"})
    assert response.status_code == 422


def test_push_alerts_reach_the_owners_devices(people, push_service):  # noqa: F811
    watcher, author = people.create(), people.create()
    device = subscribe(watcher, push_service)
    brand = word()
    made = watcher.http.post(PATH, json={"name": "Pushy", "keywords": [brand],
                                         "alerts": {"push": True}})
    assert made.status_code == 200, made.text
    author.api.status_post(f"{brand} in the news")
    arrived = pushes(push_service, device)
    assert arrived
    message = decrypt(watcher, device, arrived[0])
    assert message["title"].endswith("Pushy")
    assert brand in message["body"]


def write_history(server, monitor_id: str, *, per_hour: int, days: int) -> None:
    """A monitor's past: `per_hour` matches in each hour of the last `days` days (before the
    current hour), written into the server's database as its counting would have."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rows = [{"monitor_id": int(monitor_id), "hour": now - timedelta(hours=n),
             "matches": per_hour} for n in range(1, days * 24 + 1)]

    async def write(uow) -> None:
        await uow.conn.execute(monitor_hourly_counts.insert(), rows)

    in_database(server, write, write=True)


# Against a history of 2 matches an hour, 11 in 60 minutes are a spike (docs/monitoring.md:
# max(10, 2 + 6 * sqrt(2)) = 10.49).
SPIKE = 11


def test_a_spike_alerts_once_by_email_and_webhook_saying_how_many_and_how_many_usually(
        alert_server, people, sink, receiver):
    watcher, author = people.create(), people.create()
    brand = word()
    made = watcher.http.post(PATH, json={"name": "Spiky", "keywords": [brand],
                                         "alerts": {"email": True},
                                         "webhook_url": receiver.url})
    assert made.status_code == 200, made.text
    monitor = made.json()
    write_history(alert_server, monitor["id"], per_hour=2, days=8)

    def spikes():
        return [json.loads(body) for headers, body in receiver.received
                if headers.get("x-zwitscher-event") == "monitor.spike"
                and monitor["id"].encode() in body]

    for n in range(SPIKE):
        author.api.status_post(f"{brand} news {n}")
    arrived = wait_until(spikes, 20)
    assert arrived, receiver.received
    counts = arrived[0]["counts"]
    assert (counts["matches"], counts["usual"]) == (SPIKE, 2)
    since, until = (datetime.fromisoformat(counts[key]) for key in ("since", "until"))
    assert until - since == timedelta(minutes=60)
    mail = wait_until(lambda: [m for m in sink.to(watcher.email)
                               if "usually 2" in text_of(m)], 15)
    assert mail and "Spiky" in mail[0]["Subject"]

    # More matches in the same spike alert nobody again.
    more = [author.api.status_post(f"{brand} more {n}") for n in range(3)]
    assert wait_until(lambda: all(str(s["id"]).encode() in b"".join(
        body for _, body in receiver.received) for s in more), 15)
    # Their match alerts arrived, so they are counted; a whole run of the spike check has
    # looked at them since, and any spike alert it queued has been sent (a webhook before
    # its job is done; its e-mail is queued with it).
    assert spike_check_ran(alert_server, times=2)

    async def no_spike_alert_waits(uow) -> bool:
        return not any(job.payload["monitor_id"] == int(monitor["id"])
                       and job.payload["kind"] == "spike"
                       for job in await pending_jobs(uow, SendMonitorWebhook.KIND,
                                                     MailMonitorAlert.KIND))

    assert wait_in_database(alert_server, no_spike_alert_waits)
    assert len(spikes()) == 1
    assert len([m for m in sink.to(watcher.email) if "usually 2" in text_of(m)]) == 1


def _matched(server, monitor_id: int, author_id: int, moments: list[datetime]) -> None:
    """Posts of `author_id` at `moments`, each a match of the monitor, stored as matching
    stores them: the match, and the hour's count."""
    hours = Counter(moment.replace(minute=0, second=0, microsecond=0) for moment in moments)

    async def write(uow) -> None:
        ids = [id_for_datetime(moment) + n for n, moment in enumerate(moments)]
        await uow.conn.execute(statuses.insert(), [
            {"id": status_id, "account_id": author_id, "visibility": "public",
             "created_at": moment} for status_id, moment in zip(ids, moments, strict=True)])
        await uow.conn.execute(monitor_matches.insert(), [
            {"monitor_id": monitor_id, "status_id": status_id, "matched_at": moment,
             "terms": []} for status_id, moment in zip(ids, moments, strict=True)])
        for hour, matches in hours.items():
            counted = monitor_hourly_counts.c
            changed = await uow.conn.execute(monitor_hourly_counts.update().where(
                counted.monitor_id == monitor_id, counted.hour == hour).values(
                matches=counted.matches + matches))
            if not changed.rowcount:
                await uow.conn.execute(monitor_hourly_counts.insert(), [
                    {"monitor_id": monitor_id, "hour": hour, "matches": matches}])

    in_database(server, write, write=True)


def test_a_burst_across_an_hours_turn_is_one_spike_and_a_later_burst_another(
        alert_server, people, sink, monkeypatch):
    """The check counts the 60 minutes up to its run, whatever minute that is: 6 matches just
    before an hour turns and 5 just after are 11 together, though neither clock hour holds a
    spike (8 and 5). The check runs here at chosen moments, on the server's database, whose
    job runner sends the e-mail."""
    watcher, author = people.create(), people.create()
    made = watcher.http.post(PATH, json={"name": "Turn", "keywords": [word()],
                                         "alerts": {"email": True}})
    assert made.status_code == 200, made.text
    monitor_id = int(made.json()["id"])
    turn = (datetime.now(UTC) - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    first_hour = turn - timedelta(hours=1)
    in_database(alert_server, lambda uow: uow.conn.execute(monitor_hourly_counts.insert(), [
        {"monitor_id": monitor_id, "hour": first_hour - timedelta(hours=n), "matches": 2}
        for n in range(1, 8 * 24 + 1)]), write=True)
    _matched(alert_server, monitor_id, int(author.id),
             [turn - timedelta(minutes=3, seconds=n) for n in range(6)]
             + [turn + timedelta(minutes=2, seconds=n) for n in range(5)])

    def check_at(moment: datetime) -> int:
        monkeypatch.setattr(spike_checks, "utcnow", lambda: moment)
        return in_database(alert_server, spike_checks.check_monitor_spikes, write=True)

    assert check_at(turn + timedelta(minutes=5)) == 1
    # Two more while it lasts: the same spike, alerted already.
    _matched(alert_server, monitor_id, int(author.id), [turn + timedelta(minutes=6)] * 2)
    assert check_at(turn + timedelta(minutes=10)) == 0
    # A burst an hour after the last spiking minutes is a spike of its own.
    _matched(alert_server, monitor_id, int(author.id),
             [turn + timedelta(hours=1, minutes=20, seconds=n) for n in range(11)])
    assert check_at(turn + timedelta(hours=1, minutes=30)) == 1

    def alerts() -> list:
        return [m for m in sink.to(watcher.email) if "Turn" in m["Subject"]
                and "11 matches in the last 60 minutes, usually 2 an hour" in text_of(m)]

    assert wait_until(lambda: len(alerts()) == 2, 15), sink.to(watcher.email)


def test_a_team_monitors_webhook_stops_when_whoever_set_it_leaves_until_a_manager_sets_it(
        alert_server, people, receiver):
    admin = people.create(role="admin")
    setter, manager, author = people.create(), people.create(), people.create()
    team = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": "hook" + secrets.token_hex(3), "name": "Hook team"}).json()["id"]
    for person, role in ((setter, "member"), (manager, "manager")):
        admin.http.post(f"/api/zwitscher/v1/groups/{team}/members", data={
            "account_ids[]": [person.id], "role": role}).raise_for_status()
    brand = word()
    made = setter.http.post(PATH, json={"name": "Team hook", "team_id": team,
                                        "keywords": [brand], "webhook_url": receiver.url})
    assert made.status_code == 200, made.text
    address = f"{PATH}/{made.json()['id']}"

    def delivered() -> str:
        return " ".join(status["text"] for _, body in receiver.received
                        for status in json.loads(body)["statuses"]
                        if json.loads(body)["monitor"]["id"] == made.json()["id"])

    author.api.status_post(f"{brand} eins")
    assert wait_until(lambda: "eins" in delivered(), 15)
    admin.http.request("DELETE", f"/api/zwitscher/v1/groups/{team}/members",
                       data={"account_ids[]": [setter.id]}).raise_for_status()
    author.api.status_post(f"{brand} zwei")
    # A change that leaves the address out does not take the webhook over.
    assert manager.http.patch(address, json={"name": "Ours"}).status_code == 200

    async def settled(uow) -> bool:
        """Its fan-out (which matches and queues the alerts) and its webhook are done."""
        return not [job for job in await pending_jobs(uow, FanOutStatus.KIND,
                                                      SendMonitorWebhook.KIND)
                    if job.kind == FanOutStatus.KIND
                    or job.payload["monitor_id"] == int(made.json()["id"])]

    assert wait_in_database(alert_server, settled)
    assert "zwei" not in delivered()
    # The monitor's form tells the manager why, and how to take the webhook over.
    form = signed_in(alert_server, manager).get(f"/web/monitors/{made.json()['id']}/edit")
    assert "This webhook sends nothing now" in form.text

    given = manager.http.patch(address, json={"webhook_url": receiver.url})
    assert given.status_code == 200, given.text
    author.api.status_post(f"{brand} drei")
    assert wait_until(lambda: "drei" in delivered(), 15)
    assert "zwei" not in delivered()
    form = signed_in(alert_server, manager).get(f"/web/monitors/{made.json()['id']}/edit")
    assert form.status_code == 200 and "This webhook sends nothing now" not in form.text


def test_an_admin_outside_a_team_keeps_no_monitor_for_it(alert_server, people):
    admin, member = people.create(role="admin"), people.create()
    team = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": "outside" + secrets.token_hex(3), "name": "Team"}).json()["id"]
    admin.http.post(f"/api/zwitscher/v1/groups/{team}/members", data={
        "account_ids[]": [member.id]}).raise_for_status()
    refused = admin.http.post(PATH, json={"name": "Not mine", "team_id": team,
                                          "keywords": [word()]})
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"] == "Only members of a team keep monitors for it"
    assert member.http.get(PATH).json() == []
