"""A company directory creates a person (SCIM `POST /Users`).

The directory names people by its `userName`, often an e-mail address, which cannot be a
username here. The account gets a username made from it (the part before `@`, with anything
but letters, digits and `_` made `_`, numbered if taken); the directory's name is kept beside
it so the directory finds the person by it. Like imported people, provisioned people have no
usable password: they are sent a link to choose one (`welcome_people`).

Creating someone the directory deleted (`delete_directory_person`) again, found by their
`userName`, e-mail address or `externalId`, brings back that same account: its id, posts and
password stay; the deletion mark goes; the attributes and `active` are as now sent. (A new
account could not have the address, which is unique; a 409 would leave the directory stuck.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Conflict, Forbidden, ValidationFailed
from zwitscher.domain.ids import new_id
from zwitscher.domain.roles import Actor, Role
from zwitscher.services.passwords import UNUSABLE_PASSWORD
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import RESERVED, is_valid_email
from zwitscher.services.set_person_active import set_person_active
from zwitscher.services.welcome_people import welcome_people

_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_]+")


@dataclass(frozen=True, slots=True)
class DirectoryPerson:
    user_name: str
    email: str
    display_name: str = ""
    external_id: str | None = None
    active: bool = True


def check_person_fields(*, user_name: str | None = None, email: str | None = None,
                        display_name: str | None = None,
                        external_id: str | None = None) -> None:
    problems = []
    if user_name is not None and not 1 <= len(user_name.strip()) <= 320:
        problems.append("userName must be between 1 and 320 characters")
    if email is not None and not is_valid_email(email):
        problems.append("Email is invalid")
    if display_name is not None and len(display_name) > 100:
        problems.append("displayName must be at most 100 characters")
    if external_id is not None and len(external_id) > 200:
        problems.append("externalId must be at most 200 characters")
    if problems:
        raise ValidationFailed(", ".join(problems))


def _claims(*, user_name: str | None, email: str | None,
            external_id: str | None) -> list[tuple[str, dict]]:
    checks = (("userName", dict(user_name=user_name)), ("An e-mail address", dict(email=email)),
              ("externalId", dict(external_id=external_id)))
    return [(label, condition) for label, condition in checks
            if next(iter(condition.values())) is not None]


async def require_unclaimed(uow: UnitOfWork, *, account_id: int | None,
                            user_name: str | None = None, email: str | None = None,
                            external_id: str | None = None) -> None:
    """Each given value must belong to nobody or to `account_id` already; a person the
    directory deleted still holds theirs."""
    for label, condition in _claims(user_name=user_name, email=email, external_id=external_id):
        _, rows = await uow.directory.find_people(offset=0, limit=2, with_deleted=True,
                                                  **condition)
        if any(row.account_id != account_id for row in rows):
            raise Conflict("%(label)s is already taken", label=label)


async def _deleted_match(uow: UnitOfWork, *, user_name: str, email: str,
                         external_id: str | None) -> sa.Row | None:
    """The person the directory deleted whom these values name (by userName first), if any."""
    for _, condition in _claims(user_name=user_name, email=email, external_id=external_id):
        _, rows = await uow.directory.find_people(offset=0, limit=1, with_deleted=True,
                                                  **condition)
        if rows and rows[0].directory_deleted_at is not None:
            return rows[0]
    return None


async def _bring_back(uow: UnitOfWork, *, actor: Actor, deleted: sa.Row, user_name: str,
                      person: DirectoryPerson) -> None:
    await uow.accounts.update_user(
        deleted.user_id, directory_user_name=user_name, email=person.email,
        email_lower=person.email.lower(), external_id=person.external_id,
        directory_deleted_at=None)
    await uow.accounts.update(deleted.account_id, display_name=person.display_name)
    await record_audit(uow, actor=actor, action="account.directory_restored",
                       target_type="account", target_id=deleted.account_id,
                       user_name=user_name, active=person.active, source="scim")
    if person.active:
        await set_person_active(uow, actor=actor, account_id=deleted.account_id, active=True)


async def provision_person(uow: UnitOfWork, *, actor: Actor, person: DirectoryPerson) -> int:
    if not actor.administers:
        raise Forbidden("Only admins and the directory may create people")
    user_name = person.user_name.strip()
    check_person_fields(user_name=user_name, email=person.email,
                        display_name=person.display_name, external_id=person.external_id)
    deleted = await _deleted_match(uow, user_name=user_name, email=person.email,
                                   external_id=person.external_id)
    await require_unclaimed(uow, account_id=deleted.account_id if deleted else None,
                            user_name=user_name, email=person.email,
                            external_id=person.external_id)
    if deleted is not None:
        await _bring_back(uow, actor=actor, deleted=deleted, user_name=user_name, person=person)
        return deleted.account_id
    account_id, user_id = new_id(), new_id()
    username = await free_username(uow, user_name)
    await uow.directory.create_people([dict(
        account_id=account_id, user_id=user_id, username=username,
        display_name=person.display_name, email=person.email, role=Role.MEMBER.value,
        external_id=person.external_id, directory_user_name=user_name,
        disabled=not person.active)], password_hash=UNUSABLE_PASSWORD)
    await welcome_people(uow, user_ids=[user_id])
    await record_audit(uow, actor=actor, action="account.created", target_type="account",
                       target_id=account_id, username=username, user_name=user_name,
                       active=person.active, source="scim")
    return account_id


async def free_username(uow: UnitOfWork, user_name: str) -> str:
    """A username made from a directory's or a provider's name for someone (see above)."""
    base = _NOT_USERNAME.sub("_", user_name.split("@")[0]).strip("_")[:26] or "user"
    if base.lower() in RESERVED:
        base = f"{base}_"
    candidates = [base] + [f"{base}{n}" for n in range(2, 200)]
    taken = await uow.accounts.by_usernames(candidates)
    free = next((c for c in candidates if c.lower() not in taken), None)
    return free or f"{base[:18]}_{new_id() % 10**8}"


async def add_member_without_password(uow: UnitOfWork, *, name_from: str, email: str,
                                      display_name: str = "",
                                      role: Role = Role.MEMBER) -> tuple[int, int]:
    """A member (or a guest: a journalist) whose password is nowhere here: an identity
    provider or the directory signs them in, or a link sent to them sets it. Username made
    from `name_from` (see above); returns (account id, user id)."""
    account_id, user_id = new_id(), new_id()
    await uow.directory.create_people([dict(
        account_id=account_id, user_id=user_id, username=await free_username(uow, name_from),
        display_name=display_name[:100], email=email, role=role.value,
        external_id=None)], password_hash=UNUSABLE_PASSWORD)
    return account_id, user_id
