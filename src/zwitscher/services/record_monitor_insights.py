"""Keep what a monitor's insights read, as a post is matched: its sentiment on each match and
the terms it mentions per monitor and day (docs/monitoring.md, "Insights").

Runs in `services/match_monitors.py`. A post is scored once (`domain/sentiment.py`; a
language without a lexicon is "not scored": NULL), before its matches are stored, and each new
match is stored with the score; an edit scores it again, onto all its matches. Terms
(`domain/terms.py: extract_terms`) are counted once, when a monitor first matches the post.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import day_of
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import searchable_text
from zwitscher.domain.sentiment import Sentiment, score
from zwitscher.domain.terms import extract_terms


def text_of(status: sa.Row) -> str:
    """The plain text sentiment and terms read: content warning and text."""
    return searchable_text(text=status.text or "", spoiler_text=status.spoiler_text or "")


def sentiment_of(status: sa.Row) -> Sentiment:
    return score(text_of(status), status.language)


def sentiment_columns(status: sa.Row) -> dict[str, float | str | None]:
    """The post's sentiment as its matches store it (NULL: its language is not scored)."""
    sentiment = sentiment_of(status)
    scored = sentiment.language is not None
    return {"sentiment": sentiment.compound if scored else None,
            "sentiment_label": sentiment.label if scored else None}


async def record_monitor_insights(uow: UnitOfWork, *, status: sa.Row, new: Sequence[int],
                                  edited: bool, sentiment: dict[str, float | str | None]
                                  ) -> None:
    """After the matches are stored (the new ones with `sentiment`, from `sentiment_columns`):
    an edit's new sentiment goes on every match, and the terms of the post are counted for
    the monitors in `new` (those that matched it for the first time)."""
    if edited:
        await uow.monitor_insights.set_sentiment(status.id, compound=sentiment["sentiment"],
                                                 label=sentiment["sentiment_label"])
    if new:
        await uow.monitor_insights.count_terms(list(new), extract_terms(text_of(status)),
                                               day=day_of(utcnow()))
