"""A person deletes their own account (docs/data-rights.md), as Mastodon's suspension pending
deletion: at once they are signed out everywhere and can no longer sign in or use a token, and
their profile and posts are shown to nobody (`policies.visibility.by_deleted_account`,
`account_shown`), nor their notifications and follow requests (`from_deleted_account`);
after the grace period (`account_deletion_grace_seconds`, 30 days) the `PurgeAccount` job
erases their data. Until then they keep the account by signing in with their password
(`web_sessions.keep_account`), or an admin cancels the deletion.

They confirm with their password (the directory's, for people LDAP signs in); people who sign
in through single sign-on have none here and confirm with a sign-in of the last few minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.jobs import PurgeAccount
from zwitscher.domain.roles import Actor
from zwitscher.policies.account_deletion import Refusal, deletion_refused
from zwitscher.services.authenticate_user import password_is_theirs
from zwitscher.services.change_password import WrongCurrentPassword
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit
from zwitscher.services.set_person_active import sign_out_everywhere

# How recent a single sign-on must be to confirm a deletion.
FRESH_SIGN_IN = timedelta(minutes=10)
# Where the e-mail sends the person who wants to keep their account.
SIGN_IN_PATH = "/web/sign-in"


class SignInAgain(Forbidden):
    def __init__(self) -> None:
        super().__init__("Sign out and in again, then delete your account within ten minutes")


async def request_account_deletion(uow: UnitOfWork, *, actor: Actor, user_id: int,
                                   password: str | None, session_id: int) -> datetime:
    """Schedule the deletion of the account of `user_id`, who is `actor`, signed in with the
    web session `session_id`; `password` None: they sign in through single sign-on. Returns
    when the data goes."""
    user = await uow.accounts.user_by_id(user_id)
    if user is None or user.account_id != actor.account_id:
        raise NotFound()
    refusal = deletion_refused(user)
    if refusal is Refusal.DIRECTORY:
        raise Forbidden("Your account is managed by your organisation's directory: ask your "
                        "administrator to delete it")
    if refusal is Refusal.OWNER:
        raise Forbidden("An owner cannot delete their account: make someone else an owner "
                        "first, and ask them to change your role")
    if password is None:
        session = await uow.web_sessions.get(session_id)
        if session is None or utcnow() - session.created_at > FRESH_SIGN_IN:
            raise SignInAgain()
    elif not await password_is_theirs(uow, user=user, password=password):
        raise WrongCurrentPassword()
    now = utcnow()
    grace = timedelta(seconds=uow.settings.account_deletion_grace_seconds)
    await uow.account_deletions.schedule(user.account_id, requested_at=now,
                                         delete_at=now + grace)
    await uow.accounts.update(user.account_id, deleted_at=now)
    await uow.accounts.update_user(user.id, disabled=True)
    revoked = await sign_out_everywhere(uow, user_id=user.id, account_id=user.account_id)
    await uow.enqueue(PurgeAccount(account_id=user.account_id), delay=grace)
    await _tell(uow, user=user, delete_at=now + grace)
    await record_audit(uow, actor=actor, action="account.deletion_requested",
                       target_type="account", target_id=user.account_id,
                       delete_at=(now + grace).isoformat(), revoked_tokens=len(revoked))
    return now + grace


async def _tell(uow: UnitOfWork, *, user, delete_at: datetime) -> None:
    account = await uow.accounts.get(user.account_id)
    language = i18n.supported(user.locale) or i18n.DEFAULT_LANGUAGE
    when = i18n.Formatter(language, user.time_zone).datetime(delete_at) + (
        "" if user.time_zone else " UTC")
    await queue_mail(uow, kind="deletion_scheduled", to=user.email,
                     name=account.display_name or account.username, language=language,
                     username=account.username, when=when, path=SIGN_IN_PATH)
