"""Password hashing with argon2 (argon2-cffi's recommended parameters unless configured)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from zwitscher.settings import load_settings

PROFILES = {"rfc-9106-low-memory": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
# Stored for people a directory created: not an argon2 hash, so no password ever matches it.
UNUSABLE_PASSWORD = "!provisioned-by-directory"


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[load_settings().password_hash_profile])


@cache
def _dummy_hash() -> str:
    """Verified against when no user matches, so a wrong e-mail costs as long as a wrong
    password."""
    return _hasher().hash("no such user")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (_hasher().verify(password_hash or _dummy_hash(), password)
                and password_hash is not None)
    except (VerificationError, InvalidHashError):
        return False
