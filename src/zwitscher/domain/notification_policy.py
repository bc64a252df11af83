"""What a person's notification policy does with a notification: accept, filter, or drop.

Each condition (the sender is not followed, does not follow, is new, sends a private mention,
is limited by moderators and not followed) has an action; of the conditions that hold, the
strictest action wins. Staff and senders whose request the person accepted are always accepted,
as in Mastodon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

ACTIONS = ("accept", "filter", "drop")
CONDITIONS = ("for_not_following", "for_not_followers", "for_new_accounts",
              "for_private_mentions", "for_limited_accounts")
# An organisation's colleagues write to each other without following first: everything is
# accepted unless a person chooses otherwise (Mastodon filters private mentions by default).
DEFAULTS = {"for_not_following": "accept", "for_not_followers": "accept",
            "for_new_accounts": "accept", "for_private_mentions": "accept",
            "for_limited_accounts": "filter"}
# Follow requests, edits and moderation notices are never held back.
FILTERABLE_TYPES = frozenset({"mention", "status", "reblog", "favourite", "follow"})
NEW_ACCOUNT_AGE = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class SenderFacts:
    recipient_follows_sender: bool
    sender_follows_recipient: bool
    sender_is_new: bool
    sender_is_limited: bool
    private_mention: bool  # a direct mention that does not answer the recipient
    sender_is_staff: bool
    permitted: bool  # the recipient accepted a request from this sender


def verdict(policy: dict[str, str], facts: SenderFacts) -> str:
    if facts.sender_is_staff or facts.permitted:
        return "accept"
    holds = {
        "for_not_following": not facts.recipient_follows_sender,
        "for_not_followers": not facts.sender_follows_recipient,
        "for_new_accounts": facts.sender_is_new,
        "for_private_mentions": facts.private_mention and not facts.recipient_follows_sender,
        "for_limited_accounts": facts.sender_is_limited and not facts.recipient_follows_sender,
    }
    actions = [policy[condition] for condition, held in holds.items() if held]
    return max(actions, key=ACTIONS.index, default="accept")
