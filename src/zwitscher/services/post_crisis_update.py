"""An update in a crisis: a reply to its first post, by the same account, so it threads under
it in every client. A public update is a public post and shows on the dark site; an internal
one goes to the crisis's audience only (its groups), as the first post did."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.crises import check_sending_account, require_crisis_desk
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.services.record_audit import record_audit


async def post_crisis_update(uow: UnitOfWork, *, actor: Actor, crisis_id: int, text: str,
                             public: bool) -> sa.Row:
    require_crisis_desk(actor.role)
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        raise NotFound("Record not found")
    if crisis.closed_at is not None:
        raise ValidationFailed("This crisis is closed")
    if not text.strip():
        raise ValidationFailed("An update needs a text")
    await check_sending_account(uow, person_id=actor.account_id, role=actor.role,
                                account_id=crisis.account_id)
    # A public update under an internal first post would be a reply nobody outside can place.
    first = crisis.status_id if (not public or crisis.public) else None
    if public:
        draft = StatusDraft(text=text, visibility=Visibility.PUBLIC, in_reply_to_id=first)
    elif crisis.group_ids:
        draft = StatusDraft(text=text, visibility=Visibility.GROUP, in_reply_to_id=first,
                            group_ids=tuple(crisis.group_ids))
    else:
        draft = StatusDraft(text=text, visibility=Visibility.DIRECT, in_reply_to_id=first)
    status = await post_status(uow, author_id=crisis.account_id, posted_by_id=actor.account_id,
                               draft=draft)
    await uow.crises.add_update(crisis_id=crisis_id, status_id=status.id, public=public,
                                at=utcnow())
    await record_audit(uow, actor=actor, action="crisis.update", target_type="crisis",
                       target_id=crisis_id, public=public)
    return status

