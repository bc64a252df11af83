"""Who a login and password are, for every password sign-in: the web form, an app's
authorization page and the API's password grant (docs/identity.md).

1. Tries are limited per network address and per login, alike for known and unknown logins.
2. An account's own password is checked here (Argon2), unless the account is linked to the
   organisation's directory: its people sign in with the directory's password only, so
   leaving the organisation (disabled in the directory) locks them out here too.
3. Else, with LDAP configured, the directory checks it. The person is then found by the link
   made at their first such sign-in (the entry's entryUUID or objectGUID), else by e-mail
   address (the directory is the organisation's own: its addresses are its people's), else
   made, if the operator allows it; their directory groups decide managed groups and role.

The checks that wait (Argon2, the directory) run between transactions, never inside one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.errors import DomainError, Forbidden, PasswordsTurnedOff, TooManyAttempts
from zwitscher.domain.roles import DIRECTORY_SIGN_IN
from zwitscher.ldap_directory import DirectoryPerson, DirectoryUnavailable, ldap_directory
from zwitscher.services.apply_provider_groups import apply_provider_groups
from zwitscher.services.passwords import verify_password
from zwitscher.services.provision_person import add_member_without_password
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import is_valid_email
from zwitscher.throttle import limit

# The issuer under which directory entries are linked to accounts (one directory per instance).
DIRECTORY = "ldap"
log = logging.getLogger(__name__)


class DirectoryNotReachable(DomainError):
    status_code = 503

    def __init__(self) -> None:
        super().__init__("The sign-in service cannot be reached: please try again later")


class DirectoryPassword(Forbidden):
    def __init__(self) -> None:
        super().__init__("Your password is your organisation's directory password: "
                         "change it there")


@dataclass(frozen=True, slots=True)
class RightPassword:
    user: object
    # How the password was checked, as sessions record it: "password" or "ldap".
    method: str


async def authenticate_user(uows: UnitsOfWork, *, login: str, password: str,
                            network_address: str) -> RightPassword | None:
    settings = uows.settings
    if not settings.passwords_allowed:
        raise PasswordsTurnedOff()
    async with uows.write() as uow:
        if not (await uow.throttle.allow(limit(settings.sign_in_limit_per_address),
                                         "sign-in:address", network_address)
                and await uow.throttle.allow(limit(settings.sign_in_limit_per_login),
                                             "sign-in:login", login.lower()[:320])):
            raise TooManyAttempts()
        user = await uow.accounts.user_by_login(login) if login else None
        if user is not None and await signs_in_with_directory(uow, user.id):
            user = None
    # Unknown logins cost as much as known ones.
    if verify_password(user.password_hash if user else None, password or ""):
        return RightPassword(user, "password")
    directory = ldap_directory(settings)
    if directory is None:
        return None
    try:
        person = await directory.check_password(login, password)
    except DirectoryUnavailable as exc:
        log.warning("LDAP: the directory cannot be used: %s", exc)
        raise DirectoryNotReachable() from exc
    if person is None:
        return None
    async with uows.write() as uow:
        user = await _directory_person(uow, person)
        await apply_provider_groups(uow, actor=DIRECTORY_SIGN_IN, user=user,
                                    groups=person.groups, roles=settings.ldap_roles)
        user = await uow.accounts.user_by_id(user.id)
    return RightPassword(user, "ldap")


async def signs_in_with_directory(uow: UnitOfWork, user_id: int) -> bool:
    return DIRECTORY in await uow.identities.issuers_of(user_id)


async def password_is_theirs(uow: UnitOfWork, *, user, password: str) -> bool:
    """For confirming a change to the account (a second factor): the account's own password,
    or, for people the directory signs in, the directory's, for the entry linked to them."""
    if not await signs_in_with_directory(uow, user.id):
        return verify_password(user.password_hash, password)
    directory = ldap_directory(uow.settings)
    if directory is None or not user.email:
        return False
    try:
        person = await directory.check_password(user.email, password)
    except DirectoryUnavailable as exc:
        log.warning("LDAP: the directory cannot be used: %s", exc)
        raise DirectoryNotReachable() from exc
    if person is None:
        return False
    linked = await uow.identities.user_of(DIRECTORY, person.subject)
    return linked is not None and linked.id == user.id


async def _directory_person(uow: UnitOfWork, person: DirectoryPerson):
    user = await uow.identities.user_of(DIRECTORY, person.subject)
    if user is not None:
        await uow.identities.touch(DIRECTORY, person.subject)
        return user
    existing = await uow.accounts.user_by_email(person.email) if person.email else None
    user = existing or await _new_person(uow, person)
    await uow.identities.link(user_id=user.id, issuer=DIRECTORY, subject=person.subject)
    account = await uow.accounts.get(user.account_id)
    await record_audit(uow, actor=DIRECTORY_SIGN_IN, action="account.identity_linked",
                       target_type="account", target_id=user.account_id,
                       username=account.username if account else None, issuer=DIRECTORY,
                       subject=person.subject, created=existing is None)
    return user


async def _new_person(uow: UnitOfWork, person: DirectoryPerson):
    if not uow.settings.ldap_create_accounts:
        raise Forbidden("There is no account for you here yet: ask an admin to add you")
    if person.email is None or not is_valid_email(person.email):
        raise Forbidden("The directory has no e-mail address for you: ask an admin to add you")
    _, user_id = await add_member_without_password(
        uow, name_from=person.username or person.email, email=person.email,
        display_name=person.display_name or "")
    return await uow.accounts.user_by_id(user_id)
