"""Single sign-on with the organisation's OpenID Connect provider (docs/identity.md).

`begin_provider_sign_in` remembers a new attempt for this browser (a random `state`, `nonce`
and PKCE verifier) and returns the provider's page to send it to. `finish_provider_sign_in`
takes the browser back: the attempt must be this browser's, unused and fresh; the code is
exchanged and the ID token checked (`zwitscher.oidc`); then the person is found:
1. by the provider's `sub`, once linked;
2. else by e-mail address, but only when the provider vouches for it (`email_verified`, or
   the operator trusts the provider's addresses): someone who merely *claims* an address
   must not take over the account that has it;
3. else a new account is made, if the operator allows it (a verified address is required:
   e-mail reaches people at their address, never at one someone else chose for them).
The provider's groups then decide the person's managed groups and role (`apply_provider_groups`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Conflict, DomainError, Forbidden, Unauthorized
from zwitscher.domain.roles import SINGLE_SIGN_ON
from zwitscher.oidc import Identity, OpenIdClient, ProviderRefused, ProviderUnavailable
from zwitscher.services.apply_provider_groups import apply_provider_groups
from zwitscher.services.notice_new_sign_in import Visit
from zwitscher.services.oauth import check_user_may_sign_in
from zwitscher.services.provision_person import add_member_without_password
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import is_valid_email
from zwitscher.services.secrets import digest, new_secret
from zwitscher.services.web_sessions import KEEP_PATH, offer_to_keep_account, open_web_session

CALLBACK_PATH = "/web/sign-in/sso/callback"
ATTEMPT_LIFETIME = timedelta(minutes=15)
HOME_PATH = "/web/home"
log = logging.getLogger(__name__)


class SignInFailed(Unauthorized):
    """The provider's answer was refused; the log says why, the person is asked to retry."""

    def __init__(self) -> None:
        super().__init__("Single sign-on did not work: please try again")


class ProviderNotReachable(DomainError):
    status_code = 503

    def __init__(self) -> None:
        super().__init__("The sign-in service cannot be reached: please try again later")


@dataclass(frozen=True, slots=True)
class ProviderSignIn:
    # None: the account is scheduled for deletion; `next_path` is where it may be kept.
    secret: str | None
    next_path: str


def callback_url(base_url: str) -> str:
    return base_url.rstrip("/") + CALLBACK_PATH


def our_path(path: str | None) -> str:
    """`path` if it is a path of this site (never an open redirect), else the home page."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return HOME_PATH
    parts = urlsplit(path)
    return path if not parts.scheme and not parts.netloc and len(path) <= 2000 else HOME_PATH


async def begin_provider_sign_in(uows: UnitsOfWork, client: OpenIdClient, *,
                                 browser_secret: str, next_path: str | None) -> str:
    """Where to send the browser: the provider's sign-in page for a new attempt."""
    state, nonce, verifier = new_secret(), new_secret(), new_secret()
    try:
        url = await client.authorization_url(
            redirect_uri=callback_url(uows.settings.base_url), state=state, nonce=nonce,
            code_verifier=verifier)
    except (ProviderUnavailable, ProviderRefused) as exc:
        log.warning("single sign-on: the provider cannot be used: %s", exc)
        raise ProviderNotReachable() from exc
    async with uows.write() as uow:
        await uow.identities.start_attempt(
            state_hash=digest(state), browser_hash=digest(browser_secret), nonce=nonce,
            code_verifier=verifier, next_path=our_path(next_path),
            expires_at=utcnow() + ATTEMPT_LIFETIME)
    return url


async def finish_provider_sign_in(uows: UnitsOfWork, client: OpenIdClient, *, state: str,
                                  code: str, visit: Visit) -> ProviderSignIn:
    """Sign the browser in with the provider's answer; returns its session's secret."""
    async with uows.write() as uow:
        attempt = await uow.identities.take_attempt(digest(state)) if state else None
    if attempt is None or attempt.browser_hash != digest(visit.browser_secret) or not code:
        # Forged, replayed, expired, or begun in another browser (someone's link).
        log.warning("single sign-on refused: unknown, used or foreign state")
        raise SignInFailed()
    try:
        identity = await client.identify(code=code, code_verifier=attempt.code_verifier,
                                         redirect_uri=callback_url(uows.settings.base_url),
                                         nonce=attempt.nonce)
    except ProviderRefused as exc:
        log.warning("single sign-on refused: %s", exc)
        raise SignInFailed() from exc
    except ProviderUnavailable as exc:
        log.warning("single sign-on: the provider cannot be used: %s", exc)
        raise ProviderNotReachable() from exc
    async with uows.write() as uow:
        user = await _person(uow, identity)
        if await offer_to_keep_account(uow, user=user, browser_secret=visit.browser_secret,
                                       first_step="sso"):
            return ProviderSignIn(None, KEEP_PATH)
        check_user_may_sign_in(user)
        claim = uows.settings.oidc_groups_claim
        await apply_provider_groups(
            uow, actor=SINGLE_SIGN_ON, user=user,
            groups=identity.names(claim) if claim in identity.claims else None,
            roles=uows.settings.oidc_roles)
        secret = await open_web_session(uow, user=user, visit=visit,
                                        method="sso", id_token=identity.id_token)
    return ProviderSignIn(secret, attempt.next_path)


async def _person(uow: UnitOfWork, identity: Identity):
    user = await uow.identities.user_of(identity.issuer, identity.subject)
    if user is not None:
        await uow.identities.touch(identity.issuer, identity.subject)
        return user
    email = identity.email
    verified = email is not None and identity.email_verified(
        trusted=uow.settings.oidc_trust_email)
    existing = await uow.accounts.user_by_email(email) if email else None
    if existing is not None and not verified:
        raise Conflict("An account with your e-mail address exists, but your sign-in service "
                       "has not confirmed the address: ask an admin to link your account")
    user = existing or await _new_person(uow, identity, verified=verified)
    await uow.identities.link(user_id=user.id, issuer=identity.issuer, subject=identity.subject)
    account = await uow.accounts.get(user.account_id)
    await record_audit(uow, actor=SINGLE_SIGN_ON, action="account.identity_linked",
                       target_type="account", target_id=user.account_id,
                       username=account.username if account else None,
                       issuer=identity.issuer, subject=identity.subject,
                       created=existing is None)
    return user


async def _new_person(uow: UnitOfWork, identity: Identity, *, verified: bool):
    if not uow.settings.oidc_create_accounts:
        raise Forbidden("There is no account for you here yet: ask an admin to add you")
    email = identity.email
    if not verified or email is None or not is_valid_email(email):
        raise Forbidden("Your sign-in service has not confirmed your e-mail address: "
                        "ask an admin to add you")
    wanted = identity.claims.get("preferred_username")
    name = identity.claims.get("name")
    _, user_id = await add_member_without_password(
        uow, name_from=wanted if isinstance(wanted, str) and wanted else email, email=email,
        display_name=name if isinstance(name, str) else "")
    locale = i18n.supported(str(identity.claims.get("locale") or ""))
    if locale:
        await uow.accounts.update_user(user_id, locale=locale)
    return await uow.accounts.user_by_id(user_id)
