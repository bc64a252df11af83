"""Let a journalist into press groups: what an invitation and an approved accreditation request
both end in (`invite_journalist`, `decide_accreditation`).

Someone new gets a guest account at once, in those groups, and an e-mail with the link to
choose a password (`invite_person.send_invitation`, as every invitation). An address that has
an account already (a journalist accredited before, or one of the organisation's people) keeps
it and its role: the account is added to the groups, and told so by e-mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.email_addresses import is_valid_email
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.roles import Actor, Role
from zwitscher.policies.press import is_press_group, public_name
from zwitscher.services.invite_person import SIGN_IN_PATH, send_invitation
from zwitscher.services.provision_person import add_member_without_password
from zwitscher.services.queue_mail import queue_mail

MAX_NAME = 100
MAX_OUTLET = 200
MAX_POSITION = 100
MAX_WORK_URL = 500
MAX_NOTE = 2000
MAX_GROUPS = 50


@dataclass(frozen=True, slots=True)
class Journalist:
    name: str
    email: str
    outlet: str
    position: str = ""
    work_url: str = ""


@dataclass(frozen=True, slots=True)
class Admitted:
    account_id: int
    username: str
    # False: the address had an account already, which was added to the groups.
    new_account: bool
    # The accreditation that records it (set by the caller that made it).
    accreditation_id: int | None = None


def _one_line(text: str) -> str:
    # Names are shown in mail headers and on pages, never as several lines.
    return " ".join(text.split())


def checked_journalist(journalist: Journalist) -> Journalist:
    """The journalist's details tidied, or ValidationFailed naming every problem."""
    tidy = replace(journalist, name=_one_line(journalist.name), email=journalist.email.strip(),
                   outlet=_one_line(journalist.outlet), position=_one_line(journalist.position),
                   work_url=journalist.work_url.strip())
    problems = []
    if not 1 <= len(tidy.name) <= MAX_NAME:
        problems.append("Name must be between 1 and 100 characters")
    if not is_valid_email(tidy.email):
        problems.append("Email is invalid")
    if not 1 <= len(tidy.outlet) <= MAX_OUTLET:
        problems.append("Outlet must be between 1 and 200 characters")
    if len(tidy.position) > MAX_POSITION:
        problems.append("Role must be at most 100 characters")
    if tidy.work_url and (len(tidy.work_url) > MAX_WORK_URL or not tidy.work_url.isprintable()
                          or not tidy.work_url.lower().startswith(("https://", "http://"))
                          or " " in tidy.work_url):
        problems.append("The link to your work must be a web address (https://…) of at most "
                        "500 characters")
    if problems:
        raise ValidationFailed(", ".join(problems))
    return tidy


def checked_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed("A text is too long (at most %(max_length)s characters)",
                               max_length=MAX_NOTE)
    return note


async def press_groups_named(uow: UnitOfWork, group_ids: Sequence[int]) -> list[sa.Row]:
    """The press groups of these ids; ValidationFailed if any is none (or there are none)."""
    wanted = list(dict.fromkeys(group_ids))
    if not wanted:
        raise ValidationFailed("Choose at least one press group")
    if len(wanted) > MAX_GROUPS:
        raise ValidationFailed("Choose press groups only")
    found = await uow.groups.get_many(wanted)
    if any(not is_press_group(found.get(group_id)) for group_id in wanted):
        raise ValidationFailed("Choose press groups only")
    return [found[group_id] for group_id in wanted]


def group_names(groups: Sequence[sa.Row]) -> str:
    return ", ".join(public_name(group) for group in groups)


async def admit_journalist(uow: UnitOfWork, *, actor: Actor, journalist: Journalist,
                           groups: Sequence[sa.Row], language: str,
                           message: str) -> Admitted:
    """`journalist` (checked) into `groups` (press groups); `message`: the kind of e-mail a new
    account gets (an invitation, an approved request)."""
    values = {"outlet": journalist.outlet, "groups": group_names(groups)}
    user = await uow.accounts.user_by_email(journalist.email)
    if user is not None:
        if user.disabled:
            raise ValidationFailed("This address belongs to a deactivated account")
        account = await uow.accounts.get(user.account_id)
        await _add(uow, account.id, groups)
        inviter = await uow.accounts.get(actor.account_id)
        await queue_mail(uow, kind="press_access", to=user.email,
                         name=account.display_name or account.username, language=user.locale,
                         username=account.username, path=SIGN_IN_PATH,
                         inviter=_one_line(inviter.display_name or inviter.username), **values)
        return Admitted(account.id, account.username, new_account=False)
    account_id, user_id = await add_member_without_password(
        uow, name_from=journalist.email, email=journalist.email,
        display_name=journalist.name, role=Role.GUEST)
    await _add(uow, account_id, groups)
    await send_invitation(uow, actor=actor, user_id=user_id, kind=message, language=language,
                          **values)
    return Admitted(account_id, (await uow.accounts.get(account_id)).username,
                    new_account=True)


async def _add(uow: UnitOfWork, account_id: int, groups: Sequence[sa.Row]) -> None:
    # Not `change_group_members.add_group_members`: the press desk lets journalists into
    # press groups without managing them (and never changes a member's role there).
    for group in groups:
        await uow.groups.add_members(group.id, [account_id])
