"""base64url without padding (PROTOCOL §0) and RFC 8785 canonical JSON."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import rfc8785

from outreach.crypto.errors import MalformedEncodingError

_B64U = re.compile(r"^[A-Za-z0-9_-]*$")


def b64u_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """Strict: only the url-safe alphabet, no padding, no length that base64 cannot produce."""
    if not isinstance(text, str) or not _B64U.match(text) or len(text) % 4 == 1:
        raise MalformedEncodingError("not base64url without padding")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedEncodingError("not base64url without padding") from exc
    # Reject non-canonical encodings (stray low bits in the last character): one value, one text.
    if b64u_encode(raw) != text:
        raise MalformedEncodingError("non-canonical base64url")
    return raw


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS): the bytes that are signed and compared for idempotency."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise MalformedEncodingError("value cannot be canonicalised") from exc
