"""Create a person's account: from the CLI (any mode) or by sign-up (honouring the mode)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.email_addresses import is_valid_email
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import Role, parse_role
from zwitscher.domain.text import USERNAME_RE
from zwitscher.services.passwords import hash_password
from zwitscher.settings import RegistrationMode

RESERVED = {"admin", "administrator", "root", "support", "help", "settings", "api", "oauth",
            "about", "tags", "web", "static", "well-known", "www"}


@dataclass(frozen=True, slots=True)
class NewAccount:
    username: str
    email: str
    password: str
    display_name: str = ""
    locale: str = "en"
    reason: str = ""
    invite_code: str | None = None


@dataclass(frozen=True, slots=True)
class Registered:
    account_id: int
    user_id: int
    approved: bool


def identity_problems(username: str, email: str, *, allow_reserved: bool) -> list[str]:
    """What is wrong with a new person's username and e-mail address (shared with imports)."""
    errors = []
    if not USERNAME_RE.match(username) or len(username) > 30 or "." in username:
        errors.append("Username must contain only letters, numbers and underscores (at most 30)")
    elif username.lower() in RESERVED and not allow_reserved:
        errors.append("Username is reserved")
    if not is_valid_email(email):
        errors.append("Email is invalid")
    return errors


def password_is_acceptable(password: str) -> bool:
    # Mastodon's limits (its bcrypt reads 72 bytes at most); ours, so apps agree on them.
    return 8 <= len(password) <= 72


def check_password_rules(password: str) -> None:
    if not password_is_acceptable(password):
        raise ValidationFailed("Password must be between 8 and 72 characters")


def _stripped(new: NewAccount) -> NewAccount:
    """White space around the address is no part of it (Mastodon strips it too)."""
    return replace(new, email=new.email.strip())


def _validate(new: NewAccount, *, allow_reserved: bool) -> None:
    errors = identity_problems(new.username, new.email, allow_reserved=allow_reserved)
    if not password_is_acceptable(new.password):
        errors.append("Password must be between 8 and 72 characters")
    if errors:
        raise ValidationFailed(", ".join(errors))


async def _create(uow: UnitOfWork, new: NewAccount, *, role: str, approved: bool,
                  signed_up_with_app_id: int | None = None) -> Registered:
    if await uow.accounts.by_username(new.username) is not None:
        raise ValidationFailed("Username has already been taken")
    if await uow.accounts.user_by_email(new.email) is not None:
        raise ValidationFailed("Email has already been taken")
    account_id = await uow.accounts.create(username=new.username,
                                           display_name=new.display_name[:100])
    user_id = await uow.accounts.create_user(
        account_id=account_id, email=new.email, password_hash=hash_password(new.password),
        role=role, approved=approved, locale=new.locale, reason=new.reason,
        signed_up_with_app_id=signed_up_with_app_id)
    return Registered(account_id, user_id, approved)


async def create_account(uow: UnitOfWork, new: NewAccount, *, role: str = "member") -> Registered:
    """An operator creates an account directly (CLI); it is approved at once."""
    new = _stripped(new)
    parsed = parse_role(role)
    if parsed is None:
        raise ValidationFailed("Role must be one of %(choices)s",
                               choices=', '.join(r.value for r in Role))
    _validate(new, allow_reserved=True)
    return await _create(uow, new, role=parsed.value, approved=True)


async def register_account(uow: UnitOfWork, new: NewAccount, *,
                           signed_up_with_app_id: int) -> Registered:
    """Sign-up through an app, as the registration mode allows (see `sign_up`)."""
    mode = uow.settings.registrations
    if mode == RegistrationMode.CLOSED:
        raise Forbidden("Registrations are closed")
    new = _stripped(new)
    _validate(new, allow_reserved=False)
    if mode == RegistrationMode.INVITE:
        if not new.invite_code or not await uow.accounts.use_invite(new.invite_code):
            raise Forbidden("A valid invite is required to sign up")
    if mode == RegistrationMode.APPROVAL and not new.reason.strip():
        raise ValidationFailed("Reason can't be blank")
    return await _create(uow, new, role=Role.MEMBER.value,
                         approved=mode != RegistrationMode.APPROVAL,
                         signed_up_with_app_id=signed_up_with_app_id)
