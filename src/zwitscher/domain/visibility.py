"""Who a status is addressed to. Stored as the Mastodon names, plus two of our own:
`internal` (everyone in the organisation, never guests or anonymous) and `group` (members of
the chosen groups, including members of their subgroups)."""

from __future__ import annotations

from enum import StrEnum


class Visibility(StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"
    DIRECT = "direct"
    INTERNAL = "internal"
    GROUP = "group"


# What Mastodon clients are shown for our own visibilities: the closest of Mastodon's four
# that they render as "not public" (the exact one is in the `zwitscher` extension field).
MASTODON_EQUIVALENT = {Visibility.INTERNAL: Visibility.PRIVATE,
                       Visibility.GROUP: Visibility.PRIVATE}
