"""The vocabulary of crisis broadcasts: placeholders in templates, channels, and answers.

A template's title and text hold placeholders in braces, `{place}`; `{{` and `}}` are
literal braces. Only the names in PLACEHOLDERS exist: a template naming another is refused
when it is saved, not discovered in the middle of a crisis. `{link}` is filled in by the
system (each recipient's own acknowledgement link in e-mails and text messages, the crisis's
public page in the post); the others are given by the sender when it is sent.
"""

from __future__ import annotations

from string import Formatter

from zwitscher.domain.errors import ValidationFailed

PLACEHOLDERS = ("what", "place", "time", "advice", "contact", "link")
FILLED_BY_THE_SYSTEM = frozenset({"link"})

STREAM, PUSH, EMAIL, SMS = "stream", "push", "email", "sms"
CHANNELS = (STREAM, PUSH, EMAIL, SMS)
# Channels that reach only people with an account; contacts have e-mail and phone only.
ACCOUNT_CHANNELS = frozenset({STREAM, PUSH})

# A delivery: queued → sending (claimed by its job) → sent | failed; skipped when the
# recipient has no address for its channel.
QUEUED, SENDING, SENT, FAILED, SKIPPED = "queued", "sending", "sent", "failed", "skipped"

RECEIVED, SAFE, HELP = "received", "safe", "help"
ANSWERS = (RECEIVED, SAFE, HELP)

MAX_ESCALATION_SECONDS = 24 * 3600
MIN_ESCALATION_SECONDS = 15


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order, each once; ValidationFailed if it names
    one that does not exist or is not well formed (an unclosed brace)."""
    try:
        parsed = [(field, spec, conversion) for _, field, spec, conversion
                  in Formatter().parse(text) if field is not None]
    except ValueError as exc:
        raise ValidationFailed("The text has a brace without its partner: write {{ or }} for "
                               "a brace itself") from exc
    # `{place:>999999999}` would make a text of any length: a placeholder is a name, no more.
    if any(spec or conversion for _, spec, conversion in parsed):
        raise ValidationFailed("A placeholder is a name in braces, such as {place}")
    fields = [field for field, _, _ in parsed]
    unknown = [field for field in fields if field not in PLACEHOLDERS]
    if unknown:
        raise ValidationFailed(
            "Unknown placeholder %(placeholder)s: templates may use %(placeholders)s",
            placeholder=f"{{{unknown[0]}}}",
            placeholders=", ".join(f"{{{name}}}" for name in PLACEHOLDERS))
    return list(dict.fromkeys(fields))


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced (all must be in `values`)."""
    return text.format_map(values)


def missing_values(texts: list[str], values: dict[str, str]) -> list[str]:
    """The placeholders the sender must still give a value for."""
    wanted = [name for text in texts for name in placeholders_in(text)]
    return [name for name in dict.fromkeys(wanted)
            if name not in FILLED_BY_THE_SYSTEM and not values.get(name, "").strip()]


def check_channels(channels: list[str], escalation: list[str]) -> None:
    for channel in [*channels, *escalation]:
        if channel not in CHANNELS:
            raise ValidationFailed("Unknown channel %(channel)s: channels are %(channels)s",
                                   channel=repr(channel)[:40], channels=", ".join(CHANNELS))
    if not channels:
        raise ValidationFailed("A crisis broadcast needs at least one channel")
    if len(set(channels)) != len(channels) or len(set(escalation)) != len(escalation):
        raise ValidationFailed("A channel is named twice")
