"""Access and refresh tokens.

Access tokens are short-lived and signed (itsdangerous), naming the token family and its
generation; every request still checks the family, device and user in the database, so a
revocation takes effect at once. Refresh tokens are random and stored only as SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

_SALT = "outreach/v1 access"


@dataclass(frozen=True)
class AccessClaims:
    family_id: str
    generation: int


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def mint_access_token(family_id: str, generation: int) -> str:
    return str(_serializer().dumps([family_id, generation]))


def read_access_token(token: str, max_age: int) -> AccessClaims | None:
    try:
        family_id, generation = _serializer().loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(family_id, str) or not isinstance(generation, int):
        return None
    return AccessClaims(family_id, generation)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
