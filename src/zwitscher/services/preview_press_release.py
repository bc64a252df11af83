"""A release's press groups may read it before its embargo ends: each of their members is
e-mailed the headline, the time it may be published and a link to it in the press room
(the release itself stays behind the sign-in). The job body at `preview_at`: it runs once
per release, and not at all once the release is published (then it is news, not a
preview)."""

from __future__ import annotations

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.services.queue_mail import queue_mail


def press_room_path(release_id: int) -> str:
    return f"/web/press/{release_id}"


async def preview_press_release(uow: UnitOfWork, *, release_id: int) -> int:
    """Mails the release's press readers; returns how many."""
    release = await uow.press_releases.get(release_id)
    if (release is None or release.published_at is not None
            or release.previewed_at is not None or release.preview_at > utcnow()):
        return 0
    brand = await uow.accounts.get(release.brand_id)
    readers = await uow.press_releases.press_readers(release.id)
    accounts = await uow.accounts.get_many([reader.account_id for reader in readers])
    for reader in readers:
        language = i18n.supported(reader.locale) or i18n.DEFAULT_LANGUAGE
        account = accounts[reader.account_id]
        when = i18n.Formatter(language, reader.time_zone).datetime(release.publish_at) + (
            "" if reader.time_zone else " UTC")
        await queue_mail(uow, kind="press_release_preview", to=reader.email,
                         name=account.display_name or account.username, language=language,
                         headline=release.headline,
                         brand=brand.display_name or brand.username, when=when,
                         path=press_room_path(release.id))
    await uow.press_releases.update(release.id, previewed_at=utcnow())
    return len(readers)
