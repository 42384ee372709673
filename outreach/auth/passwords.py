"""argon2id over the client-derived auth key (PROTOCOL §1.3)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@cache
def _hasher() -> PasswordHasher:
    # RFC 9106's low-memory profile: the input is already a 256-bit key stretched by 600k
    # PBKDF2 rounds on the device, so this guards a stolen database, not a weak password.
    return PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)


def hash_auth_key(auth_key: bytes) -> str:
    return _hasher().hash(auth_key)


def verify_auth_key(stored: str, auth_key: bytes) -> bool:
    try:
        return _hasher().verify(stored, auth_key)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """Verified against for unknown users, so a miss costs as long as a hit."""
    return hash_auth_key(b"\0" * 32)
