"""OAuth scopes as Mastodon defines them: top-level scopes imply their granular forms."""

from __future__ import annotations

# Mastodon's granular scopes, and ours: `press` (press room, releases, press conferences),
# `stories` (curated stories), `events` (live events) and `crisis` (crisis broadcasts);
# `read`/`write` imply them as they imply Mastodon's.
READ = ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
        "notifications", "search", "statuses", "press", "stories", "events", "crisis",
        "monitors", "analytics"]
WRITE = ["accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
         "lists", "media", "mutes", "notifications", "reports", "statuses", "press", "stories",
         "events", "crisis", "monitors"]
FOLLOW = ["read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows",
          "write:mutes"]

# Mastodon's admin scopes; ours add groups, the audit log and announcements.
ADMIN = ["accounts", "reports", "groups", "audit_log", "announcements"]

TOP_LEVEL = {"read", "write", "follow", "push", "profile", "admin:read", "admin:write"}
GRANULAR = ({f"read:{s}" for s in READ} | {f"write:{s}" for s in WRITE}
            | {f"admin:{verb}:{s}" for verb in ("read", "write") for s in ADMIN})
VALID = TOP_LEVEL | GRANULAR


def parse_scopes(raw: str | None, *, default: str = "read") -> list[str] | None:
    """Split a scope string; None when any scope is unknown."""
    names = (raw or default).replace("+", " ").split()
    if not names or any(name not in VALID for name in names):
        return None
    return list(dict.fromkeys(names))


def expand(scopes: list[str] | set[str]) -> set[str]:
    granted = set(scopes)
    if "read" in granted:
        granted |= {f"read:{s}" for s in READ}
    if "write" in granted:
        granted |= {f"write:{s}" for s in WRITE}
    if "follow" in granted:
        granted |= set(FOLLOW)
    for verb in ("read", "write"):
        if f"admin:{verb}" in granted:
            granted |= {f"admin:{verb}:{s}" for s in ADMIN}
    return granted


def allows(granted: set[str], required: str) -> bool:
    """`required` is a granular scope like `write:statuses` (or a top-level one like `push`)."""
    parts = required.split(":")
    return any(":".join(parts[:n]) in granted for n in range(1, len(parts) + 1))
