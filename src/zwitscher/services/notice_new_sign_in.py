"""An e-mail when an account signs in from a browser it never signed in from before: the
person learns at once when someone else has their password (docs/identity.md). A browser is
known by its anonymous cookie; the first browser of an account is news to nobody."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.user_agents import describe_user_agent
from zwitscher.services.mail_links import unsubscribe_path
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.secrets import digest

SESSIONS_PATH = "/web/settings/sessions"


@dataclass(frozen=True, slots=True)
class Visit:
    """The browser that signs in: its cookie secret, User-Agent and network address."""

    browser_secret: str
    user_agent: str
    network_address: str


async def notice_new_sign_in(uow: UnitOfWork, *, user, visit: Visit) -> None:
    had_browsers = await uow.known_browsers.count_of(user.id) > 0
    is_new = await uow.known_browsers.remember(user.id,
                                               digest(f"browser:{visit.browser_secret}"))
    if not (is_new and had_browsers and user.notify_new_sign_in):
        return
    account = await uow.accounts.get(user.account_id)
    language = i18n.supported(user.locale) or i18n.DEFAULT_LANGUAGE
    await queue_mail(uow, kind="new_sign_in", to=user.email,
                     name=account.display_name or account.username, language=language,
                     username=account.username, device=_device(visit.user_agent, language),
                     when=i18n.Formatter(language).datetime(utcnow()) + " UTC",
                     address=visit.network_address, path=SESSIONS_PATH,
                     unsubscribe_path=await unsubscribe_path(uow, user_id=user.id,
                                                             kind="new_sign_in"))


def _device(user_agent: str, language: str) -> str:
    """As the sessions page names it."""
    device = describe_user_agent(user_agent)
    catalog = i18n.translations(language)
    if device.browser and device.system:
        return catalog.gettext("%(browser)s on %(system)s") % {
            "browser": device.browser, "system": device.system}
    return device.browser or device.system or device.raw or catalog.gettext("Unknown browser")


async def choose_sign_in_notices(uow: UnitOfWork, *, user_id: int, wanted: bool) -> None:
    await uow.accounts.update_user(user_id, notify_new_sign_in=wanted)
