"""Browser sessions of the web interface: sign in, recognise, sign out.

A session is a random secret in an HttpOnly cookie; the database keeps its SHA-256 only. Each
session holds an OAuth token of the built-in web app, so a signed-in browser is a `Viewer` like
any API client: the same services, visibility rules and streams apply, and revoking the
person's tokens (disabling them) ends their browser sessions too.

A person whose account is scheduled for deletion gets no session: their right password (and
second factor) lets them keep the account at `KEEP_PATH`, which then signs them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import (
    Forbidden,
    NotFound,
    PasswordsTurnedOff,
    TooManyAttempts,
    Unauthorized,
)
from zwitscher.domain.roles import Actor, Role, parse_role
from zwitscher.services import oauth
from zwitscher.services.authenticate_user import authenticate_user
from zwitscher.services.cancel_account_deletion import cancel_account_deletion
from zwitscher.services.notice_new_sign_in import Visit, notice_new_sign_in
from zwitscher.services.secrets import digest, new_secret
from zwitscher.services.security_keys import check_security_key, sign_in_options
from zwitscher.services.two_factor import WrongCode, check_second_factor
from zwitscher.throttle import limit

WEB_CLIENT_ID = "zwitscher-web"
# Where a browser whose password was right gives its second factor.
CODE_PATH = "/web/sign-in/code"
# Where a browser whose password was right keeps an account scheduled for deletion.
KEEP_PATH = "/web/sign-in/keep"
WEB_SCOPES = "read write follow push"
# Writing `last_seen_at` on every page view would make each read a write.
TOUCH_AFTER = timedelta(minutes=5)
# How long a right password waits for its second factor, and for how many wrong codes.
CODE_WAIT = timedelta(minutes=5)
CODE_TRIES = 5
# Codes tried for one person (passwords: `ZWITSCHER_SIGN_IN_LIMIT_*`).
CODES_PER_PERSON = limit("10/15 minutes")


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    viewer: oauth.Viewer
    # `last_seen_at` is old enough to be written again (see `touch_web_session`).
    stale: bool
    # How the browser signed in (`web_sessions.method`).
    method: str
    # The person's user row, read with the session (never kept from one request to the next:
    # a changed role, language, time zone or disabled login shows on the next page).
    user: sa.Row


@dataclass(frozen=True, slots=True)
class PasswordSignIn:
    """The session's cookie secret; or None while the person's second factor is asked for, or
    (`keeping`) while they may keep their account, which is scheduled for deletion."""

    secret: str | None
    keeping: bool = False


@dataclass(frozen=True, slots=True)
class CodeSignIn:
    secret: str
    next_path: str


class WrongCredentials(Unauthorized):
    pass


class NoSignInWaiting(Unauthorized):
    def __init__(self) -> None:
        super().__init__("Your sign-in has expired: please enter your password again")


async def web_app_id(uow: UnitOfWork) -> int:
    app = await uow.oauth.app_by_client_id(WEB_CLIENT_ID)
    if app is not None:
        return app.id
    return await uow.oauth.create_app(
        name="Zwitscher web", website=None, redirect_uris=[oauth.OOB_REDIRECT],
        scopes=WEB_SCOPES, client_id=WEB_CLIENT_ID, client_secret_hash=digest(new_secret()))


async def start_web_session(uows: UnitsOfWork, *, login: str, password: str, visit: Visit,
                            next_path: str = "/web/home") -> PasswordSignIn:
    """Check the credentials and open a session, or, for a person with a second factor,
    remember for five minutes that this browser's password was right and ask for a code."""
    authenticated = await authenticate_user(uows, login=login, password=password,
                                            network_address=visit.network_address)
    if authenticated is None:
        raise WrongCredentials("Wrong login or password")
    user = authenticated.user
    async with uows.write() as uow:
        if await offer_to_keep_account(uow, user=user, browser_secret=visit.browser_secret,
                                       first_step=authenticated.method):
            return PasswordSignIn(None, keeping=True)
        oauth.check_user_may_sign_in(user)
        if user.totp_secret:
            await ask_for_second_factor(uow, user=user, browser_secret=visit.browser_secret,
                                        next_path=next_path, first_step=authenticated.method)
            return PasswordSignIn(None)
        return PasswordSignIn(await open_web_session(uow, user=user, visit=visit,
                                                     method=authenticated.method))


async def ask_for_second_factor(uow: UnitOfWork, *, user, browser_secret: str,
                                next_path: str, first_step: str) -> None:
    """Remember that this browser gave `user`'s right password (checked by `first_step`, as
    sessions record it): its code page finishes."""
    await uow.second_factors.start_pending(
        browser_hash=digest(browser_secret), user_id=user.id, next_path=next_path,
        first_step=first_step, expires_at=utcnow() + CODE_WAIT)


