from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

import sqlalchemy as sa

from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import absolutize, iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, account_texts, emoji_index
from zwitscher.api.presenters.filters import present_filter_result
from zwitscher.api.presenters.groups import present_group_ref
from zwitscher.api.presenters.media import present_media
from zwitscher.api.presenters.polls import add_poll_emojis, poll_texts, present_polls
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import FilterMatcher, searchable_text
from zwitscher.domain.visibility import MASTODON_EQUIVALENT, Visibility


@dataclass(slots=True)
class _Loaded:
    statuses: dict[int, sa.Row] = field(default_factory=dict)
    accounts: dict[int, sa.Row] = field(default_factory=dict)
    mentions: dict[int, list[int]] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    apps: dict[int, sa.Row] = field(default_factory=dict)
    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)
    groups_of: dict[int, list[int]] = field(default_factory=dict)
    groups: dict[int, sa.Row] = field(default_factory=dict)
    media: dict[int, list[sa.Row]] = field(default_factory=dict)
    polls: dict[int, dict] = field(default_factory=dict)
    emojis: EmojiIndex = field(default_factory=EmojiIndex)
    # The viewer's filters (loaded once for all statuses), None without a viewer.
    filters: FilterMatcher | None = None
    now: datetime = field(default_factory=utcnow)


async def _load(uow: UnitOfWork, rows: list[sa.Row], viewer_id: int | None,
                filter_context: str | None, origin: str) -> _Loaded:
    loaded = _Loaded(statuses={row.id: row for row in rows})
    reblogged_ids = {row.reblog_of_id for row in rows if row.reblog_of_id} - set(loaded.statuses)
    loaded.statuses.update(await uow.statuses.get_many(reblogged_ids))
    ids = list(loaded.statuses)
    loaded.mentions, loaded.tags = await uow.statuses.mentions_and_tags_of(ids)
    loaded.media = await uow.media.of_statuses(ids)
    loaded.polls = await present_polls(uow, loaded.statuses, viewer_id)
    account_ids = {s.account_id for s in loaded.statuses.values()}
    account_ids.update(s.posted_by_id for s in loaded.statuses.values() if s.posted_by_id)
    addressed = [s.id for s in loaded.statuses.values() if s.visibility == Visibility.GROUP]
    if addressed:
        loaded.groups_of = await uow.statuses.groups_of_statuses(addressed)
        loaded.groups = await uow.groups.get_many(
            {g for ids in loaded.groups_of.values() for g in ids})
    account_ids.update(a for mentioned in loaded.mentions.values() for a in mentioned)
    loaded.accounts = await uow.accounts.get_many(account_ids)
    loaded.emojis = await emoji_index(uow, _texts(loaded), origin)
    for poll in loaded.polls.values():
        add_poll_emojis(poll, loaded.emojis)
    loaded.apps = await uow.oauth.apps({s.application_id for s in loaded.statuses.values()
                                        if s.application_id})
    if viewer_id is not None:
        marks = await uow.interactions.marks_of(viewer_id, ids)
        loaded.favourited, loaded.bookmarked = marks["favourite"], marks["bookmark"]
        loaded.pinned, loaded.reblogged = marks["pin"], marks["reblog"]
        loaded.filters = FilterMatcher(await uow.filters.of(viewer_id, active_at=loaded.now),
                                       filter_context)
    return loaded


def _texts(loaded: _Loaded) -> Iterator[str]:
    """All the page's text that may use custom emojis, for one query: the statuses and their
    authors (mentioned accounts are shown by name only)."""
    presented = set()
    for status in loaded.statuses.values():
        yield status.text
        yield status.spoiler_text
        presented.update((status.account_id, status.posted_by_id))
    yield from account_texts(loaded.accounts[a] for a in presented if a in loaded.accounts)
    yield from poll_texts(loaded.polls.values())


