"""GET /api/v1/reports/indicators: the query, and the report's rows (docs/protocol.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load

from outreach.reports.service import DIMENSIONS, months_back
from outreach.schema_fields import DAY_RE, SLUG, StrictSchema

MAX_BY = 200
DIMENSION_RE = "^(({0})(,({0}))*)?$".format("|".join(DIMENSIONS))


class Day(fields.Date):
    """A calendar day written YYYY-MM-DD, nothing else ISO 8601 would allow."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not DAY_RE.fullmatch(value):
            raise ValidationError("Must be a date YYYY-MM-DD.")
        return super()._deserialize(value, attr, data, **kwargs)


class Dimensions(fields.String):
    """``area,sex``: a comma list of dimensions, each at most once; errors name the position."""

    # A string on the wire, a list in the program: narrowing String's return type is the point.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> list[str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > MAX_BY:
            raise ValidationError(f"At most {MAX_BY} characters.")
        items = [item.strip() for item in text.split(",")] if text.strip() else []
        errors: dict[int, list[str]] = {}
        for index, item in enumerate(items):
            if item not in DIMENSIONS:
                errors[index] = [f"Not a dimension; use {', '.join(DIMENSIONS)}."]
            elif item in items[:index]:
                errors[index] = ["Named twice."]
        if errors:
            raise ValidationError(errors)
        return items


class IndicatorsQuery(StrictSchema):
    team = fields.String(required=True, validate=SLUG,
                         metadata={"description": "the team's slug", "example": "east"})
    from_ = Day(data_key="from", attribute="from", load_default=None,
                metadata={"description": "first day (meta.date), default: 12 months before "
                                         "`to`, day for day"})
    to = Day(load_default=None, metadata={"description": "last day, default: today (UTC)"})
    by = Dimensions(
        load_default=list,
        metadata={"description": f"comma list of: {', '.join(DIMENSIONS)}",
                  "example": "area,sex", "pattern": DIMENSION_RE})

    @post_load
    def _period(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        end = data["to"] or datetime.now(UTC).date()
        start = data["from"] or months_back(end, 12)
        if start > end:
            raise ValidationError("Must be on or before `to`.", "from")
        return {**data, "from": start, "to": end}


class RowSchema(Schema):
    group = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True),
                        metadata={"description": "dimension → value; null: not recorded",
                                  "example": {"area": "EAST-01"}})
    suppressed = fields.List(fields.String(), metadata={
        "description": "fields withheld (null) in this row: counts under k, and counts "
                       "withheld so that those cannot be worked out from a total (which is "
                       "which is not said)"})


def _count(description: str) -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={"description": description})


class ReachRowSchema(RowSchema):
    households = _count("household records dated in the period (households registered)")
    people = _count("member records dated in the period (people registered)")
    visits = _count("visits dated in the period")


class ReferralRowSchema(RowSchema):
    made = _count("referrals made (waiting + taken_up + not_taken_up)")
    waiting = _count("made, no outcome yet")
    taken_up = _count("attended or with an outcome recorded")
    not_taken_up = _count("not taken up")


class ConsentRowSchema(RowSchema):
    given = _count("consent records dated in the period: given")
    refused = _count("… refused")
    withdrawn = _count("… withdrawn")
    recorded = _count("given + refused + withdrawn")


class RightRowSchema(RowSchema):
    eligible = _count("right records dated in the period: eligible")
    informed = _count("… informed")
    applied = _count("… applied")
    granted = _count("… granted")
    refused = _count("… refused")
    not_claimed = _count("… not claimed")
    recorded = _count("every status")


class NotClaimedRowSchema(RowSchema):
    """Rights not claimed, by the coarse group of the reason (the reason itself is sealed)."""

    information = _count("did not know")
    administrative = _count("too complex, no documents")
    digital = _count("digital barrier")
    trust = _count("distrust, shame")
    cost = _count("costs")
    other = _count("other")


class SectionsSchema(Schema):
    """Counted by the server from what is left in the clear: records, not households."""

    reach = fields.List(fields.Nested(ReachRowSchema))
    referrals = fields.List(fields.Nested(ReferralRowSchema))
    consent = fields.List(fields.Nested(ConsentRowSchema))
    rights = fields.List(fields.Nested(RightRowSchema))
    rights_not_claimed = fields.List(fields.Nested(NotClaimedRowSchema))


class IndicatorsSchema(SectionsSchema):
    team = fields.String(metadata={"example": "east"})
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    by = fields.List(fields.String(), metadata={"example": ["area"]})
    k = fields.Integer(metadata={"description": "counts under k are withheld", "example": 5})
    totals = fields.Nested(SectionsSchema, metadata={
        "description": "the same sections for the whole team (as if `by` were empty)"})
