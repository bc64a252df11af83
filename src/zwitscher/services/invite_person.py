"""Admins and group managers invite someone by e-mail address: the person gets an account at
once (in the manager's group), and an e-mail from the inviter with a link to choose a password
(docs/identity.md). Group managers invite into the groups they manage; only admins invite
without a group. The address is confirmed when the link is followed.

Where passwords are turned off (single sign-on only), the e-mail leads to the sign-in page
instead: the provider links the account by its confirmed address.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, TooManyAttempts, ValidationFailed
from zwitscher.domain.roles import ADMINISTRATORS, Actor, parse_role
from zwitscher.policies.groups import require_group_manager
from zwitscher.services.change_group_members import add_group_members
from zwitscher.services.provision_person import add_member_without_password
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import is_valid_email
from zwitscher.services.send_password_link import PasswordLink, send_password_link
from zwitscher.throttle import limit

INVITATIONS_PER_INVITER = limit("50/hour")
SIGN_IN_PATH = "/web/sign-in"


@dataclass(frozen=True, slots=True)
class Invitation:
    email: str
    display_name: str = ""
    group_id: int | None = None


@dataclass(frozen=True, slots=True)
class Invited:
    account_id: int
    username: str


async def invite_person(uow: UnitOfWork, *, actor: Actor, invitation: Invitation) -> Invited:
    group = await _group(uow, actor, invitation.group_id)
    if not await uow.throttle.allow(INVITATIONS_PER_INVITER, "invite:actor",
                                    str(actor.account_id)):
        raise TooManyAttempts()
    email = invitation.email.strip()
    # One line: a name is shown in mail headers and on pages, never as several lines.
    display_name = " ".join(invitation.display_name.split())
    if not is_valid_email(email):
        raise ValidationFailed("Email is invalid")
    if len(display_name) > 100:
        raise ValidationFailed("Display name must be at most 100 characters")
    if await uow.accounts.user_by_email(email) is not None:
        raise ValidationFailed("This address has an account already: add the person to the "
                               "group instead")
    account_id, user_id = await add_member_without_password(
        uow, name_from=email, email=email, display_name=display_name)
    username = (await uow.accounts.get(account_id)).username
    if group is not None:
        await add_group_members(uow, actor=actor, group_id=group.id, account_ids=[account_id])
    await record_audit(uow, actor=actor, action="account.invited", target_type="account",
                       target_id=account_id, username=username,
                       group_id=str(group.id) if group else None)
    await send_invitation(uow, actor=actor, user_id=user_id, group=group.name if group else "")
    return Invited(account_id, username)


async def may_invite(uow: UnitOfWork, *, account_id: int | None, role: str | None) -> bool:
    return parse_role(role) in ADMINISTRATORS or (
        account_id is not None and await uow.groups.manages_any(account_id))


async def groups_to_invite_into(uow: UnitOfWork, actor: Actor) -> list:
    if actor.administers:
        return await uow.groups.all_groups()
    return await uow.groups.managed_by(actor.account_id) if actor.account_id else []


async def _group(uow: UnitOfWork, actor: Actor, group_id: int | None):
    if group_id is None:
        if not actor.administers:
            raise Forbidden("Group managers invite people into a group they manage")
        return None
    group = await uow.groups.get(group_id)
    if group is None:
        raise NotFound()
    await require_group_manager(uow, actor, group.id)
    return group


async def send_invitation(uow: UnitOfWork, *, actor: Actor, user_id: int,
                          kind: str = PasswordLink.INVITATION.value,
                          language: str | None = None, **values) -> None:
    """E-mail someone just invited (by `actor`) the link to choose a password, or to sign in
    where passwords are turned off: the message `kind`, in `language`, showing `values`."""
    # Else the inviter's language is the best guess at the organisation's.
    inviting_user = await uow.accounts.user_for_account(actor.account_id)
    if language is None and inviting_user is not None:
        language = inviting_user.locale
    if language is not None:
        await uow.accounts.update_user(user_id, locale=language)
    user = await uow.accounts.user_by_id(user_id)
    inviter = await uow.accounts.get(actor.account_id)
    inviter_name = " ".join((inviter.display_name or inviter.username).split())
    if uow.settings.passwords_allowed:
        await send_password_link(uow, user=user, purpose=PasswordLink.INVITATION, kind=kind,
                                 inviter=inviter_name, **values)
        return
    account = await uow.accounts.get(user.account_id)
    await queue_mail(uow, kind=kind, to=user.email,
                     name=account.display_name or account.username, language=user.locale,
                     username=account.username, days=None, path=SIGN_IN_PATH,
                     inviter=inviter_name, **values)