def _filtered(status: sa.Row, loaded: _Loaded, viewer_id: int) -> list[dict]:
    """The viewer's filters this status (or the one it reblogs) matches; never for the
    viewer's own posts (as Mastodon's apps leave those unfiltered)."""
    proper = loaded.statuses.get(status.reblog_of_id) if status.reblog_of_id else status
    if not loaded.filters or proper is None or proper.account_id == viewer_id:
        return []
    poll = loaded.polls.get(proper.id)
    text = searchable_text(
        text=proper.text, spoiler_text=proper.spoiler_text,
        poll_options=[option["title"] for option in poll["options"]] if poll else (),
        media_descriptions=[m.description for m in loaded.media.get(proper.id, [])])
    ids = [status.id, status.reblog_of_id] if status.reblog_of_id else [status.id]
    return [present_filter_result(match)
            for match in loaded.filters.match(text=text, status_ids=ids, now=loaded.now)]


def hidden_by_filter(entity: dict) -> bool:
    """Whether a presented status matched one of the viewer's `hide` filters: lists in the
    filter's context leave it out."""
    return any(result["filter"]["filter_action"] == "hide"
               for result in entity.get("filtered", ()))


def _entity(status: sa.Row, loaded: _Loaded, origin: str, viewer_id: int | None) -> dict:
    author = loaded.accounts[status.account_id]
    reblog = None
    if status.reblog_of_id is not None:
        original = loaded.statuses.get(status.reblog_of_id)
        reblog = _entity(original, loaded, origin, viewer_id) if original else None
    app = loaded.apps.get(status.application_id) if status.application_id else None
    mentioned = [loaded.accounts[a] for a in loaded.mentions.get(status.id, [])
                 if a in loaded.accounts]
    own = viewer_id is not None and viewer_id == status.account_id
    url = f"{origin}/@{author.username}/{status.id}"
    return {
        "id": str(status.id),
        "uri": f"{origin}/users/{author.username}/statuses/{status.id}",
        "url": url if reblog is None else reblog["url"],
        "created_at": iso(status.created_at),
        "account": present_account(author, origin, emojis=loaded.emojis),
        "content": (absolutize(status.content_html, origin) + _signature(status, loaded)
                    if reblog is None else ""),
        "text": None,
        "visibility": MASTODON_EQUIVALENT.get(status.visibility, status.visibility),
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "media_attachments": [present_media(m, origin) for m in loaded.media.get(status.id, [])],
        "application": {"name": app.name, "website": app.website} if app else None,
        "mentions": [{"id": str(m.id), "username": m.username, "acct": m.username,
                      "url": f"{origin}/@{m.username}"} for m in mentioned],
        "tags": [{"name": t.lower(), "url": f"{origin}/tags/{t.lower()}"}
                 for t in loaded.tags.get(status.id, [])],
        "emojis": loaded.emojis.of(status.text, status.spoiler_text),
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.favourites_count,
        "replies_count": status.replies_count,
        "quotes_count": 0,
        # Quotes are not supported: no status quotes another, and nobody may quote this one
        # (Mastodon 4.5 clients read `quote_approval` to decide whether to offer quoting).
        "quote": None,
        "quote_approval": {"automatic": [], "manual": [],
                           "current_user": "denied" if viewer_id is not None else "unknown"},
        "in_reply_to_id": str(status.in_reply_to_id) if status.in_reply_to_id else None,
        "in_reply_to_account_id": (str(status.in_reply_to_account_id)
                                   if status.in_reply_to_account_id else None),
        "reblog": reblog,
        "poll": loaded.polls.get(status.id),
        "card": None,
        "language": status.language,
        "edited_at": iso(status.edited_at),
        "favourited": status.id in loaded.favourited,
        "reblogged": status.id in loaded.reblogged,
        "muted": False,
        "bookmarked": status.id in loaded.bookmarked,
        "pinned": status.id in loaded.pinned if own else False,
        "zwitscher": _extension(status, loaded, origin),
    } | ({"filtered": _filtered(status, loaded, viewer_id)} if viewer_id is not None else {})


