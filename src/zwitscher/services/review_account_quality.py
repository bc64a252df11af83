"""Moderators review quality scores: read them, list flagged accounts, rescore one now.

Only moderators, admins and owners: a score is a judgement about a person and stays with those
who act on it. Rescoring on demand is recorded in the audit log (it may change whom
follow-back skips).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit
from zwitscher.services.score_account_quality import score_account_quality


@dataclass(frozen=True, slots=True)
class QualityReport:
    account: sa.Row
    quality: sa.Row | None  # None: not scored yet


def _require_moderator(actor: Actor) -> None:
    if not actor.moderates:
        raise Forbidden("Only moderators and admins may see quality scores")


async def account_quality(uow: UnitOfWork, *, actor: Actor, account_id: int) -> QualityReport:
    _require_moderator(actor)
    account = await uow.accounts.get(account_id)
    if account is None:
        raise NotFound()
    return QualityReport(account, await uow.quality.get(account_id))


async def rescore_account_quality(uow: UnitOfWork, *, actor: Actor,
                                  account_id: int) -> QualityReport:
    _require_moderator(actor)
    quality = await score_account_quality(uow, account_id=account_id)
    await record_audit(uow, actor=actor, action="account.quality_scored",
                       target_type="account", target_id=account_id, score=quality.score,
                       flags=quality.flags)
    return QualityReport(await uow.accounts.get(account_id), await uow.quality.get(account_id))


async def accounts_by_quality(uow: UnitOfWork, *, actor: Actor, page: Page,
                              flagged: bool | None) -> list[sa.Row]:
    """Scored accounts, each row an account with its `score`, `flags`, `signals` and
    `computed_at`; with `flagged` only those flagged (or not)."""
    _require_moderator(actor)
    return await uow.quality.page(page, flagged=flagged)
