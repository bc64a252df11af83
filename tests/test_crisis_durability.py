"""A crisis broadcast whose worker is killed (SIGKILL) in the middle of sending goes on after a
new worker starts: every recipient gets every message, and a repeat can only be a message of
the batch that was in flight, sent again under the id it had (which the gateway drops and the
mail sink counts apart)."""

from __future__ import annotations

import contextlib
import csv
import io
import os

import pytest
from mail_support import MailSink

from zwitscher.services.deliver_crisis import BATCH

from sms_support import sms_gateway  # noqa: F401
from support import (
    CHEAP_PASSWORDS,
    UNLIMITED,
    ServerProcess,
    UserFactory,
    WorkerProcess,
    create_postgres_database,
    drop_postgres_database,
    wait_until,
)

RECIPIENTS = 200


@pytest.fixture
def slow_mail():
    sink = MailSink()
    sink.delay = 0.02
    sink.start()
    yield sink
    sink.stop()


def test_a_crisis_goes_on_after_its_worker_is_killed_with_nothing_lost_or_doubled(
        tmp_path, slow_mail, sms_gateway):  # noqa: F811
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path), **UNLIMITED,
           **CHEAP_PASSWORDS, "ZWITSCHER_JOB_LEASE_SECONDS": "8",
           "ZWITSCHER_RUN_JOBS_IN_PROCESS": "false", "ZWITSCHER_SMTP_URL": slow_mail.url,
           "ZWITSCHER_SMS_GATEWAY_URL": sms_gateway.url,
           "ZWITSCHER_SMS_GATEWAY_SECRET": sms_gateway.secret}
    with contextlib.ExitStack() as stack:
        if admin_url := os.environ.get("ZWITSCHER_TEST_DATABASE_URL"):
            env["ZWITSCHER_DATABASE_URL"] = create_postgres_database(admin_url)
            stack.callback(drop_postgres_database, env["ZWITSCHER_DATABASE_URL"])
            if redis_url := os.environ.get("ZWITSCHER_TEST_REDIS_URL"):
                env["ZWITSCHER_REDIS_URL"] = redis_url
        server = ServerProcess(env)
        server.start()
        stack.callback(server.stop)
        first = WorkerProcess(env)
        first.start()
        stack.callback(first.close)
        desk = UserFactory(server).create(role="communicator")
        list_id = desk.http.post("/api/zwitscher/v1/crisis/contact_lists",
                                 json={"name": "Everyone"}).json()["id"]
        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["name", "email", "phone"])
        writer.writerows([f"Person {n}", f"person{n}@example.net", f"+49176{6000000 + n}"]
                         for n in range(RECIPIENTS))
        assert desk.http.post(f"/api/zwitscher/v1/crisis/contact_lists/{list_id}/import",
                              content=rows.getvalue(),
                              headers={"content-type": "text/csv"}).status_code == 200
        sent = desk.http.post("/api/zwitscher/v1/crises", json={
            "title": "Flood", "text": "The river is rising: leave the lower town.",
            "contact_list_ids": [list_id], "channels": ["email", "sms"]})
        assert sent.status_code == 200, sent.text

        assert wait_until(lambda: len(slow_mail.messages) >= RECIPIENTS // 4, timeout=60)
        first.kill()
        at_the_kill = len(slow_mail.messages)
        assert at_the_kill < RECIPIENTS, "the worker was done before it could be killed"
        second = WorkerProcess(env)
        second.start()
        stack.callback(second.close)

        assert wait_until(lambda: len(ids_of(slow_mail)) >= RECIPIENTS, timeout=120), \
            len(ids_of(slow_mail))
        texts = sms_gateway.wait_for(RECIPIENTS, timeout=60)
        # Every message has arrived; the last batch is marked sent once its worker has
        # heard the mail server accept it, a moment later (the text messages alone may have
        # reached everyone by then).
        expected = {"email": {"sent": RECIPIENTS}, "sms": {"sent": RECIPIENTS}}

        def board_now() -> dict:
            return desk.http.get(f"/api/zwitscher/v1/crises/{sent.json()['id']}").json()

        wait_until(lambda: board_now()["deliveries"] == expected, timeout=60)
        board = board_now()
        repeated = len(slow_mail.messages) - len(ids_of(slow_mail))
        print(f"\ncrisis to {RECIPIENTS}: worker killed after {at_the_kill} e-mails; "
              f"e-mails sent again under their id: {repeated}; text messages repeated: "
              f"{sum(sms_gateway.duplicates.values())}")
        assert len(ids_of(slow_mail)) == RECIPIENTS == len(texts)
        assert repeated <= BATCH["email"]
        assert sum(sms_gateway.duplicates.values()) <= BATCH["sms"]
        assert board["total"]["reached"] == RECIPIENTS
        assert board["deliveries"] == expected


def ids_of(mailbox: MailSink) -> set[str]:
    return {message["Message-ID"] for _, message in list(mailbox.messages)}
