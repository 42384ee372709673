"""GET /api/v1/teams, and the referral catalogue file (loaded with the same service schema)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from outreach.schema_fields import LANGUAGE_RE, SLUG, StrictSchema

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Use HH:MM, 00:00 to 23:59.")
# A BCP 47 tag as the language configuration uses them (en, ro, rom, rmy, rom-x-vlax).
LOCALE_TAG = validate.Regexp(LANGUAGE_RE, error="Not a language tag.")


class OpeningSchema(StrictSchema):
    """Opening hours as data, so every household reads them formatted by CLDR in their own
    language ("lun., mie. 09:00–16:00"), not as an English string."""

    days = fields.List(fields.String(validate=validate.OneOf(DAYS)), required=True,
                       validate=validate.Length(1, 7))
    opens = fields.String(required=True, validate=TIME)
    closes = fields.String(required=True, validate=TIME)


class ServiceTextSchema(StrictSchema):
    """A service's words in one language; a missing one falls back along the reader's chain."""

    name = fields.String(validate=validate.Length(1, 200))
    address = fields.String(validate=validate.Length(max=300))
    hours = fields.String(validate=validate.Length(max=200))


class ServiceSchema(StrictSchema):
    """One service a team refers households to. Strict, because it also loads the data file."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    # One of the referral form's service_type values (checked against referral@1 on load).
    service_type = fields.String(required=True, metadata={"example": "energy"})
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    address = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=300))
    # A note beside the opening hours ("By appointment", "walk-in").
    hours = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    opening_hours = fields.List(fields.Nested(OpeningSchema), load_default=list,
                                validate=validate.Length(max=14))
    translations = fields.Dict(keys=fields.String(validate=LOCALE_TAG),
                               values=fields.Nested(ServiceTextSchema), load_default=dict,
                               metadata={"description": "name, address, hours per locale"})


class RightTextSchema(StrictSchema):
    name = fields.String(validate=validate.Length(1, 200))


class RightSchema(StrictSchema):
    """A right or benefit of the region whose take-up a team follows (issue 15; seed 003)."""

    id = fields.String(required=True, validate=SLUG, metadata={"example": "child-benefit"})
    name = fields.String(required=True, validate=validate.Length(1, 200))
    translations = fields.Dict(keys=fields.String(validate=LOCALE_TAG),
                               values=fields.Nested(RightTextSchema), load_default=dict,
                               metadata={"description": "name per locale"})


class CatalogueFileSchema(StrictSchema):
    catalogue = fields.String(required=True, validate=validate.Length(1, 40))
    # The language of the untranslated name, address and hours of each service.
    language = fields.String(load_default="en", validate=LOCALE_TAG)
    description = fields.String(load_default="")
    services = fields.List(fields.Nested(ServiceSchema), required=True,
                           validate=validate.Length(max=1000))
    # The region's rights and benefits, configured like its services.
    rights = fields.List(fields.Nested(RightSchema), load_default=list,
                         validate=validate.Length(max=200))


class AreaSchema(Schema):
    code = fields.String(metadata={"example": "EAST-07"})
    name = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                        metadata={"description": "the name per locale, e.g. {\"ro\": \"…\"}"})
    level = fields.String(metadata={"example": "settlement"})
    urbanisation = fields.String(
        allow_none=True,
        metadata={"description": "Eurostat degree of urbanisation: cities, towns_suburbs, rural"})
    deprived = fields.Boolean(allow_none=True)
    segregated = fields.Boolean(allow_none=True)
    parent = fields.String(allow_none=True, metadata={
        "description": "code of the area it lies in: where records of a small area report",
        "example": "EAST"})


class TeamMemberSchema(Schema):
    id = fields.String(metadata={"description": "the user's id, as in an envelope's author_id"})
    username = fields.String(metadata={"example": "worker1"})
    display_name = fields.String(metadata={"description": "how a printed plan names them"})


class OrganisationContactSchema(Schema):
    name = fields.String()
    contact_phone = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)


class PresenceSchema(StrictSchema):
    """The presence phase's schedule for a team's cases: a contact every `interval_weeks`, for
    `months` from the start of the phase (a case's own phase record may set its own)."""

    interval_weeks = fields.Integer(required=True, strict=True, validate=validate.Range(1, 52),
                                    metadata={"example": 10})
    months = fields.Integer(required=True, strict=True, validate=validate.Range(1, 60),
                            metadata={"example": 24})


class TeamSchema(Schema):
    id = fields.String(metadata={"description": "the team's slug", "example": "east"})
    name = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "printed on plans"})
    areas = fields.List(fields.Nested(AreaSchema))
    organisation = fields.Nested(OrganisationContactSchema)
    area_min_households = fields.Integer(metadata={
        "description": "an area with fewer households known to the team is written in the "
                       "clear `meta` as its parent area (docs/threat-model.md)", "example": 10})
    services = fields.List(fields.Nested(ServiceSchema),
                           metadata={"description": "the referral catalogue"})
    rights = fields.List(fields.Nested(RightSchema),
                         metadata={"description": "the region's rights and benefits"})
    presence = fields.Nested(PresenceSchema, metadata={
        "description": "the presence phase's schedule (the defaults where the team set none)"})
    members = fields.List(fields.Nested(TeamMemberSchema),
                          metadata={"description": "the team's members, to name authors "
                                                   "(and, by display name, on printed plans)"})


class TeamsSchema(Schema):
    teams = fields.List(fields.Nested(TeamSchema))
