"""Whose statuses full-text search finds for whom, beyond whether the reader may see them
(`policies.visibility`): Mastodon's `indexable`.

An account that is not indexable keeps its statuses out of other people's full-text search,
as Mastodon keeps them out of its public index: they are found only by their author and by
those Mastodon lets search them too, the people who were mentioned in one, favourited,
reblogged or bookmarked it, or voted in its poll. Each is one index lookup, asked only for
statuses of such an account.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema import (
    accounts,
    bookmarks,
    favourites,
    mentions,
    poll_voters,
    polls,
    statuses,
)

_authors = accounts.alias("search_authors")
_mentions = mentions.alias("search_mentions")
_favourites = favourites.alias("search_favourites")
_bookmarks = bookmarks.alias("search_bookmarks")
_reblogs = statuses.alias("search_reblogs")
_polls = polls.alias("search_polls")
_poll_voters = poll_voters.alias("search_poll_voters")


def findable_by(viewer_id: int) -> sa.ColumnElement[bool]:
    """True for `statuses` rows the viewer's full-text search may find (if visible)."""
    s = statuses
    indexable_author = sa.exists().where(_authors.c.id == s.c.account_id,
                                         _authors.c.indexable.is_(True))
    return sa.or_(
        indexable_author,
        s.c.account_id == viewer_id,
        sa.exists().where(_mentions.c.status_id == s.c.id, _mentions.c.account_id == viewer_id),
        sa.exists().where(_favourites.c.status_id == s.c.id,
                          _favourites.c.account_id == viewer_id),
        sa.exists().where(_bookmarks.c.status_id == s.c.id, _bookmarks.c.account_id == viewer_id),
        sa.exists().where(_reblogs.c.reblog_of_id == s.c.id, _reblogs.c.account_id == viewer_id),
        sa.exists().where(_polls.c.status_id == s.c.id, _poll_voters.c.poll_id == _polls.c.id,
                          _poll_voters.c.account_id == viewer_id),
    )
