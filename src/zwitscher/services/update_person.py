"""A company directory changes a person (SCIM `PUT` or `PATCH /Users/{id}`): their directory
name, e-mail address, display name, external id, and whether they may sign in. The username
(their handle in posts and mentions) stays as it was."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.provision_person import check_person_fields, require_unclaimed
from zwitscher.services.record_audit import record_audit
from zwitscher.services.set_person_active import set_person_active


@dataclass(frozen=True, slots=True)
class PersonChanges:
    """None leaves a value as it is; an empty `external_id` removes it."""

    user_name: str | None = None
    email: str | None = None
    display_name: str | None = None
    external_id: str | None = None
    active: bool | None = None


async def update_person(uow: UnitOfWork, *, actor: Actor, account_id: int,
                        changes: PersonChanges) -> None:
    if not actor.administers:
        raise Forbidden("Only admins and the directory may change people")
    _, found = await uow.directory.find_people(offset=0, limit=1, account_id=account_id)
    if not found:
        raise NotFound()
    person = found[0]
    user_name = changes.user_name.strip() if changes.user_name is not None else None
    check_person_fields(user_name=user_name, email=changes.email,
                        display_name=changes.display_name,
                        external_id=changes.external_id or None)
    login: dict = {}
    if user_name is not None and user_name != (person.directory_user_name or person.username):
        login["directory_user_name"] = user_name
    if changes.email is not None and changes.email.lower() != person.email.lower():
        login["email"], login["email_lower"] = changes.email, changes.email.lower()
    if changes.external_id is not None and (changes.external_id or None) != person.external_id:
        login["external_id"] = changes.external_id or None
    await require_unclaimed(uow, account_id=account_id, user_name=user_name,
                            email=changes.email, external_id=changes.external_id or None)
    if login:
        await uow.accounts.update_user(person.user_id, **login)
    recorded = {key: value for key, value in login.items() if key != "email_lower"}
    if changes.display_name is not None and changes.display_name != person.display_name:
        await uow.accounts.update(account_id, display_name=changes.display_name)
        recorded["display_name"] = changes.display_name
    if recorded:
        await record_audit(uow, actor=actor, action="account.updated", target_type="account",
                           target_id=account_id, changes=recorded, source="scim")
    if changes.active is not None:
        await set_person_active(uow, actor=actor, account_id=account_id, active=changes.active)
