"""Images that wait: a scheduled status or a brand draft keeps its uploads (listed with it, safe
from the cleaning of abandoned uploads, not to be posted elsewhere or deleted) until it is
published with them; cancelling or rejecting it frees them."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon import MastodonAPIError

from zwitscher.db.engine import Database
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.jobs import CleanUnattachedMedia
from zwitscher.jobs.handlers import HANDLERS
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from media_support import image_bytes
from support import (
    UNLIMITED,
    ServerProcess,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
    wait_until,
)

BRANDS = "/api/zwitscher/v1/brands"


def later(**delta) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def png(user, description: str | None = None):
    return user.api.media_post(image_bytes("PNG", (64, 48)), mime_type="image/png",
                               description=description)


def schedule(user, media_ids: list, **params) -> httpx.Response:
    return user.http.post("/api/v1/statuses", data={
        "status": "Geplant", "scheduled_at": later(hours=2).isoformat(),
        "media_ids[]": [m["id"] if isinstance(m, dict) else m for m in media_ids], **params})


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def test_a_scheduled_status_lists_its_images_and_keeps_them_to_itself(new_user):
    alice, bob = new_user(), new_user()
    first, second = png(alice, "erstes"), png(alice, "zweites")
    scheduled = alice.api.status_post("Mit Bildern, später", scheduled_at=later(hours=2),
                                      media_ids=[second, first])
    assert scheduled["params"]["media_ids"] == [second["id"], first["id"]]
    assert [m["id"] for m in scheduled["media_attachments"]] == [second["id"], first["id"]]
    assert scheduled["media_attachments"][0]["url"].startswith("http")
    listed = alice.api.scheduled_statuses()[0]
    assert [m["description"] for m in listed["media_attachments"]] == ["zweites", "erstes"]

    # Waiting, an upload is not free to post elsewhere, nor to delete; its description may
    # still be mended before it goes out.
    with pytest.raises(MastodonAPIError):
        alice.api.status_post("Gleich jetzt", media_ids=[first])
    assert schedule(alice, [first]).status_code == 422
    assert alice.http.delete(f"/api/v1/media/{first['id']}").status_code == 422
    alice.api.media_update(first, description="erstes, verbessert")
    again = alice.api.scheduled_status(scheduled["id"])
    assert [m["description"] for m in again["media_attachments"]] == [
        "zweites", "erstes, verbessert"]
    assert alice.api.account_verify_credentials()["statuses_count"] == 0
    # Nobody else sees them, through the scheduled status or on their own.
    assert bob.http.get(f"/api/v1/scheduled_statuses/{scheduled['id']}").status_code == 404
    assert bob.http.get(f"/api/v1/media/{first['id']}").status_code == 404


def test_bad_media_on_a_scheduled_status_is_422_and_schedules_nothing(new_user):
    alice, bob = new_user(), new_user()
    own, others, posted = png(alice), png(bob), png(alice)
    alice.api.status_post("Schon gepostet", media_ids=[posted])
    for media_ids in ([others], [posted], [own, "nonsense"], [own, "999999999"],
                      [png(alice) for _ in range(5)]):
        response = schedule(alice, media_ids)
        assert response.status_code == 422, (media_ids, response.text)
        assert "error" in response.json()
    assert alice.api.scheduled_statuses() == []
    assert alice.http.get(f"/api/v1/media/{own['id']}").status_code == 200
    assert schedule(alice, [own]).status_code == 200  # the refusals reserved nothing


def test_cancelling_a_scheduled_status_frees_its_images(new_user):
    alice = new_user()
    image = png(alice, "wieder frei")
    scheduled = schedule(alice, [image]).json()
    alice.api.scheduled_status_delete(scheduled["id"])
    assert alice.http.get(f"/api/v1/media/{image['id']}").json()["description"] == "wieder frei"
    status = alice.api.status_post("Doch sofort", media_ids=[image])
    assert [m["id"] for m in status["media_attachments"]] == [image["id"]]


# A server of its own: posts may be scheduled a second ahead, and its uploads cleaned at once.

@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("waiting_media")),
           "ZWITSCHER_SCHEDULE_MIN_LEAD_SECONDS": "1", **UNLIMITED}
    if TEST_DATABASE_URL:
        env["ZWITSCHER_DATABASE_URL"] = create_postgres_database(TEST_DATABASE_URL)
    server = ServerProcess(env)
    server.start()
    yield server, UserFactory(server)
    server.stop()
    if TEST_DATABASE_URL:
        drop_postgres_database(env["ZWITSCHER_DATABASE_URL"])


def clean_abandoned_uploads(server: ServerProcess) -> None:
    """Run the cleaning job's body on the server's database, as its hourly run would, with
    every upload made before it counting as abandoned."""
    settings = Settings(data_dir=server.env["ZWITSCHER_DATA_DIR"],
                        database_url=server.env.get("ZWITSCHER_DATABASE_URL"),
                        unattached_media_max_age_seconds=0.001)

    async def nothing(*_args) -> None:
        return None

    async def run() -> None:
        database = Database(settings)
        units = UnitsOfWork(database, publisher=nothing, on_jobs_enqueued=lambda: None)
        async with units.write() as uow:
            await HANDLERS[CleanUnattachedMedia](uow, CleanUnattachedMedia())
        await database.dispose()

    asyncio.run(run())


def test_waiting_images_survive_the_cleaning_and_are_posted_at_their_time(quick):
    server, users = quick
    alice = users.create()
    waiting, abandoned = png(alice, "wartet"), png(alice, "vergessen")
    cancelled_image = png(alice, "abgesagt")
    cancelled = schedule(alice, [cancelled_image]).json()
    alice.api.scheduled_status_delete(cancelled["id"])
    at = later(seconds=4)
    scheduled = alice.api.status_post("Pünktlich mit Bild", scheduled_at=at,
                                      media_ids=[waiting])
    clean_abandoned_uploads(server)
    assert alice.http.get(f"/api/v1/media/{abandoned['id']}").status_code == 404
    assert alice.http.get(f"/api/v1/media/{cancelled_image['id']}").status_code == 404
    assert wait_until(lambda: httpx.get(cancelled_image["url"]).status_code == 404)

    published = wait_until(lambda: alice.api.account_statuses(alice.id), timeout=30)
    assert [m["id"] for m in published[0]["media_attachments"]] == [waiting["id"]]
    assert published[0]["media_attachments"][0]["description"] == "wartet"
    assert httpx.get(published[0]["media_attachments"][0]["url"]).status_code == 200
    assert alice.api.scheduled_statuses() == []
    assert scheduled["id"] not in str(alice.api.scheduled_statuses())


# Brand drafts.

@pytest.fixture(scope="module")
def press(users):
    """A brand account: Jana posts directly, Tom's posts need approval."""
    admin = users.create(role="admin")
    brand = admin.http.post(BRANDS, data={"username": f"press_{secrets.token_hex(3)}"}).json()
    jana, tom = users.create(role="communicator"), users.create(role="communicator")
    for person, needs in ((jana, "false"), (tom, "true")):
        admin.http.post(f"{BRANDS}/{brand['id']}/authors", data={
            "account_id": person.id, "needs_approval": needs}).raise_for_status()
    return brand, jana, tom


