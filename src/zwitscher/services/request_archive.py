"""Ask for one's archive (docs/data-rights.md, "Your archive"), and see how it is coming on.

The `archive.make` job writes it (`make_archive`) and an e-mail says when it is ready. A
person may ask once in `archive_interval_seconds` (Mastodon: once in seven days); a request
whose archive could not be made does not count. The archive is of the person's own account:
a token that acts for a brand account gets none (the brand's posts are the organisation's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.repos.archives import EXPIRED, FAILED, READY
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, Forbidden
from zwitscher.domain.jobs import MakeArchive
from zwitscher.services.oauth import Viewer


class ArchiveTooSoon(DomainError):
    """422 as Mastodon refuses what its rules do not allow, not 429: clients take 429 for
    their rate limit and retry after a pause, here days long (Mastodon.py waits and retries)."""

    status_code = 422


@dataclass(frozen=True, slots=True)
class ArchiveState:
    """What a person is shown of their newest archive. `state` is queued, running (being
    made), ready, expired or failed; `next_request_at` is when they may ask again (now or
    earlier: `may_ask`)."""

    id: int
    state: str
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    size: int | None
    next_request_at: datetime
    may_ask: bool


def own_account(viewer: Viewer) -> int:
    if viewer.acts_for_brand:
        raise Forbidden("An archive is of your own account: ask for it signed in as yourself")
    return viewer.account_id


async def request_archive(uow: UnitOfWork, *, viewer: Viewer) -> ArchiveState:
    account_id = own_account(viewer)
    await uow.archives.hold_person(account_id)
    counted = await uow.archives.latest(account_id, failed=False)
    if counted is not None and (next_at := _next_request(uow, counted)) > utcnow():
        raise ArchiveTooSoon("You asked for an archive lately: you can ask for the next one "
                             "from %(when)s (UTC)", when=f"{next_at:%Y-%m-%d %H:%M}")
    archive = await uow.archives.create(account_id)
    await uow.enqueue(MakeArchive(archive_id=archive.id))
    return _state(uow, archive, counted=archive)


async def archive_state(uow: UnitOfWork, *, viewer: Viewer) -> ArchiveState | None:
    """The newest archive of the person (None: they never asked)."""
    account_id = own_account(viewer)
    latest = await uow.archives.latest(account_id)
    if latest is None:
        return None
    counted = latest if latest.state != FAILED else await uow.archives.latest(account_id,
                                                                                failed=False)
    return _state(uow, latest, counted=counted)


def _next_request(uow: UnitOfWork, counted: sa.Row) -> datetime:
    return counted.created_at + timedelta(seconds=uow.settings.archive_interval_seconds)


def _state(uow: UnitOfWork, archive: sa.Row, *, counted: sa.Row | None) -> ArchiveState:
    now = utcnow()
    state = archive.state
    # Expired on time even when its job runs late: the download asks the same.
    if state == READY and archive.expires_at <= now:
        state = EXPIRED
    next_at = _next_request(uow, counted) if counted is not None else now
    return ArchiveState(
        id=archive.id, state=state, requested_at=archive.created_at, ready_at=archive.ready_at,
        expires_at=archive.expires_at, size=archive.file_size if state == READY else None,
        next_request_at=next_at, may_ask=next_at <= now)
