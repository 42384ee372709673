"""Marshmallow fields shared by the API schemas."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

from outreach.crypto import MalformedEncodingError, b64u_decode

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SLUG_RE = re.compile(r"^[a-z0-9-]{1,40}$")


class B64U(fields.String):
    """base64url without padding (PROTOCOL §0); loads to the decoded bytes."""

    def __init__(self, *, length: int | None = None, max_length: int | None = None, **kw: Any):
        super().__init__(**kw)
        self.length = length
        self.max_length = max_length
        self.metadata.setdefault("format", "base64url")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bytes:
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

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not UUID_RE.match(text):
            raise ValidationError("Must be a lower-case UUID.")
        return text
