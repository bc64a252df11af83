"""Delete many statuses at once: a deleted account's, and those past the retention policies.

What `delete_status` does for one, for a batch: every reblog of them goes too, their
attachments' files go by a job once the deletion is durable, search forgets them, direct
conversations end with the newest status left, counters others see are counted down, and
one job tells every stream that showed them (`AnnounceStatusesDelete`, a `delete` event per
status, its audience worked out once for all statuses alike).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.jobs import AnnounceStatusDelete, AnnounceStatusesDelete
from zwitscher.domain.visibility import Visibility
from zwitscher.services.delete_media import discard_media
from zwitscher.services.record_conversation import forget_direct_status


async def remove_statuses(uow: UnitOfWork, *, statuses: Sequence[sa.Row]) -> int:
    """Returns how many statuses went, reblogs of them included."""
    chosen = {row.id: row for row in statuses}
    if not chosen:
        return 0
    for reblog in await uow.removals.reblogs_of(list(chosen)):
        chosen.setdefault(reblog.id, reblog)
    rows, ids = list(chosen.values()), list(chosen)
    mentioned, tagged = await uow.statuses.mentions_and_tags_of(ids)
    groups = await uow.statuses.groups_of_statuses(ids)
    media = await uow.media.of_statuses(ids)
    conversations = {row.id: await uow.conversations.of_status(row.id) for row in rows
                     if row.visibility == Visibility.DIRECT.value}
    await discard_media(uow, [attachment for each in media.values() for attachment in each])
    await uow.search.unindex_statuses(ids)
    await uow.removals.delete_statuses(ids)
    for row in rows:
        if (conversation_id := conversations.get(row.id)) is not None:
            await forget_direct_status(uow, status_id=row.id, conversation_id=conversation_id,
                                       participant_ids=[row.account_id, *mentioned[row.id]])
    await _count_down(uow, rows)
    await uow.enqueue(AnnounceStatusesDelete(deletions=tuple(AnnounceStatusDelete(
        status_id=row.id, author_id=row.account_id, visibility=row.visibility,
        mentioned_ids=tuple(mentioned[row.id]),
        # As for one status: a reblog's deletion reaches no hashtag stream.
        tags=tuple(tagged[row.id]) if row.reblog_of_id is None else (),
        group_ids=tuple(groups[row.id]), is_reblog=row.reblog_of_id is not None,
        with_media=bool(media.get(row.id))).payload() for row in rows)))
    return len(rows)


async def _count_down(uow: UnitOfWork, rows: list[sa.Row]) -> None:
    """Statuses per author, and replies and reblogs of the statuses that stay."""
    gone = {row.id for row in rows}
    for account_id, count in Counter(row.account_id for row in rows).items():
        await uow.accounts.add_to_counter(account_id, "statuses_count", -count)
    for column, parents in (
            ("replies_count", Counter(row.in_reply_to_id for row in rows)),
            ("reblogs_count", Counter(row.reblog_of_id for row in rows))):
        for status_id, count in parents.items():
            if status_id is not None and status_id not in gone:
                await uow.statuses.add_to_counter(status_id, column, -count)
