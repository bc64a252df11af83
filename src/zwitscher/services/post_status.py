"""Publish a status and queue its fan-out; nothing reaches a stream before the commit."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import FanOutStatus, FetchLinkCard
from zwitscher.domain.link_cards import card_link
from zwitscher.domain.polls import PollDraft
from zwitscher.domain.roles import SPEAKERS, Role, is_insider, parse_role
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.audience import mentioned_readers
from zwitscher.services.attach_media import attach_media, check_media
from zwitscher.services.check_event_consent import refuse_against_consent
from zwitscher.services.compose_poll import attach_poll, check_poll
from zwitscher.services.compose_text import check_length, compose_text
from zwitscher.services.notify import notify
from zwitscher.services.record_analytics import count_post
from zwitscher.services.record_conversation import record_direct_status

MAX_GROUPS = 20


@dataclass(frozen=True, slots=True)
class StatusDraft:
    text: str = ""
    visibility: Visibility | None = None  # None: the author's default
    in_reply_to_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool | None = None  # None: the author's default
    language: str | None = None  # None: the author's default
    group_ids: tuple[int, ...] = ()
    media_ids: tuple[int, ...] = ()
    poll: PollDraft | None = None


async def post_status(uow: UnitOfWork, *, author_id: int, draft: StatusDraft,
                      posted_by_id: int | None = None, application_id: int | None = None,
                      idempotency_key: str | None = None) -> sa.Row:
    if idempotency_key:
        earlier = await uow.statuses.idempotent_status(author_id, idempotency_key)
        if earlier is not None and (status := await uow.statuses.get(earlier)) is not None:
            return status
    ready = await _prepare(uow, author_id, draft, posted_by_id)
    draft, parent, visibility = ready.draft, ready.parent, ready.visibility
    group_ids = ready.group_ids
    composed = await compose_text(uow, ready.text)
    now = utcnow()
    status_id = await uow.statuses.insert(
        account_id=author_id, text=ready.text, content_html=composed.html,
        spoiler_text=draft.spoiler_text, visibility=visibility.value,
        sensitive=bool(draft.sensitive) or bool(draft.spoiler_text), language=draft.language,
        in_reply_to_id=parent.id if parent else None,
        in_reply_to_account_id=parent.account_id if parent else None,
        thread_root_id=(parent.thread_root_id or parent.id) if parent else None,
        application_id=application_id, posted_by_id=posted_by_id, created_at=now)
    if ready.media_ids:
        await attach_media(uow, status_id=status_id, media_ids=ready.media_ids)
    await uow.statuses.set_mentions(status_id, composed.mentioned_ids)
    await uow.statuses.set_tags(status_id, composed.tags)
    await uow.statuses.add_groups(status_id, group_ids)
    if draft.poll is not None:
        await attach_poll(uow, status_id=status_id, poll=draft.poll)
    if visibility == Visibility.DIRECT:
        await record_direct_status(uow, status_id=status_id, author_id=author_id,
                                   in_reply_to_id=parent.id if parent else None,
                                   mentioned_ids=composed.mentioned_ids)
    await uow.accounts.add_to_counter(author_id, "statuses_count", 1)
    await uow.accounts.update(author_id, last_status_at=now)
    if parent is not None:
        await uow.statuses.add_to_counter(parent.id, "replies_count", 1)
    # The author sees their own post at once; everyone else gets it through fan-out.
    await uow.home_feed.add(status_id=status_id, author_id=author_id, account_ids=[author_id])
    readers = await mentioned_readers(uow, visibility=visibility.value,
                                      mentioned=composed.mentioned_ids, group_ids=group_ids)
    for mentioned_id in readers:
        await notify(uow, recipient_id=mentioned_id, actor_id=author_id, type="mention",
                     status_id=status_id)
    if parent is not None and parent.posted_by_id and \
            parent.posted_by_id not in composed.mentioned_ids:
        # A reply to a brand account's post reaches the person who wrote it, so the dialogue
        # goes on from person to person.
        await notify(uow, recipient_id=parent.posted_by_id, actor_id=author_id,
                     type="mention", status_id=status_id)
    await uow.enqueue(FanOutStatus(status_id=status_id))
    if not ready.media_ids and draft.poll is None \
            and card_link(ready.text, own_origin=uow.settings.base_url):
        await uow.enqueue(FetchLinkCard(status_id=status_id))
    if idempotency_key:
        await uow.statuses.remember_idempotency_key(author_id, idempotency_key, status_id)
    status = await uow.statuses.get(status_id)
    await count_post(uow, status=status, parent=parent, group_ids=group_ids,
                     mentioned_ids=readers)
    await uow.search.index_status(status)
    return status


async def check_status_draft(uow: UnitOfWork, *, author_id: int, draft: StatusDraft,
                             posted_by_id: int | None = None,
                             check_consent: bool = True) -> list[int]:
    """Refuse now what `post_status` would refuse (a status scheduled for later is checked
    when it is scheduled, so its author learns of a mistake while they can mend it). Returns
    the checked media ids, to be reserved until then. Without `check_consent` a live event's
    consent rules are left to the caller (`post_to_event` holds such a post for review)."""
    return list((await _prepare(uow, author_id, draft, posted_by_id,
                                check_consent=check_consent)).media_ids)


@dataclass(frozen=True, slots=True)
class _Prepared:
    text: str
    draft: StatusDraft
    parent: sa.Row | None
    visibility: Visibility
    group_ids: list[int]
    media_ids: tuple[int, ...]


async def _prepare(uow: UnitOfWork, author_id: int, draft: StatusDraft,
                   posted_by_id: int | None, *, check_consent: bool = True) -> _Prepared:
    text = draft.text.strip()
    if not text and not draft.media_ids:
        raise ValidationFailed("Text can't be blank")
    check_length(uow, text, draft.spoiler_text)
    media_ids = await check_media(uow, media_ids=draft.media_ids,
                                  uploader_ids={author_id, posted_by_id or author_id})
    if check_consent:
        # A live event's consent rules: a post with the event's hashtag that breaks them.
        await refuse_against_consent(uow, author_id=author_id, text=text,
                                     with_media=bool(media_ids))
    draft = replace(draft, poll=check_poll(uow, draft.poll))

    parent = None
    if draft.in_reply_to_id is not None:
        parent = await uow.statuses.get_visible(draft.in_reply_to_id, author_id)
        if parent is None or parent.reblog_of_id is not None:
            raise NotFound("The status you are replying to does not exist or is not visible")
    user = await uow.accounts.user_for_account(author_id)
    draft = _with_defaults(draft, user)
    # A brand account has no person of its own: its authors are communicators.
    role = parse_role(user.role) if user else (
        Role.COMMUNICATOR if (await uow.accounts.get(author_id)).kind == "brand" else None)
    visibility, group_ids = await _audience(uow, author_id, draft, parent, role)
    return _Prepared(text, draft, parent, visibility, group_ids, media_ids)


def _with_defaults(draft: StatusDraft, user: sa.Row | None) -> StatusDraft:
    """What the author did not say comes from their preferences (`source[...]`)."""
    return replace(
        draft,
        visibility=draft.visibility or Visibility(user.default_visibility if user else "public"),
        sensitive=draft.sensitive if draft.sensitive is not None else bool(
            user and user.default_sensitive),
        language=draft.language or (user.default_language if user else None))


async def _audience(uow: UnitOfWork, author_id: int, draft: StatusDraft,
                    parent: sa.Row | None, role: Role | None
                    ) -> tuple[Visibility, list[int]]:
    """The visibility and groups a new status gets. A reply to an internal or group post stays
    with its audience: Mastodon clients answer a post they show as "private" with "private",
    which would carry the conversation to the replier's followers."""
    visibility, group_ids = draft.visibility, list(dict.fromkeys(draft.group_ids))
    if parent is not None and parent.visibility in (Visibility.INTERNAL, Visibility.GROUP) \
            and visibility != Visibility.DIRECT:
        visibility = Visibility(parent.visibility)
        if visibility == Visibility.GROUP:
            group_ids = await uow.statuses.group_ids_of(parent.id)
        return visibility, group_ids if visibility == Visibility.GROUP else []
    if group_ids and visibility != Visibility.GROUP:
        raise ValidationFailed("Groups can only be given with visibility group")
    if visibility == Visibility.INTERNAL and not is_insider(role):
        raise ValidationFailed("Guests cannot post internal statuses")
    if visibility == Visibility.GROUP:
        await _check_groups(uow, author_id, role, group_ids)
    return visibility, group_ids


async def _check_groups(uow: UnitOfWork, author_id: int, role: Role | None,
                        group_ids: list[int]) -> None:
    """Members post to their groups; admins and communicators (press, internal news) post to
    any group, and managers to the groups they manage."""
    if not group_ids:
        raise ValidationFailed("Name at least one group for visibility group")
    if len(group_ids) > MAX_GROUPS:
        raise ValidationFailed("At most %(max_groups)s groups", max_groups=MAX_GROUPS)
    known = await uow.groups.get_many(group_ids)
    if len(known) != len(group_ids):
        raise NotFound("No such group")
    if role in SPEAKERS:
        return
    for group_id in group_ids:
        if not (await uow.groups.is_member(author_id, group_id)
                or await uow.groups.manages(author_id, group_id)):
            raise Forbidden("You can only post to groups you belong to")
