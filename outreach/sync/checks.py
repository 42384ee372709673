"""Structural checks of one pushed envelope (PROTOCOL §2), hand-written for speed.

The server checks everything it can without reading content: shape, formats, sizes, and later
(in ``service``) team, device, keys, signature and meta. Messages never quote values.
"""

from __future__ import annotations

import re
from typing import Any

from outreach.crypto import MalformedEncodingError, b64u_length, canonical_json
from outreach.crypto.encoding import canonical_json_of_plain, is_plain_json
from outreach.forms.registry import FORM_IDS
from outreach.schema_fields import RECOVERY_KID_RE, SCHEMA_RE, SLUG_RE, TEAM_KID_RE, UUID_RE

# Envelope format 2 (docs/protocol.md): no clear case id, the time only to the month. The
# OpenAPI document's EnvelopeSchema declares the same fields (tests/sync holds them together).
FORMAT = 2
REQUIRED = frozenset(
    {"v", "id", "record_id", "parents", "type", "team_id", "schema", "created_at",
     "meta", "payload", "keys", "device_id", "sig"}
)
UUID = UUID_RE
SLUG = SLUG_RE
SCHEMA = SCHEMA_RE
TEAM_KID = TEAM_KID_RE
RECOVERY_KID = RECOVERY_KID_RE
# Device clocks are untrusted (PROTOCOL §0): any month is fine, however wrong; finer is refused.
COARSE_TIME = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-01T00:00:00Z$")
TYPES = frozenset(FORM_IDS)
# Record types only some roles may write; any member may write the others. A review is the
# supervisor's sign-off on a visit: a worker reviewing their own visit would defeat it.
WRITER_ROLES: dict[str, frozenset[str]] = {"review": frozenset({"supervisor"})}
MAX_PARENTS = 16
MAX_KEYS = 8
# HPKE enc (65) + sealed 32-byte key + tag (16) = 113 bytes.
ENC_BYTES = 113
_PAYLOAD_FIELDS = frozenset({"iv", "ct", "z"})
_KEY_FIELDS = frozenset({"kid", "enc"})


def _b64u(value: Any, field: str, errors: dict[str, list[str]], *, size: int | None = None,
          minimum: int = 0) -> None:
    if not isinstance(value, str):
        errors[field] = ["Must be a base64url string."]
        return
    try:
        # The length it decodes to, checked without decoding (tests/crypto holds the two alike).
        length = b64u_length(value)
    except MalformedEncodingError:
        errors[field] = ["Not base64url without padding."]
        return
    if size is not None and length != size:
        errors[field] = [f"Must decode to {size} bytes."]
    elif length < minimum:
        errors[field] = [f"Must decode to at least {minimum} bytes."]


def is_format_1(env: Any) -> bool:
    """A format 1 envelope: no ``v``, a clear ``case_id``. Refused (docs/protocol.md)."""
    return isinstance(env, dict) and "v" not in env and "case_id" in env


def check_structure(env: Any) -> dict[str, list[str]]:
    """Errors by field path; empty when the envelope is well-formed."""
    if not isinstance(env, dict):
        return {"_": ["An envelope must be an object."]}
    errors: dict[str, list[str]] = {}
    keys = env.keys()
    if keys != REQUIRED:
        for name in keys - REQUIRED:
            errors[name] = ["Unknown field."]
        for name in REQUIRED - keys:
            errors[name] = ["Missing."]
        return errors
    if env["v"] != FORMAT or isinstance(env["v"], bool):
        errors["v"] = [f"Must be {FORMAT}."]
    for name in ("id", "record_id", "device_id"):
        if not isinstance(env[name], str) or not UUID.fullmatch(env[name]):
            errors[name] = ["Must be a lower-case UUID."]
    parents = env["parents"]
    if not isinstance(parents, list) or len(parents) > MAX_PARENTS:
        errors["parents"] = [f"Must be a list of at most {MAX_PARENTS} ids."]
    elif not all(isinstance(p, str) and UUID.fullmatch(p) for p in parents):
        errors["parents"] = ["Must hold lower-case UUIDs."]
    elif len(set(parents)) != len(parents) or env["id"] in parents:
        errors["parents"] = ["Must be distinct and must not include the revision itself."]
    if not isinstance(env["type"], str) or env["type"] not in TYPES:
        errors["type"] = ["Unknown record type."]
    if not isinstance(env["schema"], str) or not SCHEMA.fullmatch(env["schema"]):
        errors["schema"] = ["Must be <form>@<version>."]
    if not isinstance(env["team_id"], str) or not SLUG.fullmatch(env["team_id"]):
        errors["team_id"] = ["Must be a team slug."]
    created = env["created_at"]
    if not isinstance(created, str) or not COARSE_TIME.fullmatch(created):
        errors["created_at"] = ["Must be the first instant of a month, YYYY-MM-01T00:00:00Z."]
    if not isinstance(env["meta"], dict):
        errors["meta"] = ["Must be an object."]
    _check_payload(env["payload"], errors)
    _check_keys(env["keys"], errors)
    _b64u(env["sig"], "sig", errors, size=64)
    return errors


def canonical_envelope(env: dict[str, Any]) -> bytes:
    """``crypto.canonical_json`` of an envelope ``check_structure`` passed, walking only what
    can still differ between json.dumps and JCS: every other member is text, a list of text
    or an object of text under ASCII keys once checked. ``v`` equals 2, but 2.0 does too, and
    ``meta`` is free-form (tests/sync holds the two paths alike)."""
    if type(env["v"]) is int and is_plain_json(env["meta"], depth=1):
        return canonical_json_of_plain(env)
    return canonical_json(env)


def _check_payload(payload: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(payload, dict):
        errors["payload"] = ["Must be an object."]
        return
    if not payload.keys() <= _PAYLOAD_FIELDS or "iv" not in payload or "ct" not in payload:
        errors["payload"] = ["Must hold iv, ct and optionally z."]
        return
    _b64u(payload["iv"], "payload.iv", errors, size=12)
    _b64u(payload["ct"], "payload.ct", errors, minimum=16)
    if "z" in payload and payload["z"] != "gzip":
        errors["payload.z"] = ["Only gzip is known."]


def _check_keys(entries: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_KEYS:
        errors["keys"] = [f"Must be a list of 1 to {MAX_KEYS} keys."]
        return
    seen = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.keys() != _KEY_FIELDS:
            errors[f"keys.{index}"] = ["Must be an object with kid and enc."]
            continue
        kid = entry["kid"]
        if not isinstance(kid, str) or not (TEAM_KID.fullmatch(kid) or RECOVERY_KID.fullmatch(kid)):
            errors[f"keys.{index}.kid"] = ["Must be team:<slug>:<version> or recovery:<version>."]
        elif kid in seen:
            errors[f"keys.{index}.kid"] = ["Listed twice."]
        seen.add(kid)
        _b64u(entry["enc"], f"keys.{index}.enc", errors, size=ENC_BYTES)
