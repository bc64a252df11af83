"""Polls as a person asks them, and the rules a poll and a vote must meet (Mastodon's limits,
reported to clients in the instance configuration)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zwitscher.domain.errors import ValidationFailed

MAX_OPTIONS = 4
MIN_OPTIONS = 2
MAX_OPTION_CHARS = 50
MAX_EXPIRES_SECONDS = 2_629_746  # one average month, as Mastodon


@dataclass(frozen=True, slots=True)
class PollDraft:
    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


def checked_poll(poll: PollDraft, *, min_expires_seconds: int) -> PollDraft:
    """The poll with its options trimmed, or ValidationFailed saying what is wrong."""
    options = tuple(option.strip() for option in poll.options)
    if len(options) < MIN_OPTIONS:
        raise ValidationFailed("A poll needs at least %(min_options)s options",
                               min_options=MIN_OPTIONS)
    if len(options) > MAX_OPTIONS:
        raise ValidationFailed("A poll can have at most %(max_options)s options",
                               max_options=MAX_OPTIONS)
    if any(not option for option in options):
        raise ValidationFailed("Poll options can't be blank")
    if any(len(option) > MAX_OPTION_CHARS for option in options):
        raise ValidationFailed("Poll options can have at most %(max_option_chars)s characters",
                               max_option_chars=MAX_OPTION_CHARS)
    if len(set(options)) != len(options):
        raise ValidationFailed("Poll options must be different from each other")
    if poll.expires_in < min_expires_seconds:
        raise ValidationFailed("A poll must last at least %(min_expires_seconds)s seconds",
                               min_expires_seconds=min_expires_seconds)
    if poll.expires_in > MAX_EXPIRES_SECONDS:
        raise ValidationFailed("A poll can last at most %(max_expires_seconds)s seconds",
                               max_expires_seconds=MAX_EXPIRES_SECONDS)
    return PollDraft(options, poll.expires_in, poll.multiple, poll.hide_totals)


def checked_choices(choices: Sequence[int], *, option_count: int,
                    multiple: bool) -> tuple[int, ...]:
    """Distinct option indexes; exactly one unless the poll allows several."""
    if not choices:
        raise ValidationFailed("Choose at least one option")
    if any(not 0 <= choice < option_count for choice in choices):
        raise ValidationFailed("That is not one of the poll's options")
    if len(set(choices)) != len(choices):
        raise ValidationFailed("Each option can be chosen once")
    if not multiple and len(choices) > 1:
        raise ValidationFailed("This poll allows only one choice")
    return tuple(choices)
