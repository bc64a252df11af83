"""Mastodon's Poll entity, for a page of statuses at once (two queries, however many polls)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import sqlalchemy as sa

from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, emoji_index
from zwitscher.db.repos.polls import Tallies
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow


async def present_polls(uow: UnitOfWork, statuses: dict[int, sa.Row],
                        viewer_id: int | None) -> dict[int, dict]:
    """The polls of these statuses, by status id."""
    polls = await uow.polls.of_statuses(list(statuses))
    if not polls:
        return {}
    tallies = await uow.polls.tallies([poll.id for poll in polls.values()], viewer_id)
    now = utcnow()
    return {status_id: _entity(poll, statuses[status_id], tallies, viewer_id, now)
            for status_id, poll in polls.items()}


async def present_poll(uow: UnitOfWork, status: sa.Row, viewer_id: int | None,
                       origin: str) -> dict:
    entity = (await present_polls(uow, {status.id: status}, viewer_id))[status.id]
    add_poll_emojis(entity, await emoji_index(uow, poll_texts([entity]), origin))
    return entity


def poll_texts(entities: Iterable[dict]) -> Iterator[str]:
    for entity in entities:
        for option in entity["options"]:
            yield option["title"]


def add_poll_emojis(entity: dict, emojis: EmojiIndex) -> None:
    """Fills in the custom emojis the options use, once those of the whole page are known."""
    entity["emojis"] = emojis.of(*poll_texts([entity]))


def _entity(poll: sa.Row, status: sa.Row, tallies: Tallies, viewer_id: int | None,
            now: datetime) -> dict:
    expired = poll.expires_at <= now
    votes = tallies.votes.get(poll.id, {})
    own = viewer_id is not None and viewer_id in (status.account_id, status.posted_by_id)
    # With hide_totals the count per option would sway the vote, so only the author sees it
    # before the end; the total number of votes is no secret.
    shown = expired or not poll.hide_totals or own
    entity = {
        "id": str(poll.id),
        "expires_at": iso(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": sum(votes.values()),
        "voters_count": tallies.voters.get(poll.id, 0),
        "options": [{"title": title, "votes_count": votes.get(index, 0) if shown else None}
                    for index, title in enumerate(poll.options)],
        "emojis": [],
    }
    if viewer_id is not None:
        own_votes = sorted(tallies.own.get(poll.id, []))
        # As Mastodon: the author counts as having voted, so apps show them the results.
        entity["voted"] = own or bool(own_votes)
        entity["own_votes"] = own_votes
    return entity
