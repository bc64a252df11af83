"""A company directory deletes a person (SCIM `DELETE /Users/{id}`).

The account stays: its posts, follows and history are the organisation's. It is deactivated
as with `active: false` (signed out everywhere) and marked deleted by the directory, which
RFC 7644 section 3.6 asks to see as gone: 404 for its id and in no query, while a person who
is merely deactivated is still found. The mark is cleared when the directory creates the
person again (`provision_person` brings back the same account) or an admin reactivates them
(`set_person_active`).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit
from zwitscher.services.set_person_active import set_person_active


async def delete_directory_person(uow: UnitOfWork, *, actor: Actor, account_id: int) -> None:
    """NotFound for a person the directory already deleted, as for one who never was."""
    if not actor.administers:
        raise Forbidden("Only admins may deactivate people")
    _, found = await uow.directory.find_people(offset=0, limit=1, account_id=account_id)
    if not found:
        raise NotFound()
    await set_person_active(uow, actor=actor, account_id=account_id, active=False)
    await uow.accounts.update_user(found[0].user_id, directory_deleted_at=utcnow())
    await record_audit(uow, actor=actor, action="account.directory_deleted",
                       target_type="account", target_id=account_id, source="scim")