def _signature(status: sa.Row, loaded: _Loaded) -> str:
    """A brand account's post is signed with its author's name where every app shows it (the
    content), added when presented so that it follows the author's name."""
    person = loaded.accounts.get(status.posted_by_id) if status.posted_by_id else None
    if person is None:
        return ""
    return f'<p class="zwitscher-signature">— {escape(person.display_name or person.username)}</p>'


def _extension(status: sa.Row, loaded: _Loaded, origin: str) -> dict:
    """What Mastodon's entity has no place for: the exact visibility (clients that know only
    Mastodon's four see `internal` and `group` as `private`), the addressed groups, and the
    person who wrote a brand account's post."""
    posted_by = loaded.accounts.get(status.posted_by_id) if status.posted_by_id else None
    return {
        "visibility": status.visibility,
        "groups": [present_group_ref(loaded.groups[g]) for g in loaded.groups_of.get(status.id, [])
                   if g in loaded.groups],
        "posted_by": (present_account(posted_by, origin, emojis=loaded.emojis)
                      if posted_by else None),
    }


async def present_statuses(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int | None,
                           origin: str, filter_context: str | None = None) -> list[dict]:
    """Status entities as `viewer_id` sees them. With a viewer each has `filtered`: the
    viewer's filters for `filter_context` that it matches (for every context when None, as
    Mastodon answers for single statuses: apps compare each filter's contexts with theirs)."""
    if not rows:
        return []
    loaded = await _load(uow, rows, viewer_id, filter_context, origin)
    return [_entity(row, loaded, origin, viewer_id) for row in rows]


async def present_status(uow: UnitOfWork, row: sa.Row, *, viewer_id: int | None,
                         origin: str) -> dict:
    return (await present_statuses(uow, [row], viewer_id=viewer_id, origin=origin))[0]


def present_source(row: sa.Row) -> dict:
    return {"id": str(row.id), "text": row.text, "spoiler_text": row.spoiler_text}


async def present_history(uow: UnitOfWork, row: sa.Row, *, origin: str) -> list[dict]:
    """Mastodon's StatusEdit entities, oldest first. Each version shows the images it had, with
    its descriptions and focus points; images an edit removed are deleted (Mastodon keeps
    them), so earlier versions show only those still there."""
    author = await uow.accounts.get(row.account_id)
    edits = await uow.statuses.edits(row.id)
    versions = edits or [row]
    emojis = await emoji_index(uow, [*account_texts([author]),
                                     *(t for v in versions for t in (v.text, v.spoiler_text))],
                               origin)
    account = present_account(author, origin, emojis=emojis)
    if not edits:
        media = await uow.media.of_status(row.id)
        poll = await uow.polls.of_status(row.id)
        return [_version(row, account, [present_media(m, origin) for m in media],
                         poll.options if poll else None, emojis, origin)]
    kept = await uow.media.get_many([int(m["id"]) for edit in edits for m in edit.media or ()])
    return [_version(edit, account, _media_then(edit.media or (), kept, row.id, origin),
                     edit.poll_options, emojis, origin) for edit in edits]


def _media_then(snapshot: list[dict], kept: dict[int, sa.Row], status_id: int,
                origin: str) -> list[dict]:
    shown = []
    for then in snapshot:
        media = kept.get(int(then["id"]))
        if media is not None and media.status_id == status_id:
            entity = present_media(media, origin)
            entity["description"] = then["description"] or None
            entity["meta"]["focus"] = {"x": then["focus"][0], "y": then["focus"][1]}
            shown.append(entity)
    return shown


def _version(version: sa.Row, account: dict, media: list[dict],
             poll_options: list[str] | None, emojis: EmojiIndex, origin: str) -> dict:
    return {"content": absolutize(version.content_html, origin),
            "spoiler_text": version.spoiler_text, "sensitive": version.sensitive,
            "created_at": iso(version.created_at), "account": account,
            "media_attachments": media,
            "emojis": emojis.of(version.text, version.spoiler_text),
            "poll": {"options": [{"title": title} for title in poll_options]}
            if poll_options is not None else None}
