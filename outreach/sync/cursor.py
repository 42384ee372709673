"""Opaque pull cursors (PROTOCOL §3): the database generation, a position in the server's
order and the anchor of that position (``order``), with an HMAC so clients can neither forge a
position nor mistake it for something they should parse."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app

from outreach.crypto import MalformedEncodingError, b64u_decode, b64u_encode
from outreach.errors import CursorExpired, ValidationProblem
from outreach.sync.order import ANCHOR_BYTES, GENERATION_BYTES, NO_ANCHOR

_TAG = 8
_VERSION = b"\x02"
_SIZE = 1 + GENERATION_BYTES + 8 + ANCHOR_BYTES + _TAG
# The first format: 8 bytes of position and the tag, no generation.
_V1_SIZE = 8 + _TAG


@dataclass(frozen=True)
class Cursor:
    generation: bytes | None
    position: int
    anchor: bytes


START = Cursor(None, 0, NO_ANCHOR)


def _mac(data: bytes) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"outreach/v1 cursor " + data, hashlib.sha256).digest()[:_TAG]


def encode_cursor(generation: bytes, position: int, anchor: bytes) -> str:
    raw = _VERSION + generation + position.to_bytes(8, "big") + anchor
    return b64u_encode(raw + _mac(raw))


def decode_cursor(cursor: str | None) -> Cursor:
    if cursor is None:
        return START
    try:
        raw = b64u_decode(cursor) if isinstance(cursor, str) and len(cursor) < 64 else b""
    except MalformedEncodingError:
        raw = b""
    if len(raw) == _V1_SIZE and hmac.compare_digest(raw[8:], _mac(raw[:8])):
        # Issued before cursors carried a generation: it cannot be checked, start again.
        raise CursorExpired()
    if len(raw) != _SIZE or not hmac.compare_digest(raw[-_TAG:], _mac(raw[:-_TAG])):
        raise ValidationProblem(errors={"since": ["Not a cursor this server issued."]})
    body = raw[1:-_TAG]
    generation = body[:GENERATION_BYTES]
    position = int.from_bytes(body[GENERATION_BYTES:GENERATION_BYTES + 8], "big")
    return Cursor(generation, position, body[GENERATION_BYTES + 8:])
