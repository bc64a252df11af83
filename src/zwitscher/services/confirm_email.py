"""E-mail addresses shown to be their person's (Mastodon's `confirmed`), by a link sent to them.

Who signs themselves up through an app starts unconfirmed: until the link is followed, their
token is refused ("Your login is missing a confirmed e-mail address") and the web sign-in too,
so an address typed by someone else opens nothing that its owner did not ask for. The app they
signed up with may send the link again, to a corrected address (`/api/v1/emails/confirmations`);
the web's "Send the link again" page does the same by address. People an operator or a
directory made are confirmed: those vouch for the address.

Moving to a new address works the same way: the new address gets the link, the old one a
notice, and the change is made when the link is followed (if nobody took the address since).
People whose address a directory manages (import, SCIM, LDAP, single sign-on) change it there.

Links are single-use, kept as SHA-256, live two days, and a new one ends the older ones.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, TooManyAttempts, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.change_password import WrongCurrentPassword
from zwitscher.services.passwords import verify_password
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import is_valid_email
from zwitscher.services.secrets import digest, new_secret
from zwitscher.services.set_password import LinkNotValid
from zwitscher.throttle import limit

CONFIRM_PATH = "/web/confirm"
PURPOSE = "confirm_email"
LIFETIME = timedelta(days=2)
# Links sent for one person, and asked for from one network address, in a window.
LINKS_PER_PERSON = limit("5/hour")
LINKS_PER_ADDRESS = limit("20/hour")


class AlreadyConfirmed(Forbidden):
    def __init__(self) -> None:
        super().__init__("This method is only available while the e-mail is awaiting "
                         "confirmation")


class NotTheSignUpApp(Forbidden):
    def __init__(self) -> None:
        super().__init__("This method is only available to the application the user "
                         "originally signed-up with")


class AddressManagedElsewhere(Forbidden):
    def __init__(self) -> None:
        super().__init__("Your address is managed by your organisation's directory: "
                         "change it there")


async def send_confirmation(uow: UnitOfWork, *, user, address: str) -> None:
    """Send `address` a link that confirms it for `user`; earlier links stop working."""
    if not await uow.throttle.allow(LINKS_PER_PERSON, "confirm:user", str(user.id)):
        raise TooManyAttempts()
    await uow.user_tokens.delete_of_user(user.id, PURPOSE)
    secret = new_secret()
    await uow.user_tokens.create(user_id=user.id, purpose=PURPOSE, token_hash=digest(secret),
                                 expires_at=utcnow() + LIFETIME)
    account = await uow.accounts.get(user.account_id)
    await queue_mail(uow, kind="confirm_email", to=address,
                     name=account.display_name or account.username, language=user.locale,
                     username=account.username, days=LIFETIME.days,
                     path=f"{CONFIRM_PATH}?token={secret}")


async def confirm_email(uow: UnitOfWork, *, token: str) -> None:
    """Follow a link: the address it went to is the person's (the new one, if they moved)."""
    row = await uow.user_tokens.take(digest(token[:200]), (PURPOSE,)) if token else None
    if row is None or row.disabled:
        raise LinkNotValid()
    new_address = row.unconfirmed_email
    if new_address is None:
        await uow.accounts.update_user(row.id, confirmed=True)
        return
    holder = await uow.accounts.user_by_email(new_address)
    if holder is not None and holder.id != row.id:
        raise ValidationFailed("Email has already been taken")
    await uow.accounts.update_user(row.id, email=new_address, email_lower=new_address.lower(),
                                   unconfirmed_email=None, confirmed=True)


async def resend_confirmation(uow: UnitOfWork, *, user_id: int, app_id: int,
                              email: str | None) -> None:
    """An unconfirmed person's app sends the link again, to `email` if it gives one (the
    address is then theirs instead, as Mastodon does)."""
    user = await uow.accounts.user_by_id(user_id)
    if user.confirmed:
        raise AlreadyConfirmed()
    if user.signed_up_with_app_id != app_id:
        raise NotTheSignUpApp()
    if email is not None and email.strip().lower() != user.email_lower:
        email = email.strip()
        await _check_free(uow, email)
        await uow.accounts.update_user(user.id, email=email, email_lower=email.lower())
        user = await uow.accounts.user_by_id(user.id)
    await send_confirmation(uow, user=user, address=user.email)


async def request_confirmation_link(uow: UnitOfWork, *, email: str,
                                    network_address: str) -> None:
    """The web's "send the link again": the same answer whether or not the address waits for
    a link, so nobody learns who has an account."""
    if not await uow.throttle.allow(LINKS_PER_ADDRESS, "confirm:address", network_address):
        raise TooManyAttempts()
    email = email.strip()
    user = await uow.accounts.user_by_email(email) if is_valid_email(email) else None
    if user is None or user.confirmed or user.disabled:
        return
    try:
        await send_confirmation(uow, user=user, address=user.email)
    except TooManyAttempts:
        # Enough links went to that address this hour; the answer stays the same.
        return


async def change_email(uow: UnitOfWork, *, user_id: int, new_email: str,
                       password: str) -> None:
    """A person asks to move to `new_email`: it gets a link, the current address a notice."""
    user = await uow.accounts.user_by_id(user_id)
    if user.external_id is not None or await uow.identities.issuers_of(user.id):
        raise AddressManagedElsewhere()
    if not verify_password(user.password_hash, password):
        raise WrongCurrentPassword()
    new_email = new_email.strip()
    if new_email.lower() == user.email_lower:
        raise ValidationFailed("This is your address already")
    await _check_free(uow, new_email)
    await uow.accounts.update_user(user.id, unconfirmed_email=new_email)
    await send_confirmation(uow, user=user, address=new_email)
    account = await uow.accounts.get(user.account_id)
    await queue_mail(uow, kind="email_change", to=user.email,
                     name=account.display_name or account.username, language=user.locale,
                     username=account.username, new_email=new_email,
                     path="/web/settings/password")


async def confirm_account(uow: UnitOfWork, *, actor: Actor, account_id: int) -> None:
    """An admin vouches for someone's address (their mail does not arrive, say)."""
    if not actor.administers:
        raise Forbidden("Only admins may confirm addresses")
    user = await uow.accounts.user_for_account(account_id)
    if user is None:
        raise NotFound()
    if not user.confirmed:
        await uow.accounts.update_user(user.id, confirmed=True)
        await uow.user_tokens.delete_of_user(user.id, PURPOSE)
        await record_audit(uow, actor=actor, action="account.confirmed", target_type="account",
                           target_id=account_id)


async def _check_free(uow: UnitOfWork, email: str) -> None:
    if not is_valid_email(email):
        raise ValidationFailed("Email is invalid")
    if await uow.accounts.user_by_email(email) is not None:
        raise ValidationFailed("Email has already been taken")
