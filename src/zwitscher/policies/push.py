"""Which notifications a push subscription asks for: by type (its alerts) and by who caused
them (its policy). Mastodon's rules, shared by subscribing and by delivery."""

from __future__ import annotations

from zwitscher.domain.roles import MODERATORS, parse_role

ALERTS = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
          "update", "admin.sign_up", "admin.report")
# Only those who handle sign-ups and reports may ask to be told of them.
_MODERATION_ALERTS = frozenset({"admin.sign_up", "admin.report"})
POLICIES = ("all", "followed", "follower", "none")


def permitted_alerts(requested: dict[str, bool], *, role: str | None) -> dict[str, bool]:
    """Every alert, on where asked for and allowed (Mastodon answers with the full set)."""
    moderator = parse_role(role) in MODERATORS
    return {name: bool(requested.get(name)) and (moderator or name not in _MODERATION_ALERTS)
            for name in ALERTS}


def wants_push(*, alerts: dict[str, bool], policy: str, type: str, follows_actor: bool,
               followed_by_actor: bool) -> bool:
    if not alerts.get(type):
        return False
    if policy == "all":
        return True
    if policy == "followed":
        return follows_actor
    if policy == "follower":
        return followed_by_actor
    return False