def post_as(person, brand: dict, text: str, media: list, **params) -> httpx.Response:
    return person.http.post(f"{BRANDS}/{brand['id']}/statuses", data={
        "status": text, "media_ids[]": [m["id"] for m in media], **params})


def test_a_draft_waiting_for_approval_shows_its_images_and_publishes_them(press):
    brand, jana, tom = press
    image = png(tom, "Pressefoto")
    waiting = post_as(tom, brand, "Entwurf mit Foto", [image])
    assert waiting.status_code == 202, waiting.text
    draft = waiting.json()
    assert [m["description"] for m in draft["media_attachments"]] == ["Pressefoto"]
    listed = jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json()
    assert [m["id"] for m in listed[0]["media_attachments"]] == [image["id"]]
    assert tom.http.delete(f"/api/v1/media/{image['id']}").status_code == 422
    assert post_as(tom, brand, "Nochmal dasselbe Foto", [image]).status_code == 422

    approved = jana.http.post(f"{BRANDS}/{brand['id']}/drafts/{draft['id']}/approve")
    assert approved.status_code == 200, approved.text
    status = jana.api.status(approved.json()["status_id"])
    assert [m["id"] for m in status["media_attachments"]] == [image["id"]]
    assert approved.json()["media_attachments"] == []  # they are the status's now


def test_a_rejected_draft_frees_its_images_and_bad_media_is_refused(press, new_user):
    brand, jana, tom = press
    image, strangers = png(tom, "abgelehnt"), png(new_user())
    before = jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json()
    refused = post_as(tom, brand, "Fremdes Foto", [strangers])
    assert refused.status_code == 422 and "error" in refused.json()
    assert jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json() == before
    draft = post_as(tom, brand, "Wird abgelehnt", [image]).json()
    jana.http.post(f"{BRANDS}/{brand['id']}/drafts/{draft['id']}/reject").raise_for_status()
    assert tom.http.get(f"/api/v1/media/{image['id']}").status_code == 200
    assert tom.http.delete(f"/api/v1/media/{image['id']}").status_code == 200


def test_a_scheduled_brand_post_keeps_its_images(press):
    brand, jana, _ = press
    image = png(jana, "Zahlen")
    queued = post_as(jana, brand, "Um 14 Uhr", [image],
                     scheduled_at=later(hours=2).isoformat())
    assert queued.status_code == 202, queued.text
    assert queued.json()["state"] == "scheduled"
    assert [m["id"] for m in queued.json()["media_attachments"]] == [image["id"]]
    assert jana.http.delete(f"/api/v1/media/{image['id']}").status_code == 422
