"""Start a story: a title, an optional summary and its audience; no blocks yet, not published.

Its owner is the person, or a brand account they may post as (its other authors then manage
it with them).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.roles import is_insider
from zwitscher.policies.brands import brand_grant
from zwitscher.policies.stories import AUDIENCES, INTERNAL, MAX_SUMMARY, MAX_TITLE
from zwitscher.services.read_story import Person


def check_heading(title: str, summary: str, audience: str, person: Person) -> tuple[str, str]:
    """The title and summary, trimmed, if they and the audience may be saved."""
    title, summary = title.strip(), summary.strip()
    if not title:
        raise ValidationFailed("A story needs a title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed("The title can have at most %(max)s characters", max=MAX_TITLE)
    if len(summary) > MAX_SUMMARY:
        raise ValidationFailed("The summary can have at most %(max)s characters",
                               max=MAX_SUMMARY)
    if audience not in AUDIENCES:
        raise ValidationFailed("A story is for everyone (public) or for the organisation "
                               "(internal)")
    if audience == INTERNAL and not is_insider(person.role):
        raise ValidationFailed("Only people of the organisation make internal stories")
    return title, summary


async def create_story(uow: UnitOfWork, *, person: Person, title: str, summary: str = "",
                       audience: str, owner_id: int | None = None) -> int:
    title, summary = check_heading(title, summary, audience, person)
    if owner_id is not None and owner_id != person.account_id:
        await brand_grant(uow, person_id=person.account_id, role=person.role, brand_id=owner_id)
    now = utcnow()
    story_id = await uow.stories.add(
        owner_id=owner_id or person.account_id, title=title, summary=summary,
        audience=audience, version=1, created_at=now, updated_at=now)
    await uow.stories.record_save(story_id, version=1, account_id=person.account_id, now=now)
    return story_id
