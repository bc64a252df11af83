"""Turn what a person typed into stored HTML, mentions and tags.

Links to our own pages are stored relative (`/@user`, `/tags/x`); presenters make them absolute
with the origin the client reached us by, so a renamed host never leaves stale links behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import text as text_rules
from zwitscher.domain.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class ComposedText:
    html: str
    mentioned_ids: list[int]
    tags: list[str]


def check_length(uow: UnitOfWork, text: str, spoiler_text: str) -> None:
    limit = uow.settings.max_characters
    if text_rules.character_count(text) + len(spoiler_text) > limit:
        raise ValidationFailed("Text character limit of %(limit)s exceeded", limit=limit)


async def compose_text(uow: UnitOfWork, text: str) -> ComposedText:
    known = await uow.accounts.by_usernames(text_rules.mentioned_usernames(text))

    def resolve(username: str, domain: str | None) -> str | None:
        account = known.get(username.lower()) if domain is None else None
        return f"/@{account.username}" if account is not None else None

    html = text_rules.render_html(text, resolve_mention=resolve,
                                  tag_url=lambda tag: f"/tags/{tag.lower()}")
    return ComposedText(html, [account.id for account in known.values()],
                        text_rules.hashtags(text))
