"""Opaque pull cursors: a server sequence number with an HMAC, so clients can neither forge a
position nor mistake it for something they should parse (PROTOCOL §3)."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from outreach.crypto import MalformedEncodingError, b64u_decode, b64u_encode
from outreach.errors import ValidationProblem

_TAG = 8


def _mac(seq_bytes: bytes) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"outreach/v1 cursor " + seq_bytes, hashlib.sha256).digest()[:_TAG]


def encode_cursor(seq: int) -> str:
    raw = seq.to_bytes(8, "big")
    return b64u_encode(raw + _mac(raw))


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        raw = b64u_decode(cursor) if isinstance(cursor, str) and len(cursor) < 64 else b""
    except MalformedEncodingError:
        raw = b""
    if len(raw) != 8 + _TAG or not hmac.compare_digest(raw[8:], _mac(raw[:8])):
        raise ValidationProblem(errors={"since": ["Not a cursor this server issued."]})
    return int.from_bytes(raw[:8], "big")
