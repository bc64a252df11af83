"""A person's private note about an account (Mastodon's `POST /api/v1/accounts/:id/note`): only
its writer ever reads it, in the Relationship."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed

MAX_COMMENT = 2000  # characters, as Mastodon's AccountNote


async def write_account_note(uow: UnitOfWork, *, account_id: int, target_id: int,
                             comment: str | None) -> None:
    """A blank comment (missing, empty or only spaces) removes the note, as Mastodon's."""
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    if comment is None or not comment.strip():
        await uow.account_notes.remove(account_id=account_id, target_id=target_id)
        return
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed("Comment is too long (maximum is %(maximum)s characters)",
                               maximum=MAX_COMMENT)
    await uow.account_notes.write(account_id=account_id, target_id=target_id, comment=comment)
