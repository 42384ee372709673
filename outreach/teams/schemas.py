"""GET /api/v1/teams, and the referral catalogue file (loaded with the same service schema)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from outreach.schema_fields import SLUG, StrictSchema


class ServiceSchema(StrictSchema):
    """One service a team refers households to. Strict, because it also loads the data file."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    # One of the referral form's service_type values (checked against referral@1 on load).
    service_type = fields.String(required=True, metadata={"example": "energy"})
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    address = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=300))
    hours = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class CatalogueFileSchema(StrictSchema):
    catalogue = fields.String(required=True, validate=validate.Length(1, 40))
    description = fields.String(load_default="")
    services = fields.List(fields.Nested(ServiceSchema), required=True,
                           validate=validate.Length(max=1000))


class AreaSchema(Schema):
    code = fields.String(metadata={"example": "EAST-07"})
    name = fields.String()
    level = fields.String(metadata={"example": "settlement"})
    urbanisation = fields.String(
        allow_none=True,
        metadata={"description": "Eurostat degree of urbanisation: cities, towns_suburbs, rural"})
    deprived = fields.Boolean(allow_none=True)
    segregated = fields.Boolean(allow_none=True)


class TeamMemberSchema(Schema):
    id = fields.String(metadata={"description": "the user's id, as in an envelope's author_id"})
    username = fields.String(metadata={"example": "worker1"})


class TeamSchema(Schema):
    id = fields.String(metadata={"description": "the team's slug", "example": "east"})
    name = fields.String()
    areas = fields.List(fields.Nested(AreaSchema))
    services = fields.List(fields.Nested(ServiceSchema),
                           metadata={"description": "the referral catalogue"})
    members = fields.List(fields.Nested(TeamMemberSchema),
                          metadata={"description": "the team's members, to name authors"})


class TeamsSchema(Schema):
    teams = fields.List(fields.Nested(TeamSchema))
