"""Who must sign in with a second factor: the roles the operator names
(`ZWITSCHER_REQUIRE_SECOND_FACTOR`), and each person an admin requires it of."""

from __future__ import annotations


def needs_second_factor(settings, user) -> bool:
    return user.second_factor_required or user.role in settings.roles_needing_second_factor