async def finish_web_session_with_code(uow: UnitOfWork, *, code: str,
                                       visit: Visit) -> CodeSignIn | None:
    """The second step: the code of the person whose password this browser gave. None: the
    code is wrong (counted, and kept, for the unit of work commits)."""
    pending = await _waiting_sign_in(uow, visit.browser_secret)
    proof = await _second_step(uow, pending, code)
    if proof is None:
        return None
    return await _finish_waiting_sign_in(uow, pending, visit, second_step=proof)


async def _second_step(uow: UnitOfWork, pending, code: str) -> str | None:
    """How the waiting person proved themselves with `code` (None: wrong, and counted)."""
    if not await uow.throttle.allow(CODES_PER_PERSON, "sign-in:code", f"user:{pending.id}"):
        raise TooManyAttempts()
    try:
        proof = await check_second_factor(uow, user=pending, code=code)
    except WrongCode:
        await uow.second_factors.count_failure(pending.pending_id)
        return None
    return proof.value


async def _waiting_sign_in(uow: UnitOfWork, browser_secret: str):
    """The person whose right password this browser gave, waiting for a second step."""
    pending = await uow.second_factors.pending_of(digest(browser_secret))
    if pending is None or pending.failures >= CODE_TRIES:
        raise NoSignInWaiting()
    return pending


async def _finish_waiting_sign_in(uow: UnitOfWork, pending, visit: Visit, *,
                                  second_step: str) -> CodeSignIn:
    oauth.check_user_may_sign_in(pending)
    if not await uow.second_factors.end_pending(pending.pending_id):
        raise NoSignInWaiting()
    secret = await open_web_session(uow, user=pending, visit=visit,
                                    method=f"{pending.first_step}+{second_step}")
    return CodeSignIn(secret, pending.next_path)


async def offer_to_keep_account(uow: UnitOfWork, *, user, browser_secret: str,
                                first_step: str) -> bool:
    """For a person whose account waits for its deletion, instead of a session: remember (as
    for a second factor) that this browser proved who they are, so that `KEEP_PATH` may
    cancel the deletion. False: no deletion waits (or it is under way, past keeping)."""
    deletion = await uow.account_deletions.get(user.account_id)
    if deletion is None or deletion.delete_at <= utcnow():
        return False
    await uow.second_factors.start_pending(
        browser_hash=digest(browser_secret), user_id=user.id, next_path=KEEP_PATH,
        first_step=first_step, expires_at=utcnow() + CODE_WAIT)
    return True


@dataclass(frozen=True, slots=True)
class AccountToKeep:
    delete_at: datetime
    # A person with a second factor gives a code to keep the account, as to sign in.
    needs_code: bool


async def account_to_keep(uow: UnitOfWork, *, browser_secret: str) -> AccountToKeep:
    pending = await _waiting_to_keep(uow, browser_secret)
    deletion = await uow.account_deletions.get(pending.account_id)
    if deletion is None:
        raise NoSignInWaiting()
    return AccountToKeep(deletion.delete_at, needs_code=bool(pending.totp_secret))


async def keep_account(uow: UnitOfWork, *, code: str, visit: Visit) -> CodeSignIn | None:
    """Cancel the deletion of the account whose password this browser gave and sign it in.
    None: the person's second factor code is wrong (counted, as at `CODE_PATH`)."""
    pending = await _waiting_to_keep(uow, visit.browser_secret)
    method = pending.first_step
    if pending.totp_secret:
        proof = await _second_step(uow, pending, code)
        if proof is None:
            return None
        method = f"{method}+{proof}"
    if not await uow.second_factors.end_pending(pending.pending_id):
        raise NoSignInWaiting()
    account = await uow.accounts.get(pending.account_id)
    actor = Actor(pending.account_id, parse_role(pending.role) or Role.MEMBER,
                  f"@{account.username}", method)
    await cancel_account_deletion(uow, actor=actor, account_id=pending.account_id)
    user = await uow.accounts.user_by_id(pending.id)
    oauth.check_user_may_sign_in(user)
    return CodeSignIn(await open_web_session(uow, user=user, visit=visit, method=method),
                      "/web/home")


async def _waiting_to_keep(uow: UnitOfWork, browser_secret: str):
    pending = await _waiting_sign_in(uow, browser_secret)
    if pending.next_path != KEEP_PATH:
        raise NoSignInWaiting()
    return pending


async def waiting_sign_in_has_keys(uow: UnitOfWork, *, browser_secret: str) -> bool:
    pending = await uow.second_factors.pending_of(digest(browser_secret))
    return pending is not None and bool(await uow.security_keys.of_user(pending.id))


