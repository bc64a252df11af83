"""Who is at the browser (session, language, CSRF secret) and how pages are rendered for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from zwitscher import i18n
from zwitscher.api.deps import origin, uows
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.domain.errors import DomainError
from zwitscher.domain.link_clicks import through_redirect
from zwitscher.domain.roles import is_insider
from zwitscher.policies.console import opens_console
from zwitscher.policies.crises import works_crisis_desk
from zwitscher.services.count_unread_conversations import count_unread_conversations
from zwitscher.services.follow_link import link_click_key
from zwitscher.services.group_notifications import count_unread
from zwitscher.services.notice_new_sign_in import Visit
from zwitscher.services.react_to_announcement import announcements_to_show
from zwitscher.services.secrets import new_secret
from zwitscher.services.show_crisis import open_crises_of
from zwitscher.services.web_sessions import WebSession, find_web_session, touch_web_session
from zwitscher.settings import Settings
from zwitscher.web.security import csrf_matches, csrf_token
from zwitscher.web.text import initials

SESSION_COOKIE = "zw_session"
ANONYMOUS_COOKIE = "zw_anon"
LANGUAGE_COOKIE = "zw_lang"

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates" / "web"),
    autoescape=select_autoescape(default=True, default_for_string=True))
# A stored moment (UTC) as HTML's `datetime` attribute wants it.
templates.filters["iso"] = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""
templates.filters["initials"] = initials
# Whether `internal` posts are for a role: the compose form offers only what `post_status` allows.
templates.globals["is_insider"] = is_insider


@pass_context
def _tracked_links(context, content_html: str, status_id: int) -> str:
    """A status's links as the web interface shows them: through our counting redirect."""
    key = context["browser"].link_key
    return through_redirect(content_html, key=key, status_id=status_id) if key else content_html


templates.filters["tracked_links"] = _tracked_links
# The navigation's unread badge counts no further than this ("99+").
UNREAD_BADGE_LIMIT = 100


