"""A reader follows a link in a post through our redirect (`domain/link_clicks.py`): the
click is counted for the author's analytics and the reader sent on to the address.

Only a link that is in a status the reader may see is followed; anything else (a forged or
altered signature, a link number the status has not, a status gone or hidden from them) is
not found, so the redirect never leads anywhere a post of ours did not link to.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.link_clicks import external_links, signed_link
from zwitscher.services.mail_links import link_secret
from zwitscher.services.record_analytics import count_link_click


async def link_click_key(uow: UnitOfWork) -> bytes:
    """The key link paths are signed with (the instance's link secret: it never changes, so
    the web interface keeps it once read)."""
    return await link_secret(uow)


async def follow_link(uow: UnitOfWork, *, status_id: int, token: str,
                      viewer_id: int | None) -> str:
    """Count the click and return the address to redirect to."""
    n = signed_link(await link_secret(uow), status_id, token)
    status = await uow.statuses.get_visible(status_id, viewer_id) if n is not None else None
    links = external_links(status.content_html or "") if status is not None else []
    if n is None or n >= len(links):
        raise NotFound("This link is not valid")
    await count_link_click(uow, status=status)
    return links[n]
