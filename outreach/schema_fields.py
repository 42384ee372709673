"""What every request schema shares: ``StrictSchema``, the field types, and every identifier
pattern, each written once here (the hand-written envelope checks in ``sync/checks.py`` and the
services use the same compiled patterns)."""

from __future__ import annotations

import re
from typing import Any, cast

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from outreach.crypto import MalformedEncodingError, b64u_decode

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Organisations, teams and catalogue services are named by slugs.
SLUG_PATTERN = r"[a-z0-9-]{1,40}"
SLUG_RE = re.compile(rf"^{SLUG_PATTERN}$")
SLUG_ERROR = "Use a-z, 0-9 and -, at most 40."
AREA_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,80}$")
# BCP 47 as the language configuration uses it, private use included (rom-x-vlax); which tags
# exist is data (translations/languages.json). The one pattern: outreach.i18n.chains checks
# the configuration with it, the admin API the locales of area names.
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$")
DAY_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# A form id and its version, e.g. visit@1.
SCHEMA_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}@[1-9][0-9]{0,5}$")
VERSION_PATTERN = r"[1-9][0-9]{0,8}"
# Key ids (PROTOCOL §1): team:<slug>:<version> and recovery:<version>.
TEAM_KID_RE = re.compile(rf"^team:({SLUG_PATTERN}):({VERSION_PATTERN})$")
RECOVERY_KID_RE = re.compile(rf"^recovery:({VERSION_PATTERN})$")


def team_kid(slug: str, version: int) -> str:
    """The key id of one version of a team's key, as envelopes and key listings name it."""
    return f"team:{slug}:{version}"


def recovery_kid(version: int) -> str:
    return f"recovery:{version}"


class StrictSchema(Schema):
    """The base of every request schema: an unknown field is an error, never ignored."""

    class Meta:
        unknown = RAISE


class FullMatch(validate.Regexp):
    """``validate.Regexp`` over the whole value.

    marshmallow's Regexp uses ``re.match``, and ``$`` also matches before a final newline, so
    ``^[a-z]+$`` let ``"east\\n"`` through (issue 9). The pattern stays as written for the
    OpenAPI document (where ``^…$`` means the whole value); only the check is stricter."""

    def __call__(self, value: Any) -> Any:
        regex = cast("re.Pattern[str]", self.regex)
        if not isinstance(value, str) or regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


SLUG = FullMatch(SLUG_RE, error=SLUG_ERROR)
USERNAME = FullMatch(USERNAME_RE, error="Not a valid username.")
LANGUAGE = FullMatch(LANGUAGE_RE)
RECOVERY_KID = FullMatch(RECOVERY_KID_RE)


def _b64u_chars(size: int) -> int:
    """Characters of unpadded base64url for ``size`` bytes."""
    return (size * 4 + 2) // 3


class B64U(fields.String):
    """base64url without padding (PROTOCOL §0); loads to the decoded bytes."""

    def __init__(self, *, length: int | None = None, max_length: int | None = None, **kw: Any):
        # What the OpenAPI document says (outreach/openapi.py): the alphabet and the lengths.
        described: dict[str, Any] = {"format": "base64url", "pattern": "^[A-Za-z0-9_-]*$"}
        if length is not None:
            described.update(minLength=_b64u_chars(length), maxLength=_b64u_chars(length))
        elif max_length is not None:
            described["maxLength"] = _b64u_chars(max_length)
        kw["metadata"] = {**described, **kw.get("metadata", {})}
        super().__init__(**kw)
        self.length = length
        self.max_length = max_length

    # A string on the wire, bytes in the program: narrowing String's return type is the point.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> bytes:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            raw = b64u_decode(text)
        except MalformedEncodingError as exc:
            raise ValidationError("Not base64url without padding.") from exc
        if self.length is not None and len(raw) != self.length:
            raise ValidationError(f"Must decode to {self.length} bytes.")
        if self.max_length is not None and len(raw) > self.max_length:
            raise ValidationError(f"Must decode to at most {self.max_length} bytes.")
        return raw


class UUIDString(fields.String):
    """A lower-case UUID string, kept as text (ids are minted on devices)."""

    def __init__(self, **kw: Any) -> None:
        kw["metadata"] = {"format": "uuid", "pattern": UUID_RE.pattern, **kw.get("metadata", {})}
        super().__init__(**kw)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not UUID_RE.fullmatch(text):
            raise ValidationError("Must be a lower-case UUID.")
        return text
