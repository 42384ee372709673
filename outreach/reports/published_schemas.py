"""Published team figures on the wire (docs/protocol.md, "Published team figures"): the
signed record a supervisor's phone sends, and what the server answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from outreach.reports.published import DIMENSIONS
from outreach.reports.schemas import IndicatorsSchema
from outreach.schema_fields import SLUG, FullMatch, StrictSchema, UUIDString

MONTH_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
MONTH = FullMatch(MONTH_RE, error="Must be a month YYYY-MM.")
TABLE_RE = re.compile(r"^[a-z_]{1,20}(:[a-z0-9_-]{1,40})?$")
MAX_CELLS = 20_000


class Category(fields.Field):
    """A group value or an inner category: a short string, a small integer (a score level)
    or null (not recorded)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None or (isinstance(value, str) and len(value) <= 100):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            return value
        raise ValidationError("Must be a string of at most 100 characters, 0..100 or null.")


class CellSchema(StrictSchema):
    group = fields.Dict(keys=fields.String(validate=validate.OneOf(DIMENSIONS)),
                        values=Category(allow_none=True), required=True,
                        metadata={"description": "dimension → value (null: not recorded); a "
                                                 "dimension left out: all its values"})
    inner = Category(allow_none=True, metadata={"description": "the category, in tables "
                                                              "that have one"})
    count = fields.Integer(strict=True, allow_none=True, required=True,
                           validate=validate.Range(min=0),
                           metadata={"description": "null: withheld"})
    mean_change = fields.Float(allow_none=True, allow_nan=False,
                               validate=validate.Range(min=-4, max=4),
                               metadata={"description": "mean change of score since the "
                                                        "first in the period (reassessed)"})


class TableSchema(StrictSchema):
    dims = fields.List(fields.String(validate=validate.OneOf(DIMENSIONS)), required=True,
                       validate=validate.Length(max=len(DIMENSIONS)))
    constant = fields.Dict(keys=fields.String(validate=validate.OneOf(DIMENSIONS)),
                           values=Category(allow_none=True), required=True)
    inner = fields.List(Category(), required=True, validate=validate.Length(max=40))
    sums = fields.Dict(keys=fields.String(validate=validate.Length(max=100)),
                       values=fields.List(Category(), validate=validate.Length(max=40)),
                       required=True)
    cells = fields.List(fields.Nested(CellSchema), required=True,
                        validate=validate.Length(max=MAX_CELLS))


class PublishSchema(StrictSchema):
    """The signed record: ``sig`` is ECDSA P-256 over JCS of every other field, by the
    publishing device's signing key (as for envelopes)."""

    id = UUIDString(required=True)
    team_id = fields.String(required=True, validate=SLUG)
    from_ = fields.String(data_key="from", attribute="from", required=True, validate=MONTH,
                          metadata={"example": "2026-01"})
    to = fields.String(required=True, validate=MONTH, metadata={"example": "2026-06"})
    k = fields.Integer(strict=True, required=True, validate=validate.Range(min=2, max=100))
    created_at = fields.String(required=True, validate=validate.Length(max=40))
    device_id = UUIDString(required=True)
    tables = fields.Dict(keys=fields.String(validate=FullMatch(TABLE_RE)),
                         values=fields.Nested(TableSchema), required=True,
                         validate=validate.Length(max=200))
    sig = fields.String(required=True, validate=validate.Length(min=86, max=86),
                        metadata={"format": "base64url"})


class PublishedSchema(Schema):
    id = fields.String()
    team = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    k = fields.Integer()
    received_at = fields.DateTime()
    tables = fields.Dict(metadata={"description": "as published"})
    record = fields.Dict(metadata={"description": "the signed record, to check its "
                                                  "signature"})


class PeriodSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    teams = fields.List(fields.String())
    k = fields.Integer()
    tables = fields.Dict(metadata={"description": "the teams' figures added up; a sum is "
                                                  "withheld (null) when any part is"})


class PublishedQuery(StrictSchema):
    team = fields.String(validate=SLUG, metadata={"description": "one team (default: every "
                                                                 "team; admins only)"})
    from_ = fields.String(data_key="from", attribute="from", validate=MONTH, load_default=None)
    to = fields.String(validate=MONTH, load_default=None)

    @post_load
    def _period(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        end = data["to"] or datetime.now(UTC).strftime("%Y-%m")
        start = data["from"] or "0001-01"
        if start > end:
            raise ValidationError("Must be on or before `to`.", "from")
        return {**data, "from": start, "to": end}


class PublishedListSchema(Schema):
    published = fields.List(fields.Nested(PublishedSchema))
    periods = fields.List(fields.Nested(PeriodSchema), metadata={
        "description": "per published period, the teams that published it combined"})


class OrganisationSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    teams = fields.List(fields.String())
    periods = fields.List(fields.Nested(PeriodSchema), metadata={
        "description": "figures counted on supervisors' phones and published, per period, "
                       "the teams combined"})
    counted = fields.Dict(metadata={
        "description": "what the server counts from clear meta, every team added up (the "
                       "`totals` of GET /reports/indicators; a sum is withheld when any "
                       "part is)"})


class IndicatorsWithPublished(IndicatorsSchema):
    published = fields.List(fields.Nested(PublishedSchema), metadata={
        "description": "figures the team's supervisors published for periods inside this "
                       "one (whole months), counted on their phones from the records"})
