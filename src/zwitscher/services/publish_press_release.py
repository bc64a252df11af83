"""A press release's embargo ends: it is posted as a status of its brand, written by its
communicator (the brand signature names them), for its audience: public, or addressed to its
press groups. Also the job body at `publish_at`, which may run late (after a restart) or
more than once: a release already published, withdrawn, or moved to a later time is left as
it is. Public releases then go to the newsroom's e-mail subscribers (`mail_newsroom`)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import text as text_rules
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import MailNewsroomSubscribers
from zwitscher.domain.visibility import Visibility
from zwitscher.services.post_status import StatusDraft, post_status

ELLIPSIS = "…"


def release_path(brand_username: str, release_id: int) -> str:
    """The release's own page in the brand's newsroom."""
    return f"/newsroom/{brand_username}/{release_id}"


async def publish_press_release(uow: UnitOfWork, *, release_id: int) -> sa.Row | None:
    release = await uow.press_releases.get(release_id)
    if release is None or release.published_at is not None or release.publish_at > utcnow():
        return None
    brand = await uow.accounts.get(release.brand_id)
    url = uow.settings.base_url.rstrip("/") + release_path(brand.username, release.id)
    groups = (await uow.press_releases.groups_of([release.id]))[release.id]
    media = (await uow.media.of_releases([release.id]))[release.id]
    await uow.media.release_press_release(release.id)
    status = await post_status(uow, author_id=release.brand_id, posted_by_id=release.written_by_id,
                               draft=StatusDraft(
        text=status_text(release.headline, release.body, url,
                         limit=uow.settings.max_characters),
        visibility=Visibility.PUBLIC if release.public else Visibility.GROUP,
        group_ids=() if release.public else tuple(groups),
        media_ids=tuple(row.id for row in media), language=release.language))
    await uow.press_releases.update(release.id, status_id=status.id, published_at=utcnow())
    if release.public:
        await uow.enqueue(MailNewsroomSubscribers(release_id=release.id))
    return status


def status_text(headline: str, body: str, url: str, *, limit: int) -> str:
    """The headline, as much of the first paragraph as fits, and the link to the whole
    release (the body may be far longer than a status)."""
    lead = body.strip().split("\n\n")[0].strip()
    frame = f"{headline}\n\n\n\n{url}"
    room = limit - text_rules.character_count(frame)
    if text_rules.character_count(lead) > room:
        lead = _cut(lead, room - len(ELLIPSIS))
    return f"{headline}\n\n{lead}\n\n{url}" if lead else f"{headline}\n\n{url}"


def _cut(text: str, room: int) -> str:
    if room <= 0:
        return ""
    cut = text[:room]
    while cut and text_rules.character_count(cut) > room:
        cut = cut[:-1]
    # At a word's end where there is one, so no word (or link) is shown half.
    words = cut.rsplit(None, 1)[0] if " " in cut.strip() else cut
    return words.rstrip() + ELLIPSIS