async def key_options_for_waiting_sign_in(uow: UnitOfWork, *, browser_secret: str) -> str:
    """The challenge for the security keys of the person whose password this browser gave."""
    pending = await _waiting_sign_in(uow, browser_secret)
    return await sign_in_options(uow, browser_secret=browser_secret, user=pending)


async def finish_web_session_with_key(uow: UnitOfWork, *, answer: str,
                                      visit: Visit) -> CodeSignIn:
    """The second step with a security key instead of a code."""
    pending = await _waiting_sign_in(uow, visit.browser_secret)
    await check_security_key(uow, browser_secret=visit.browser_secret, answer=answer,
                             user=pending)
    return await _finish_waiting_sign_in(uow, pending, visit, second_step="key")


async def start_web_session_with_passkey(uow: UnitOfWork, *, answer: str, visit: Visit) -> str:
    """A sign-in with a passkey alone: the key is the person's, and its device checked that
    the person holds it (user verification)."""
    if not uow.settings.passwords_allowed:
        # The organisation signs people in through its provider only.
        raise PasswordsTurnedOff()
    user = await check_security_key(uow, browser_secret=visit.browser_secret, answer=answer)
    oauth.check_user_may_sign_in(user)
    return await open_web_session(uow, user=user, visit=visit, method="passkey")


async def open_web_session(uow: UnitOfWork, *, user, visit: Visit, method: str,
                           id_token: str | None = None) -> str:
    """A new session for a person who proved who they are by `method` (see the table); they
    hear of it by e-mail if the browser is new to them."""
    token_id = await uow.oauth.create_token(
        token_hash=digest(new_secret()), app_id=await web_app_id(uow), user_id=user.id,
        scopes=WEB_SCOPES)
    secret = new_secret()
    await uow.web_sessions.create(token_hash=digest(secret), user_id=user.id,
                                  oauth_token_id=token_id, user_agent=visit.user_agent,
                                  method=method, id_token=id_token)
    await notice_new_sign_in(uow, user=user, visit=visit)
    return secret


async def find_web_session(uow: UnitOfWork, *, secret: str) -> WebSession | None:
    """The live session for a cookie, or None (unknown, signed out, revoked, disabled)."""
    row = await uow.web_sessions.with_user(digest(secret)) if secret else None
    if row is None:
        return None
    try:
        viewer = oauth.viewer_of_token(await uow.oauth.token_with_user_by_id(row.oauth_token_id))
    except (Unauthorized, Forbidden):
        return None
    return WebSession(row.session_id, viewer, stale=utcnow() - row.last_seen_at > TOUCH_AFTER,
                      method=row.method, user=row)


async def touch_web_session(uow: UnitOfWork, *, session: WebSession) -> None:
    await uow.web_sessions.touch(session.id)


async def end_web_session(uow: UnitOfWork, *, secret: str) -> str | None:
    """Sign the browser out; returns the ID token of a single sign-on's session, with which
    the browser signs out at the provider too."""
    row = await uow.web_sessions.by_token_hash(digest(secret)) if secret else None
    if row is None:
        return None
    await _end(uow, row)
    return row.id_token


async def list_web_sessions(uow: UnitOfWork, *, user_id: int) -> list[sa.Row]:
    """A person's signed-in browsers, the most recently active first."""
    return await uow.web_sessions.of_user(user_id)


async def end_other_web_session(uow: UnitOfWork, *, user_id: int, current_session_id: int,
                                session_id: int) -> None:
    """Sign out one of the person's other browsers. Another person's session is as unknown
    as one that never existed; ending this browser's own is what signing out is for."""
    row = next((row for row in await uow.web_sessions.of_user(user_id)
                if row.id == session_id and row.id != current_session_id), None)
    if row is None:
        raise NotFound()
    await _end(uow, row)


async def end_other_web_sessions(uow: UnitOfWork, *, user_id: int,
                                 current_session_id: int) -> int:
    """Sign out every browser of the person but this one; returns how many ended."""
    others = [row for row in await uow.web_sessions.of_user(user_id)
              if row.id != current_session_id]
    for row in others:
        await _end(uow, row)
    return len(others)


async def _end(uow: UnitOfWork, row: sa.Row) -> None:
    token = await uow.oauth.token_with_user_by_id(row.oauth_token_id)
    await uow.oauth.revoke_token_by_id(row.oauth_token_id)
    # The browser's Web Push subscription belongs to the session's token and ends with it.
    await uow.push_subscriptions.delete_for_tokens([row.oauth_token_id])
    await uow.web_sessions.delete(row.id)
    if token is not None:
        # The page's live stream must end now, not at its next reconnect.
        uow.publish(home_channel(token.account_id), Event.SESSION_REVOKED, None, token_id=token.id)
