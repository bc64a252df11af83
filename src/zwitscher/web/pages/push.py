"""Web Push from the browser: the service worker, and turning notifications on for a device.

A push subscription belongs to an access token (Mastodon's rule); a browser's is its session's
own token, so the session subscribes through these routes with the services the API's
`/api/v1/push/subscription` uses, and no token ever reaches JavaScript:

- `GET /sw.js`: the service worker (root scope), which shows what a push carries and opens the
  notifications page when one is clicked;
- `GET /web/settings/notifications`: the state of this browser, what to be notified of;
- `POST /web/push/subscription`: `web.js` sends the browser's `PushSubscription` (JSON, with
  the page's CSRF token) after `PushManager.subscribe`; a browser without JavaScript or Push
  cannot subscribe, and the page says why;
- `POST /web/push/alerts`, `POST /web/push/subscription/delete`: plain forms (no JS needed)
  changing what is pushed, and turning it off for this browser.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, JSONResponse, Response

from zwitscher import i18n
from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.policies.push import ALERTS, POLICIES, permitted_alerts
from zwitscher.services.change_push_alerts import change_push_alerts
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.subscribe_push import subscribe_push
from zwitscher.services.unsubscribe_push import unsubscribe_push
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn, SignedInFetch
from zwitscher.web.pages.invite import shows_invite_link

router = APIRouter()

PAGE = "/web/settings/notifications"
SERVICE_WORKER = Path(__file__).parent.parent / "static" / "sw.js"
# "none" is left out of the choices: "Turn off" says that more plainly.
OFFERED_POLICIES = tuple(policy for policy in POLICIES if policy != "none")
NOTICES = ("on", "off", "saved")


@router.get("/sw.js", include_in_schema=False)
async def service_worker() -> Response:
    """At the root, so its scope may be the whole site; revalidated on every check, so a new
    version reaches browsers at once."""
    return FileResponse(SERVICE_WORKER, media_type="text/javascript",
                        headers={"Cache-Control": "no-cache"})


def _offered(browser: Browser) -> tuple[str, ...]:
    """The alerts this person may ask for (moderators also sign-ups and reports)."""
    allowed = permitted_alerts(dict.fromkeys(ALERTS, True), role=browser.session.viewer.role)
    return tuple(name for name in ALERTS if allowed[name])


async def _page(browser: Browser, *, notice: str | None = None, error: str | None = None,
                status_code: int = 200) -> Response:
    viewer = browser.session.viewer
    async with uows(browser.request).read() as uow:
        subscription = await uow.push_subscriptions.for_token(viewer.token_id)
        server_key = await uow.server_keys.public_key(VAPID_KEY)
        invite_link = await shows_invite_link(uow, browser)
    offered = _offered(browser)
    chosen = ({name for name, on in subscription.alerts.items() if on} if subscription
              else set(offered))
    return browser.render(
        "settings_notifications.html", status_code=status_code, may_invite=invite_link,
        subscription=subscription, server_key=server_key, offered=offered, chosen=chosen,
        policies=OFFERED_POLICIES, policy=subscription.policy if subscription else "all",
        service_host=urlsplit(subscription.endpoint).hostname if subscription else None,
        notice=notice if notice in NOTICES else None, error=error)


@router.get(PAGE, include_in_schema=False)
async def notification_settings(browser: SignedIn) -> Response:
    return await _page(browser, notice=browser.request.query_params.get("done"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _answer(browser: Browser, body: dict, status_code: int = 200) -> Response:
    response = JSONResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})
    browser.set_cookies(response)
    return response


def _refusal(browser: Browser, reason: str, status_code: int) -> Response:
    """An RFC 9457 problem for web.js to show: `application/problem+json`, which the web's
    error pages (`WebErrorPages`, replacing JSON errors on web paths) leave as it is."""
    response = _answer(browser, {"status": status_code, "detail": reason}, status_code)
    response.headers["Content-Type"] = "application/problem+json"
    return response


@router.post("/web/push/subscription", include_in_schema=False)
async def subscribe(request: Request, browser: SignedInFetch) -> Response:
    """`{"csrf", "subscription": PushSubscription.toJSON(), "alerts": [names], "policy"}`;
    answers JSON, or a problem (`detail`: the reason) when refused, with nothing stored."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    if not browser.form_is_genuine({"csrf": _text(body.get("csrf"))}):
        return _refusal(browser, i18n.translations(browser.language).gettext(
            "For your safety nothing was changed. Please go back, reload the page and send "
            "the form again."), 403)
    subscription = body.get("subscription") if isinstance(body.get("subscription"), dict) else {}
    keys = subscription.get("keys") if isinstance(subscription.get("keys"), dict) else {}
    alerts = body.get("alerts") if isinstance(body.get("alerts"), list) else []
    try:
        async with uows(request).write() as uow:
            row = await subscribe_push(
                uow, viewer=browser.session.viewer, access_token="",
                endpoint=_text(subscription.get("endpoint")), p256dh=_text(keys.get("p256dh")),
                auth=_text(keys.get("auth")), standard=True,
                alerts={name: True for name in alerts if isinstance(name, str)},
                policy=_text(body.get("policy")) or "all")
    except DomainError as exc:
        return _refusal(browser, browser.explain(exc), exc.status_code)
    return _answer(browser, {"enabled": True, "alerts": dict(row.alerts), "policy": row.policy})


@router.post("/web/push/alerts", include_in_schema=False)
async def change_alerts(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    chosen = (await request.form()).getlist("alert")
    try:
        async with uows(request).write() as uow:
            await change_push_alerts(uow, viewer=browser.session.viewer,
                                     alerts={name: True for name in chosen
                                             if isinstance(name, str)},
                                     policy=form.get("policy", "all"))
    except NotFound:
        return await _page(browser, error="off", status_code=409)
    except DomainError as exc:
        return await _page(browser, error=browser.explain(exc), status_code=exc.status_code)
    return browser.redirect(f"{PAGE}?done=saved")


@router.post("/web/push/subscription/delete", include_in_schema=False)
async def unsubscribe(request: Request, browser: SignedIn, _form: GenuineForm) -> Response:
    async with uows(request).write() as uow:
        await unsubscribe_push(uow, viewer=browser.session.viewer)
    return browser.redirect(f"{PAGE}?done=off")
