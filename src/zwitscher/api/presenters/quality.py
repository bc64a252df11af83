from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex


def present_quality(account: sa.Row, quality: sa.Row | None, origin: str, *,
                    emojis: EmojiIndex) -> dict:
    """An account's quality score; `score` is null until it has been computed."""
    return {
        "account": present_account(account, origin, emojis=emojis),
        "score": quality.score if quality else None,
        "flags": list(quality.flags) if quality else [],
        "signals": dict(quality.signals) if quality else {},
        "computed_at": iso(quality.computed_at) if quality else None,
    }
