from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex


class Quality(TypedDict):
    account: Account
    score: float | None  # until computed
    flags: list[str]
    signals: dict
    computed_at: str | None


def present_quality(account: sa.Row, quality: sa.Row | None, origin: str, *,
                    emojis: EmojiIndex) -> Quality:
    """An account's quality score; `score` is null until it has been computed."""
    return {
        "account": present_account(account, origin, emojis=emojis),
        "score": quality.score if quality else None,
        "flags": list(quality.flags) if quality else [],
        "signals": dict(quality.signals) if quality else {},
        "computed_at": iso(quality.computed_at) if quality else None,
    }
