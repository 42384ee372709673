"""base64url without padding (PROTOCOL §0) and RFC 8785 canonical JSON."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

import rfc8785

from outreach.crypto.errors import MalformedEncodingError

_B64U = re.compile(r"^[A-Za-z0-9_-]*$")


def b64u_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_ALPHABET = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}


def b64u_decode(text: str) -> bytes:
    """Strict: only the url-safe alphabet, no padding, no length that base64 cannot produce."""
    b64u_length(text)  # the same strict rules, raising MalformedEncodingError
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedEncodingError("not base64url without padding") from exc


def b64u_length(text: str) -> int:
    """The length ``b64u_decode(text)`` returns, without decoding: the push checks six
    encodings per envelope and needs only their sizes. Strict: only the url-safe alphabet, no
    padding, no length base64 cannot produce, and no stray low bits in the last character (one
    value, one text, so two envelopes that decode alike also compare alike)."""
    if not isinstance(text, str) or not _B64U.fullmatch(text):
        raise MalformedEncodingError("not base64url without padding")
    rest = len(text) % 4
    if rest == 1:
        raise MalformedEncodingError("not base64url without padding")
    if rest and _ALPHABET[text[-1]] & (0x0F if rest == 2 else 0x03):
        raise MalformedEncodingError("non-canonical base64url")
    return len(text) * 3 // 4


_SAFE_INT = 2**53 - 1
# Built once: json.dumps with options builds an encoder per call (once per pushed envelope).
_JCS_PLAIN = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS): the bytes that are signed and compared for idempotency.

    Envelopes hold only strings, integers, booleans, null, lists and objects with ASCII keys.
    For such values JCS output is exactly what the C-accelerated ``json.dumps`` writes with
    sorted keys and no spaces (same escapes, same integer form, code-point order equals UTF-16
    order for ASCII keys), and it is ~10x faster than a pure-Python JCS; anything else (floats,
    non-ASCII keys, huge integers) goes through the ``rfc8785`` package. A property test checks
    that both paths agree.
    """
    return canonical_json_of_plain(value) if is_plain_json(value) else _jcs(value)


def is_plain_json(value: Any, depth: int = 0) -> bool:
    """True when json.dumps and JCS write ``value`` alike: only strings, integers within 2^53,
    booleans, null, lists and objects with ASCII keys, nested at most 64 deep (``depth``: how
    deep ``value`` itself sits in what is canonicalised)."""
    return _plain(value, depth)


def canonical_json_of_plain(value: Any) -> bytes:
    """``canonical_json`` of a value the caller knows ``is_plain_json`` holds for."""
    try:
        return _JCS_PLAIN.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return _jcs(value)  # lone surrogates: rfc8785 rejects them with a clear error


def _jcs(value: Any) -> bytes:
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise MalformedEncodingError("value cannot be canonicalised") from exc


def _plain(value: Any, depth: int) -> bool:
    """True when json.dumps and JCS agree on ``value`` (see canonical_json)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE_INT <= value <= _SAFE_INT)
    if depth > 64:
        return False
    if kind is list:
        for item in value:  # noqa: SIM110 (an explicit loop: this is the hot path of sync)
            if type(item) is not str and not _plain(item, depth + 1):
                return False
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                return False
            if type(item) is not str and not _plain(item, depth + 1):
                return False
        return True
    return False
