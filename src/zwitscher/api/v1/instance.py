"""`/api/v1/instance` and `/api/v2/instance`: what clients read to learn our version and limits.

The version is a Mastodon version with our own after `+`, so client libraries (Mastodon.py
reads the major.minor.patch) enable the features we implement.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher import __version__
from zwitscher.api.deps import Origin, uows
from zwitscher.api.operations import declare
from zwitscher.api.responses import JSON
from zwitscher.domain import polls
from zwitscher.media.documents import CONTENT_TYPE as PDF
from zwitscher.media.images import SUPPORTED_TYPES
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.upload_media import MAX_DESCRIPTION
from zwitscher.settings import RegistrationMode

router = APIRouter()

MASTODON_VERSION = "4.5.0"
MASTODON_API_VERSION = 7
VERSION = f"{MASTODON_VERSION}+zwitscher-{__version__}"


class Rule(TypedDict):
    id: str
    text: str
    hint: str


class Stats(TypedDict):
    user_count: int
    status_count: int
    domain_count: int


class StatusLimits(TypedDict):
    max_characters: int
    max_media_attachments: int
    characters_reserved_per_url: int


class MediaLimits(TypedDict):
    supported_mime_types: list[str]
    image_size_limit: int
    image_matrix_limit: int
    video_size_limit: int
    video_frame_rate_limit: int
    video_matrix_limit: int
    description_limit: int


class PollLimits(TypedDict):
    max_options: int
    max_characters_per_option: int
    min_expiration: int
    max_expiration: int


class Configuration(TypedDict):
    urls: dict[str, str | None]
    accounts: dict[str, int]
    statuses: StatusLimits
    media_attachments: MediaLimits
    polls: PollLimits
    translation: dict[str, bool]
    vapid: dict[str, str]


class InstanceV1(TypedDict):
    uri: str
    title: str
    short_description: str
    description: str
    email: str
    version: str
    urls: dict[str, str]
    stats: Stats
    thumbnail: None
    languages: list[str]
    registrations: bool
    approval_required: bool
    invites_enabled: bool
    configuration: Configuration
    contact_account: None
    rules: list[Rule]


class Registrations(TypedDict):
    enabled: bool
    approval_required: bool
    reason_required: bool
    message: None
    min_age: None
    url: None


class Instance(TypedDict):
    domain: str
    title: str
    version: str
    source_url: str
    description: str
    usage: dict[str, dict[str, int]]
    thumbnail: dict[str, str]
    icon: list
    languages: list[str]
    api_versions: dict[str, int]
    configuration: Configuration
    registrations: Registrations
    contact: dict[str, str | None]
    rules: list[Rule]


async def _stats(request: Request) -> dict:
    async with uows(request).read() as uow:
        users, statuses = await uow.accounts.instance_counts()
    return {"user_count": users, "status_count": statuses, "domain_count": 0}


async def _vapid_key(request: Request) -> str:
    async with uows(request).read() as uow:
        return await uow.server_keys.public_key(VAPID_KEY)


def _configuration(settings, origin: str, vapid_key: str) -> dict:
    return {
        "urls": {"streaming": origin.replace("http", "ws", 1), "status": None},
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
        "statuses": {"max_characters": settings.max_characters,
                     "max_media_attachments": MAX_ATTACHMENTS, "characters_reserved_per_url": 23},
        "media_attachments": {"supported_mime_types": [*SUPPORTED_TYPES, PDF],
                              "image_size_limit": settings.max_media_bytes,
                              "image_matrix_limit": settings.max_media_pixels,
                              "video_size_limit": 0, "video_frame_rate_limit": 0,
                              "video_matrix_limit": 0, "description_limit": MAX_DESCRIPTION},
        "polls": {"max_options": polls.MAX_OPTIONS,
                  "max_characters_per_option": polls.MAX_OPTION_CHARS,
                  "min_expiration": settings.poll_min_expires_seconds,
                  "max_expiration": polls.MAX_EXPIRES_SECONDS},
        "translation": {"enabled": False},
        "vapid": {"public_key": vapid_key},
    }


@router.get("/api/v1/instance")
@declare(returns=InstanceV1)
async def instance_v1(request: Request, origin: Origin) -> JSON:
    settings = request.app.state.settings
    host = origin.split("://", 1)[1]
    return JSON({
        "uri": host,
        "title": settings.instance_title,
        "short_description": settings.instance_description,
        "description": settings.instance_description,
        "email": settings.contact_email,
        "version": VERSION,
        "urls": {"streaming_api": origin.replace("http", "ws", 1)},
        "stats": await _stats(request),
        "thumbnail": None,
        "languages": ["de", "en"],
        "registrations": settings.registrations != RegistrationMode.CLOSED,
        "approval_required": settings.registrations == RegistrationMode.APPROVAL,
        "invites_enabled": settings.registrations == RegistrationMode.INVITE,
        "configuration": _configuration(settings, origin, await _vapid_key(request)),
        "contact_account": None,
        "rules": _rules(settings),
    })


@router.get("/api/v2/instance")
@declare(returns=Instance)
async def instance_v2(request: Request, origin: Origin) -> JSON:
    settings = request.app.state.settings
    stats = await _stats(request)
    return JSON({
        "domain": origin.split("://", 1)[1],
        "title": settings.instance_title,
        "version": VERSION,
        "source_url": "https://example.invalid/zwitscher",
        "description": settings.instance_description,
        "usage": {"users": {"active_month": stats["user_count"]}},
        "thumbnail": {"url": f"{origin}/avatars/original/missing.png"},
        "icon": [],
        "languages": ["de", "en"],
        "api_versions": {"mastodon": MASTODON_API_VERSION},
        "configuration": _configuration(settings, origin, await _vapid_key(request)),
        "registrations": {
            "enabled": settings.registrations != RegistrationMode.CLOSED,
            "approval_required": settings.registrations == RegistrationMode.APPROVAL,
            "reason_required": settings.registrations == RegistrationMode.APPROVAL,
            "message": None, "min_age": None, "url": None},
        "contact": {"email": settings.contact_email, "account": None},
        "rules": _rules(settings),
    })


@router.get("/api/v1/instance/peers")
@declare(returns=list[str])
async def peers() -> JSON:
    return JSON([])


@router.get("/api/v1/instance/rules")
@declare(returns=list[Rule])
async def rules(request: Request) -> JSON:
    return JSON(_rules(request.app.state.settings))


def _rules(settings) -> list[dict]:
    """Mastodon's Rule entities: ids stay as the rules' places (an admin edits them as a list)."""
    return [{"id": str(number), "text": text, "hint": ""}
            for number, text in enumerate(settings.instance_rules, start=1)]


@router.head("/")
@declare(returns=str, media_type="text/plain")
async def root() -> Response:
    """Clients `HEAD /` to read the server's clock from the `Date` header (`GET /` is the web
    interface's start, or the dark site in a crisis)."""
    return Response("Zwitscher\n", media_type="text/plain")
