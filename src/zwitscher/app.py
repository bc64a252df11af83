"""The ASGI application: routes, error handling, and the lifespan of engine, broker and jobs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import FileResponse

from zwitscher import i18n
from zwitscher.api import health as health_routes
from zwitscher.api import oauth as oauth_routes
from zwitscher.api import openapi
from zwitscher.api.middleware import BodySizeLimit, RateLimit, RejectNul
from zwitscher.api.responses import client_language, error_response
from zwitscher.api.scim import discovery as scim_discovery
from zwitscher.api.scim import groups as scim_groups
from zwitscher.api.scim import search as scim_search
from zwitscher.api.scim import users as scim_users
from zwitscher.api.scim.common import is_scim_path, scim_error_for, scim_error_response
from zwitscher.api.v1 import (
    accounts,
    announcements,
    conversations,
    custom_emojis,
    discovery,
    domain_blocks,
    emails,
    endorsements,
    filters,
    instance,
    lists,
    media,
    notification_requests,
    notifications,
    polls,
    preferences,
    push,
    relationships,
    reports,
    scheduled_statuses,
    search,
    statuses,
    suggestions,
    tags,
    timelines,
)
from zwitscher.api.v2 import filters as filters_v2
from zwitscher.api.v2 import notifications as grouped_notifications
from zwitscher.api.zwitscher import accounts as own_accounts_routes
from zwitscher.api.zwitscher import admin as admin_routes
from zwitscher.api.zwitscher import analytics as analytics_routes
from zwitscher.api.zwitscher import announcements as admin_announcements_routes
from zwitscher.api.zwitscher import archive as archive_routes
from zwitscher.api.zwitscher import brands as brands_routes
from zwitscher.api.zwitscher import crises as crisis_routes
from zwitscher.api.zwitscher import crisis_setup as crisis_setup_routes
from zwitscher.api.zwitscher import custom_emojis as admin_custom_emojis_routes
from zwitscher.api.zwitscher import directory as directory_routes
from zwitscher.api.zwitscher import event_moderation as event_moderation_routes
from zwitscher.api.zwitscher import event_participants as event_participant_routes
from zwitscher.api.zwitscher import events as event_routes
from zwitscher.api.zwitscher import feeds as feeds_routes
from zwitscher.api.zwitscher import groups as groups_routes
from zwitscher.api.zwitscher import invitations as invitation_routes
from zwitscher.api.zwitscher import monitor_insights as monitor_insight_routes
from zwitscher.api.zwitscher import monitors as monitor_routes
from zwitscher.api.zwitscher import newsroom as newsroom_routes
from zwitscher.api.zwitscher import press_accreditation as press_accreditation_routes
from zwitscher.api.zwitscher import press_conferences as press_conference_routes
from zwitscher.api.zwitscher import press_releases as press_release_routes
from zwitscher.api.zwitscher import stories as story_routes
from zwitscher.db.engine import Database
from zwitscher.db.migrate import upgrade
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.errors import DomainError
from zwitscher.jobs.handlers import AT_ONCE, DELIVERIES, HANDLERS
from zwitscher.jobs.runner import JobRunner
from zwitscher.media.store import LocalMediaStore, create_media_store
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.configure_instance import keep_instance_current
from zwitscher.services.name_instance import name_instance
from zwitscher.services.oauth import OAuthError
from zwitscher.services.read_image import EMOJI_MAX_BYTES
from zwitscher.settings import Settings, load_settings
from zwitscher.streaming import endpoints as streaming_routes
from zwitscher.streaming.broker import (
    create_broker,
    publish_before_the_broker,
    watch_stale_caches,
)
from zwitscher.streaming.live_deliveries import LiveDeliveries
from zwitscher.timelines.feed_stores import close_feed_store, create_feed_store
from zwitscher.web import oauth_pages
from zwitscher.web.error_pages import WebErrorPages, crash_page, error_page, is_web_path
from zwitscher.web.guards import EarlyAnswer, send_early_answer
from zwitscher.web.pages import account_deletion as web_account_deletion_pages
from zwitscher.web.pages import admin as web_admin_pages
from zwitscher.web.pages import admin_announcements as web_admin_announcements_pages
from zwitscher.web.pages import admin_audit as web_admin_audit_pages
from zwitscher.web.pages import admin_brands as web_admin_brands_pages
from zwitscher.web.pages import admin_directory as web_admin_directory_pages
from zwitscher.web.pages import admin_emojis as web_admin_emojis_pages
from zwitscher.web.pages import admin_groups as web_admin_groups_pages
from zwitscher.web.pages import admin_instance as web_admin_instance_pages
from zwitscher.web.pages import admin_legal_holds as web_admin_legal_holds_pages
from zwitscher.web.pages import admin_people as web_admin_people_pages
from zwitscher.web.pages import admin_press_accreditations as web_admin_press_pages
from zwitscher.web.pages import admin_reports as web_admin_reports_pages
from zwitscher.web.pages import admin_retention as web_admin_retention_pages
from zwitscher.web.pages import analytics as web_analytics_pages
from zwitscher.web.pages import announcements as web_announcement_pages
from zwitscher.web.pages import app_manifest as web_app_manifest
from zwitscher.web.pages import archive as web_archive_pages
from zwitscher.web.pages import auth as web_auth_pages
from zwitscher.web.pages import confirm_email as web_confirm_pages
from zwitscher.web.pages import conversations as web_conversation_pages
from zwitscher.web.pages import crisis_desk as web_crisis_desk_pages
from zwitscher.web.pages import crisis_notices as web_crisis_notice_pages
from zwitscher.web.pages import crisis_setup as web_crisis_setup_pages
from zwitscher.web.pages import directory as web_directory_pages
from zwitscher.web.pages import drafts as web_draft_pages
from zwitscher.web.pages import event_invitations as web_event_invitation_pages
from zwitscher.web.pages import event_tools as web_event_tool_pages
from zwitscher.web.pages import events as web_event_pages
from zwitscher.web.pages import hashtags as web_hashtag_pages
from zwitscher.web.pages import home as web_home_pages
from zwitscher.web.pages import invite as web_invite_pages
from zwitscher.web.pages import link_clicks as web_link_click_pages
from zwitscher.web.pages import lists as web_list_pages
from zwitscher.web.pages import mail_links as web_mail_link_pages
from zwitscher.web.pages import monitor_insights as web_monitor_insight_pages
from zwitscher.web.pages import monitors as web_monitor_pages
from zwitscher.web.pages import newsroom as web_newsroom_pages
from zwitscher.web.pages import notifications as web_notification_pages
from zwitscher.web.pages import post_editing as web_post_editing_pages
from zwitscher.web.pages import press as web_press_pages
from zwitscher.web.pages import press_accreditation as web_accreditation_pages
from zwitscher.web.pages import press_conferences as web_press_conference_pages
from zwitscher.web.pages import profiles as web_profile_pages
from zwitscher.web.pages import public as web_public_pages
from zwitscher.web.pages import push as web_push_pages
from zwitscher.web.pages import reports as web_report_pages
from zwitscher.web.pages import safety as web_safety_pages
from zwitscher.web.pages import saved as web_saved_pages
from zwitscher.web.pages import search as web_search_pages
from zwitscher.web.pages import security as web_security_pages
from zwitscher.web.pages import settings as web_settings_pages
from zwitscher.web.pages import sign_up as web_sign_up_pages
from zwitscher.web.pages import single_sign_on as web_sso_pages
from zwitscher.web.pages import statuses as web_status_pages
from zwitscher.web.pages import stories as web_story_pages
from zwitscher.web.pages import story_pages as web_story_reading_pages
from zwitscher.web.pages import timelines as web_timeline_pages
from zwitscher.web.pages import wall as web_wall_pages
from zwitscher.web.security import HtmlSecurityHeaders

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or load_settings()
    media_store = create_media_store(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            await upgrade(settings)
        database = Database(settings)
        runner: JobRunner | None = None

        def wake_jobs() -> None:
            if runner is not None:
                runner.wake()

        uows = UnitsOfWork(database, publisher=publish_before_the_broker,
                           on_jobs_enqueued=wake_jobs, media_store=media_store)
        async with uows.write() as uow:
            namespace = await name_instance(uow)
        broker = create_broker(settings.redis_url, namespace=namespace)
        await broker.start()
        uows.publisher = broker.publish
        feeds = create_feed_store(settings, namespace=namespace)
        if feeds is not None:
            uows.on_feed_changes = feeds.apply
            uows.feeds_outlive_process = feeds.outlives_process
        uows.caches.share(settings, namespace=namespace)
        uows.throttle.share(settings.redis_url, namespace=namespace)
        instance_settings = await keep_instance_current(uows, settings)
        stale_caches = await watch_stale_caches(broker, uows.caches)
        if settings.run_jobs_in_process:
            runner = JobRunner(uows, handlers=HANDLERS, deliveries=DELIVERIES, at_once=AT_ONCE)
            runner.start()
        live_deliveries = LiveDeliveries(uows, every=settings.analytics_live_flush_seconds)
        live_deliveries.start()
        app.state.uows = uows
        app.state.broker = broker
        app.state.live_deliveries = live_deliveries
        app.state.feeds = feeds
        # What startup made (modules, routes, prepared statements) lives as long as the
        # process: the collector's full passes need not walk it again. Each held the event
        # loop for 30-130 ms while the caches filled (measured on the small benchmark).
        gc.freeze()
        try:
            yield
        finally:
            if runner is not None:
                await runner.stop()
            await live_deliveries.stop()
            stale_caches.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stale_caches
            instance_settings.cancel()
            await broker.stop()
            await close_feed_store(feeds)
            await uows.caches.close()
            await database.dispose()

    app = FastAPI(title="Zwitscher", version="0.1.0", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    openapi.install(app)
    app.state.settings = settings
    app.state.media_store = media_store
    # Routes are tried in this order, each costing FastAPI a few microseconds (a web profile
    # page at the end of the list paid 0.6 ms): what clients and people read most comes first,
    # after the instance's own (the benchmark's floor: no other route may be cheaper to find).
    # Notification requests before notifications: `/requests` is no notification id.
    # Web profiles before public pages: `/@name/followers` is no status id.
    for module in (instance, timelines, notification_requests, notifications, statuses,
                   accounts, relationships, preferences, oauth_routes, streaming_routes,
                   web_home_pages, web_timeline_pages, web_status_pages, web_post_editing_pages,
                   # safety before profiles: its POST /web/accounts/{id}/{action} takes any action.
                   web_safety_pages, web_report_pages, web_conversation_pages,
                   web_announcement_pages, web_draft_pages,
                   web_profile_pages,
                   web_public_pages, web_notification_pages, web_hashtag_pages,
                   web_crisis_notice_pages,
                   # setup before the desk: /web/crisis/{id} takes any segment.
                   web_crisis_setup_pages, web_crisis_desk_pages,
                   web_list_pages, web_monitor_pages, web_monitor_insight_pages,
                   web_story_pages,
                   web_story_reading_pages,
                   web_saved_pages, web_search_pages, web_auth_pages,
                   web_sso_pages, web_security_pages, web_mail_link_pages, web_confirm_pages,
                   web_link_click_pages, web_analytics_pages,
                   web_settings_pages, web_account_deletion_pages, web_invite_pages,
                   web_sign_up_pages, web_app_manifest,
                   web_push_pages, web_archive_pages, web_directory_pages,
                   # accreditation before the press room: /web/press/{id} takes any segment.
                   web_accreditation_pages, web_press_pages, web_press_conference_pages,
                   # invitations before events: /web/events/{id} takes any segment.
                   web_event_invitation_pages, web_event_pages, web_event_tool_pages,
                   web_wall_pages,
                   # the newsroom's feeds before its pages: /newsroom/{brand} takes `x.atom`.
                   newsroom_routes, web_newsroom_pages,
                   web_admin_pages, web_admin_people_pages, web_admin_groups_pages,
                   web_admin_brands_pages, web_admin_reports_pages,
                   web_admin_announcements_pages, web_admin_emojis_pages,
                   web_admin_instance_pages, web_admin_retention_pages, web_admin_audit_pages,
                   web_admin_directory_pages,
                   web_admin_legal_holds_pages, web_admin_press_pages,
                   search, oauth_pages, groups_routes, admin_routes,
                   discovery, feeds_routes, own_accounts_routes, archive_routes, story_routes,
                   directory_routes, press_release_routes, press_accreditation_routes,
                   press_conference_routes, crisis_routes, crisis_setup_routes,
                   event_routes, event_participant_routes, event_moderation_routes,
                   monitor_insight_routes, monitor_routes, analytics_routes,
                   scim_discovery, scim_users, scim_groups, scim_search, brands_routes,
                   domain_blocks,
                   reports, grouped_notifications, lists, conversations, media, polls,
                   scheduled_statuses, filters, filters_v2, push, tags, endorsements,
                   suggestions, announcements, admin_announcements_routes, custom_emojis,
                   admin_custom_emojis_routes, emails, invitation_routes, health_routes):
        app.include_router(module.router)
    if isinstance(media_store, LocalMediaStore):
        app.include_router(media.local_files)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/avatars/original/missing.png", include_in_schema=False)
    async def missing_avatar() -> FileResponse:
        return FileResponse(STATIC / "missing-avatar.png")

    @app.get("/headers/original/missing.png", include_in_schema=False)
    async def missing_header() -> FileResponse:
        return FileResponse(STATIC / "missing-header.png")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        # Browsers and feed readers ask here whatever the page links.
        return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon")

    _install_error_handlers(app)
    app.add_middleware(RateLimit, per_five_minutes=settings.rate_limit,
                       redis_url=settings.redis_url)
    # Uploads: room for the file and a little for the other fields and the multipart framing
    # (the file's own limit is checked as it is read); update_credentials takes two images.
    upload = settings.max_media_bytes + 64 * 1024
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes, larger={
        directory_routes.IMPORT_PATH: settings.max_import_bytes,
        crisis_setup_routes.IMPORT_PATH: crisis_setup_routes.MAX_CSV_BYTES + 64 * 1024,
        web_admin_groups_pages.IMPORT_PATH: settings.max_import_bytes,
        web_admin_groups_pages.APPLY_PATH: settings.max_import_bytes,
        **dict.fromkeys(media.UPLOAD_PATHS, upload),
        accounts.UPDATE_CREDENTIALS_PATH: upload + settings.max_media_bytes,
        web_settings_pages.PROFILE_PATH: upload + settings.max_media_bytes,
        # A post, a press release or a post from an event with its attachments, from the web.
        web_home_pages.COMPOSE_PATH: MAX_ATTACHMENTS * upload,
        web_press_pages.SAVE_PATH: MAX_ATTACHMENTS * upload,
        web_event_pages.COMPOSE_PATH: MAX_ATTACHMENTS * upload,
        web_crisis_setup_pages.IMPORT_PATH: web_crisis_setup_pages.MAX_CSV_BYTES + 64 * 1024,
        admin_custom_emojis_routes.PATH: EMOJI_MAX_BYTES + 64 * 1024,
        web_admin_emojis_pages.EMOJIS_PATH: EMOJI_MAX_BYTES + 64 * 1024})
    app.add_middleware(RejectNul)
    app.add_middleware(WebErrorPages)
    app.add_middleware(HtmlSecurityHeaders)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EarlyAnswer, send_early_answer)

    @app.exception_handler(OAuthError)
    async def oauth_error(_request: Request, exc: OAuthError):
        return error_response(exc.status_code, exc.message, exc.description)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        if _is_scim(request):
            return scim_error_for(exc)
        if is_web_path(request.url.path):
            return await error_page(request, exc.status_code, exc=exc)
        return error_response(exc.status_code,
                              i18n.api_message(exc, client_language(request)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])} {e['msg'].lower()}" for e in exc.errors()[:5])
        if _is_scim(request):
            return scim_error_response(400, "Validation failed: " + problems, "invalidSyntax")
        if is_web_path(request.url.path):
            return await error_page(request, 422)
        # Parameter names and types stay as they are: they are the API's, not sentences.
        return error_response(422, i18n.validation_failed(problems, client_language(request)))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        messages = {404: "Record not found", 405: "Method not allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        if _is_scim(request):
            return scim_error_response(exc.status_code, message)
        if is_web_path(request.url.path):
            return await error_page(request, exc.status_code)
        return error_response(exc.status_code,
                              i18n.api_text(message, client_language(request)))

    @app.exception_handler(ClientDisconnect)
    async def client_left(_request: Request, _exc: ClientDisconnect):
        # The client hung up before its request body arrived: nobody reads this answer, and
        # it is no fault of ours (the write never started).
        return error_response(400, "The client disconnected")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error", exc_info=exc)
        if _is_scim(request):
            return scim_error_response(500, "Internal server error")
        if is_web_path(request.url.path):
            return await crash_page(request)
        return error_response(500, "Internal server error")


def _is_scim(request: Request) -> bool:
    return is_scim_path(request.url.path)



