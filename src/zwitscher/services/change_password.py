"""A person changes their password, knowing the current one.

A changed password is usually a suspected leak: every other browser session ends and every
token held by apps is revoked (apps must sign in again); only the browser making the change
stays signed in.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.authenticate_user import DirectoryPassword, signs_in_with_directory
from zwitscher.services.passwords import hash_password, verify_password
from zwitscher.services.register_account import check_password_rules


class WrongCurrentPassword(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("The current password is wrong")


async def change_password(uow: UnitOfWork, *, user_id: int, current_password: str,
                          new_password: str, keep_session_id: int | None) -> None:
    if await signs_in_with_directory(uow, user_id):
        raise DirectoryPassword()
    user = await uow.accounts.user_by_id(user_id)
    if user is None or not verify_password(user.password_hash, current_password):
        raise WrongCurrentPassword()
    check_password_rules(new_password)
    await replace_password(uow, user=user, password=new_password,
                           keep_session_id=keep_session_id)


async def replace_password(uow: UnitOfWork, *, user: sa.Row, password: str,
                           keep_session_id: int | None = None) -> None:
    """Store the new password and sign the person out everywhere but `keep_session_id`; the
    e-mailed links to choose one that are still open stop working."""
    await uow.accounts.update_user(user.id, password_hash=hash_password(password))
    await uow.user_tokens.delete_of_user(user.id)
    kept = await uow.web_sessions.get(keep_session_id) if keep_session_id else None
    revoked = await uow.oauth.revoke_user_tokens(
        user.id, keep=kept.oauth_token_id if kept is not None else None)
    await uow.web_sessions.delete_of_user(user.id, keep=kept.id if kept is not None else None)
    await uow.push_subscriptions.delete_for_tokens(revoked)
    for token_id in revoked:
        # Their open streams end now, not at their next reconnect.
        uow.publish(home_channel(user.account_id), Event.SESSION_REVOKED, None, token_id=token_id)