@dataclass
class Browser:
    request: Request
    session: WebSession | None
    user: sa.Row | None
    account: sa.Row | None
    language: str
    # The cookie secret the CSRF token derives from: the session's, or an anonymous one.
    secret: str
    cookies_to_set: dict[str, str] = field(default_factory=dict)
    # Whether the navigation offers the administration console.
    opens_console: bool = False
    # What the layout shows a signed-in person on every page: the announcements not yet
    # dismissed (a banner) and the unread notifications (a badge, at most UNREAD_BADGE_LIMIT).
    announcements: list[sa.Row] = field(default_factory=list)
    unread_notifications: int = 0
    unread_conversations: int = 0
    # The open crises the person is in the audience of: a banner on every page until closed.
    crises: list[sa.Row] = field(default_factory=list)
    # Whether the navigation offers the crisis desk.
    crisis_desk: bool = False
    # What links in posts are signed with (`domain/link_clicks.py`).
    link_key: bytes = b""

    @property
    def settings(self) -> Settings:
        return self.request.app.state.settings

    @property
    def csrf(self) -> str:
        return csrf_token(self.secret)

    def form_is_genuine(self, form: dict) -> bool:
        return csrf_matches(self.secret, form.get("csrf"))

    def render_text(self, name: str, **context) -> str:
        """A template rendered for this browser (its language, time zone, CSRF secret): a
        page's text, or a fragment a stream sends."""
        catalog = i18n.translations(self.language)

        def translate(message: str, **variables) -> str:
            text = catalog.gettext(message)
            return text % variables if variables else text

        def translate_plural(singular: str, plural: str, number: int, /, **variables) -> str:
            return catalog.ngettext(singular, plural, number) % variables

        return templates.get_template(name).render(
            _=translate, gettext=translate, ngettext=translate_plural,
            lang=self.language, browser=self,
            fmt=i18n.Formatter(self.language, self.user.time_zone if self.user else None),
            origin=origin(self.request), path=self.request.url.path, **context)

    def render(self, name: str, *, status_code: int = 200, **context) -> Response:
        page = self.render_text(name, **context)
        response = HTMLResponse(page, status_code=status_code,
                                headers={"Cache-Control": "no-store"})
        self.set_cookies(response)
        return response

    def explain(self, exc: DomainError) -> str:
        """A service's error message in this browser's language."""
        return i18n.explain(exc, self.language)

    def problem(self, exc: DomainError) -> Response:
        """A service's refusal as a page: "not found" for a 404 (which says nothing about
        whether it exists), otherwise its reason in this browser's language."""
        message = "not found" if exc.status_code == 404 else self.explain(exc)
        return self.render("problem.html", status_code=exc.status_code, message=message)

    def not_found(self) -> Response:
        return self.render("problem.html", status_code=404, message="not found")

    def redirect(self, url: str) -> Response:
        response = RedirectResponse(url, status_code=303)
        self.set_cookies(response)
        return response

    def set_cookies(self, response: Response) -> None:
        for name, value in self.cookies_to_set.items():
            set_cookie(self.request, response, name, value)


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    if not value:
        response.delete_cookie(name, path="/", httponly=True, samesite="lax")
        return
    response.set_cookie(name, value, path="/", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", max_age=60 * 60 * 24 * 365)


def guess_language(request: Request, user: sa.Row | None) -> str:
    if user is not None and (chosen := i18n.supported(user.locale)):
        return chosen
    return (i18n.supported(request.cookies.get(LANGUAGE_COOKIE))
            or i18n.from_accept_language(request.headers.get("accept-language", ""))
            or i18n.DEFAULT_LANGUAGE)


async def browser(request: Request) -> Browser:
    secret = request.cookies.get(SESSION_COOKIE, "")[:100]
    session = user = account = None
    console = desk = False
    announcements: list[sa.Row] = []
    crises: list[sa.Row] = []
    unread = unread_conversations = 0
    async with uows(request).read() as uow:
        if secret:
            session = await find_web_session(uow, secret=secret)
        if session is not None:
            user = session.user
            account = await uow.accounts.get(session.viewer.account_id)
            if _draws_layout(request):
                # What only the layout shows: cards, streams and fetched forms skip it.
                console = await opens_console(uow, account_id=account.id, role=user.role)
                desk = works_crisis_desk(user.role)
                announcements = await announcements_to_show(uow, account_id=account.id)
                unread = await count_unread(uow, viewer_id=account.id,
                                            what=NotificationFilter(), grouped_types=None,
                                            limit=UNREAD_BADGE_LIMIT)
                unread_conversations = await count_unread_conversations(
                    uow, viewer_id=account.id, limit=UNREAD_BADGE_LIMIT)
                crises = await open_crises_of(uow, account_id=account.id)
    if session is not None and session.stale:
        async with uows(request).write() as uow:
            await touch_web_session(uow, session=session)
    cookies: dict[str, str] = {}
    if session is None:
        if secret:
            cookies[SESSION_COOKIE] = ""
        secret = request.cookies.get(ANONYMOUS_COOKIE, "")[:100]
        if len(secret) < 32:
            secret = cookies[ANONYMOUS_COOKIE] = new_secret()
    return Browser(request, session, user, account, guess_language(request, user), secret,
                   cookies, console, announcements, unread, unread_conversations, crises,
                   crisis_desk=desk, link_key=await _link_key(request))


async def _link_key(request: Request) -> bytes:
    """The link secret never changes: each process reads it once."""
    key = getattr(request.app.state, "link_click_key", None)
    if key is None:
        async with uows(request).write() as uow:
            key = request.app.state.link_click_key = await link_click_key(uow)
    return key


def _draws_layout(request: Request) -> bool:
    """Whether the answer may be a page in the layout: not what web.js fetches (cards,
    streams, form actions), which the browser labels `Sec-Fetch-Dest: empty`."""
    return request.headers.get("sec-fetch-dest", "document") in ("document", "iframe")


CurrentBrowser = Annotated[Browser, Depends(browser)]


def visit_of(browser: Browser) -> Visit:
    """The browser as a sign-in sees it (before it is signed in: its anonymous secret)."""
    request = browser.request
    return Visit(browser_secret=browser.secret,
                 user_agent=request.headers.get("user-agent", "")[:300],
                 network_address=request.client.host if request.client else "unknown")

