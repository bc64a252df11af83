"""Keep conversations (threads of direct statuses) as their participants see them.

Participants of a direct status are its author and the accounts it mentions. A direct reply
joins the conversation of the status it answers; any other direct status starts one. Each
participant has their own row: unread when someone else wrote its last status, with everyone
they have met in it. Those who block or mute the author get no row from them, as their
notifications stay quiet too.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork


async def record_direct_status(uow: UnitOfWork, *, status_id: int, author_id: int,
                               in_reply_to_id: int | None, mentioned_ids: list[int]) -> int:
    """Returns the conversation's id."""
    conversation_id = None
    if in_reply_to_id is not None:
        conversation_id = await uow.conversations.of_status(in_reply_to_id)
    conversation_id = conversation_id or status_id
    await uow.conversations.add_status(status_id=status_id, conversation_id=conversation_id)
    participants = list(dict.fromkeys([author_id, *mentioned_ids]))
    hiding = await uow.relationships.hiding_any({author_id})
    receivers = [a for a in participants if a == author_id or a not in hiding]
    existing = await uow.conversations.get_many_for(receivers, conversation_id)
    for account_id in receivers:
        unread = account_id != author_id
        row = existing.get(account_id)
        if row is None:
            await uow.conversations.insert_for(
                account_id=account_id, conversation_id=conversation_id,
                participant_ids=participants, last_status_id=status_id, unread=unread)
        else:
            await uow.conversations.update(
                row.id, participant_ids=list(dict.fromkeys([*row.participant_ids,
                                                            *participants])),
                last_status_id=status_id, unread=unread)
    return conversation_id


async def forget_direct_status(uow: UnitOfWork, *, status_id: int, conversation_id: int,
                               participant_ids: list[int]) -> None:
    """After a direct status was deleted: rows that ended with it end with the newest status
    their participant may still see, or go when there is none."""
    rows = await uow.conversations.get_many_for(participant_ids, conversation_id)
    for row in rows.values():
        if row.last_status_id != status_id:
            continue
        latest = await uow.conversations.latest_visible(conversation_id, row.account_id)
        if latest is None:
            await uow.conversations.delete(row.id)
        else:
            await uow.conversations.update(row.id, last_status_id=latest)
