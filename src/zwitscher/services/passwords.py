"""Password hashing with argon2 (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Stored for people a directory created: not an argon2 hash, so no password ever matches it.
UNUSABLE_PASSWORD = "!provisioned-by-directory"
# Verified against when no user matches, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no such user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
