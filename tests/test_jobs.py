"""The durable job queue: work survives failures and dead workers, and runs to completion once."""

import asyncio
from datetime import timedelta

import pytest

from zwitscher.db.engine import Database
from zwitscher.db.migrate import upgrade
from zwitscher.db.repos.jobs import MAX_ATTEMPTS
from zwitscher.db.schema import jobs
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.jobs import Job, job
from zwitscher.jobs.runner import JobRunner
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database


async def _nothing(*_args) -> None:
    return None


@pytest.fixture
def uows(tmp_path):
    """A database of its own: the shared server's job runner must not claim these jobs."""
    database_url = create_postgres_database(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    asyncio.run(upgrade(settings))

    def make(**changed):
        return UnitsOfWork(Database(settings.model_copy(update=changed)), publisher=_nothing,
                           on_jobs_enqueued=lambda: None)

    yield make
    if database_url:
        drop_postgres_database(database_url)


def run(coro):
    return asyncio.run(coro)


@job("test.fails")
class Fails(Job):
    n: int


@job("test.half")
class WritesThenFails(Job):
    account_id: int


@job("test.slow", delivery_slots=2)
class SlowDelivery(Job):
    n: int


@job("test.quick")
class QuickDelivery(Job):
    n: int


def test_a_job_whose_worker_died_is_claimed_again_once_its_lease_runs_out(uows):
    async def scenario():
        units = uows()
        async with units.write() as uow:
            await uow.jobs.enqueue("test.lease", {"n": 1})
        async with units.write() as uow:
            first = [j for j in await uow.jobs.claim(limit=100, lease=timedelta(seconds=-1))
                     if j.kind == "test.lease"]
        # The worker "died": it never completed. With the lease over, the job is due again.
        async with units.write() as uow:
            again = [j for j in await uow.jobs.claim(limit=100, lease=timedelta(minutes=5))
                     if j.kind == "test.lease"]
        async with units.write() as uow:
            while_leased = [j for j in await uow.jobs.claim(limit=100, lease=timedelta(minutes=5))
                            if j.kind == "test.lease"]
            for job in again:
                await uow.jobs.complete(job.id)
        await units.database.dispose()
        return first, again, while_leased

    first, again, while_leased = run(scenario())
    assert [j.id for j in again] == [j.id for j in first]
    assert again[0].attempts == 2
    assert while_leased == []


def test_a_failing_job_is_retried_with_backoff_and_finally_kept_as_failed(uows):
    calls = []

    async def always_fails(_uow, payload):
        calls.append(payload)
        raise RuntimeError("downstream is down")

    async def scenario():
        units = uows()
        runner = JobRunner(units, handlers={Fails: always_fails})
        async with units.write() as uow:
            job_id = await uow.jobs.enqueue("test.fails", {"n": 2})
        await runner.run_once()
        async with units.read() as uow:
            after_first = await uow.jobs.one(
                jobs.select().where(jobs.c.id == job_id))
        await units.database.dispose()
        return after_first

    after_first = run(scenario())
    assert calls == [Fails(n=2)]
    assert after_first.state == "queued"
    assert "downstream is down" in after_first.last_error
    assert after_first.run_at > after_first.created_at  # backed off, not hammered
    assert MAX_ATTEMPTS > 1


def test_a_job_body_that_fails_leaves_none_of_its_writes_behind(uows):
    async def writes_then_fails(uow, job):
        await uow.accounts.update(job.account_id, display_name="half-done")
        raise RuntimeError("fails after writing")

    async def scenario():
        units = uows()
        async with units.write() as uow:
            account_id = await uow.accounts.create(username="fieldstaff")
            await uow.enqueue(WritesThenFails(account_id=account_id))
        await JobRunner(units, handlers={WritesThenFails: writes_then_fails}).run_once()
        async with units.read() as uow:
            account = await uow.accounts.get(account_id)
        await units.database.dispose()
        return account

    account = run(scenario())
    assert account.display_name != "half-done"


def test_slow_deliveries_beyond_their_share_stay_queued_while_others_are_sent(uows):
    """Not claimed to wait for a slot (their lease would run out while they waited)."""
    sent = []

    async def scenario():
        gate = asyncio.Event()

        async def deliver(_uows, job):
            sent.append(job.n)
            await gate.wait()

        async def deliveries_done():
            await asyncio.gather(*asyncio.all_tasks() - {asyncio.current_task()})

        units = uows()
        runner = JobRunner(units, handlers={},
                           deliveries={SlowDelivery: deliver, QuickDelivery: deliver})
        async with units.write() as uow:
            for n in range(4):
                await uow.enqueue(SlowDelivery(n=n))
            await uow.enqueue(QuickDelivery(n=9))
        await runner.run_once()
        await runner.run_once()
        async with units.read() as uow:
            while_slow = await uow.jobs.all(jobs.select().order_by(jobs.c.id))
        gate.set()
        await deliveries_done()
        await runner.run_once()
        await deliveries_done()
        async with units.read() as uow:
            left = await uow.jobs.all(jobs.select())
        await units.database.dispose()
        return while_slow, left

    while_slow, left = run(scenario())
    assert [(row.kind, row.state, row.attempts) for row in while_slow] == [
        ("test.slow", "running", 1), ("test.slow", "running", 1),
        ("test.slow", "queued", 0), ("test.slow", "queued", 0), ("test.quick", "running", 1)]
    assert sorted(sent) == [0, 1, 2, 3, 9] and left == []


def test_a_delivery_slower_than_its_lease_is_sent_once_by_a_live_worker(uows):
    """The worker renews the lease while it delivers: its own next claims (and other
    workers') do not take the job again and send it a second time."""
    sent = []

    async def scenario():
        async def deliver(_uows, job):
            sent.append(job.n)
            await asyncio.sleep(1.0)  # a push service slow to answer: five leases long

        units = uows(job_lease_seconds=0.2)
        runner = JobRunner(units, handlers={}, deliveries={QuickDelivery: deliver},
                           poll_interval=0.05)
        async with units.write() as uow:
            await uow.enqueue(QuickDelivery(n=1))
        runner.start()
        try:
            for _ in range(100):
                await asyncio.sleep(0.05)
                async with units.read() as uow:
                    if not await uow.jobs.all(jobs.select().where(jobs.c.kind == "test.quick")):
                        break
        finally:
            await runner.stop()
            await units.database.dispose()

    run(scenario())
    assert sent == [1]
