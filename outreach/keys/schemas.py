from __future__ import annotations

from marshmallow import Schema, fields, validate

from outreach.schema_fields import B64U, RECOVERY_KID, StrictSchema, UUIDString

MAX_GRANT = 1024


class UserKeySchema(StrictSchema):
    public_key = fields.String(required=True, validate=validate.Length(max=100))
    wrapped_private_key = B64U(required=True, max_length=512)
    iv = B64U(required=True, length=12)


class GrantSchema(StrictSchema):
    user_id = UUIDString(required=True)
    grant = B64U(required=True, max_length=MAX_GRANT)
    # The granting supervisor's ECDSA signature over crypto.grant_statement (issue 9).
    signature = B64U(required=True, length=64)


class RecoveryGrantSchema(StrictSchema):
    kid = fields.String(required=True, validate=RECOVERY_KID)
    grant = B64U(required=True, max_length=MAX_GRANT)


class NewTeamKeySchema(StrictSchema):
    version = fields.Integer(required=True, strict=True, validate=validate.Range(1, 10**6))
    public_key = fields.String(required=True, validate=validate.Length(max=100))
    grants = fields.List(fields.Nested(GrantSchema), load_default=list,
                         validate=validate.Length(max=500))
    recovery_grant = fields.Nested(RecoveryGrantSchema, required=True)
    # The chain (docs/protocol.md "Team key chain"): the hash of the current version's
    # statement (null for the first version), who may sign the next version, and this
    # supervisor's signature over the new version's statement.
    previous = B64U(required=True, allow_none=True, length=32)
    supervisors = fields.List(fields.String(validate=validate.Length(max=100)), required=True,
                              validate=validate.Length(min=1, max=50))
    signature = B64U(required=True, length=64)


class AddGrantsSchema(StrictSchema):
    version = fields.Integer(required=True, strict=True, validate=validate.Range(1, 10**6))
    grants = fields.List(fields.Nested(GrantSchema), required=True,
                         validate=validate.Length(min=1, max=500))


class UserKeyOutSchema(Schema):
    public_key = fields.String(allow_none=True)
    wrapped_private_key = fields.String(allow_none=True)
    iv = fields.String(allow_none=True)


class TeamKeyOutSchema(Schema):
    team_id = fields.String()
    version = fields.Integer()
    kid = fields.String()
    public_key = fields.String()
    grant = fields.String(allow_none=True)
    # Additions (docs/protocol.md "Team key chain"): every version is listed, with its
    # statement and signature, so a phone can walk the chain from a version it trusts.
    statement = fields.Dict(allow_none=True)
    signature = fields.String(allow_none=True)
    rotated_by = fields.String(allow_none=True)


class RecoveryOutSchema(Schema):
    kid = fields.String()
    public_key = fields.String()


class KeysSchema(Schema):
    user = fields.Nested(UserKeyOutSchema)
    teams = fields.List(fields.Nested(TeamKeyOutSchema))
    recovery = fields.Nested(RecoveryOutSchema, allow_none=True)


class MemberSchema(Schema):
    user_id = fields.String()
    username = fields.String()
    role = fields.String()
    public_key = fields.String(allow_none=True)
    pending = fields.Boolean()
    revoked = fields.Boolean()


class MembersSchema(Schema):
    team_id = fields.String()
    current_version = fields.Integer(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema))


class TeamKeyCreatedSchema(Schema):
    team_id = fields.String()
    version = fields.Integer()
    kid = fields.String()


class GrantsWrittenSchema(Schema):
    written = fields.Integer()
