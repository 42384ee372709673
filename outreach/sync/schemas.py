"""Schemas of POST /api/v1/sync for validation of the request's outer shape and for the OpenAPI
document. Envelopes themselves are checked by ``checks`` (fast, per-record results)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from outreach.schema_fields import StrictSchema


class KeyEntrySchema(Schema):
    kid = fields.String(metadata={"example": "team:east:1"})
    enc = fields.String(metadata={"description": "HPKE(enc ‖ ct) of the data key, base64url"})


class PayloadSchema(Schema):
    iv = fields.String()
    ct = fields.String()
    z = fields.String(metadata={"enum": ["gzip"]})


class EnvelopeSchema(Schema):
    """PROTOCOL §2, envelope format 2 (docs/protocol.md). Documented here; validated per record
    by ``outreach.sync.checks``, whose ``REQUIRED`` names the same fields (a test holds them
    together)."""

    v = fields.Integer(metadata={"enum": [2], "description": "envelope format"})
    id = fields.String(metadata={"format": "uuid"})
    record_id = fields.String(metadata={"format": "uuid"})
    parents = fields.List(fields.String(metadata={"format": "uuid"}))
    type = fields.String()
    team_id = fields.String()
    schema = fields.String(metadata={"example": "visit@1"})
    created_at = fields.String(metadata={
        "format": "date-time", "example": "2026-11-01T00:00:00Z",
        "description": "the month the revision was written: its first instant, UTC"})
    meta = fields.Dict()
    payload = fields.Nested(PayloadSchema)
    keys = fields.List(fields.Nested(KeyEntrySchema))
    device_id = fields.String(metadata={"format": "uuid"})
    sig = fields.String()


class PulledEnvelopeSchema(EnvelopeSchema):
    seq = fields.Integer()
    received_at = fields.String(metadata={"format": "date-time"})
    author_id = fields.String()


class EnvelopeList(fields.List[Any]):
    """The pushed envelopes, handed on as parsed: ``checks`` judges each one and answers per
    record, so passing every envelope through ``Raw`` first only cost time (~3 µs each).
    Refuses what ``List(Raw())`` refuses, with the same messages (tests/sync holds them alike)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        # JSON gives lists only; a null envelope is refused for the request, as Raw refuses it.
        if type(value) is not list or None in value:
            return super()._deserialize(value, attr, data, **kwargs)
        return value


class SyncRequestSchema(StrictSchema):
    push = EnvelopeList(
        fields.Raw(metadata={"type": "object"}),
        load_default=list,
        metadata={"items": {"$ref": "#/components/schemas/Envelope"}},
    )
    since = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=64))
    limit = fields.Integer(strict=True, load_default=None, allow_none=True,
                           validate=validate.Range(min=1, max=10_000))


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ResultSchema(Schema):
    id = fields.String(allow_none=True)
    status = fields.String(
        metadata={"enum": ["accepted", "duplicate", "conflict", "rejected"]})
    heads = fields.List(fields.String())
    problem = fields.Nested(ProblemSchema)


class SyncResponseSchema(Schema):
    results = fields.List(fields.Nested(ResultSchema))
    pull = fields.List(fields.Nested(PulledEnvelopeSchema))
    erased = fields.List(fields.String())
    cursor = fields.String()
    more = fields.Boolean()
    digests = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": "Per team: count and XOR of SHA-256 of the envelope ids (drift check)"})
    remaining = fields.Integer(metadata={
        "description": "Envelopes after the cursor still to pull, counted up to a bound (additive, "
                       "for progress)"})
    remaining_exact = fields.Boolean(metadata={
        "description": "False: more than `remaining` are still to pull (the count is bounded)"})
    server_time = fields.String(metadata={"format": "date-time"})
