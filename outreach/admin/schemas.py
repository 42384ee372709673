"""Payloads of the administration API, each declared once (input, output, OpenAPI)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from outreach.auth.models import ROLES
from outreach.auth.service import REVOCATION_REASONS
from outreach.schema_fields import (
    B64U,
    LANGUAGE,
    SLUG,
    USERNAME,
    UUID_RE,
    FullMatch,
    StrictSchema,
)
from outreach.teams.schemas import PresenceSchema

UUID = FullMatch(UUID_RE, error="Not a UUID.")
ACTION = FullMatch(r"^[a-z_]{1,60}$", error="Not an audit action.")


class AuditQuery(StrictSchema):
    actor = fields.String(validate=USERNAME, metadata={"description": "a username"})
    action = fields.List(fields.String(validate=ACTION), validate=validate.Length(max=20))
    device = fields.String(validate=UUID)
    team = fields.String(validate=SLUG)
    since = fields.AwareDateTime(metadata={"description": "RFC 3339, inclusive"})
    until = fields.AwareDateTime(metadata={"description": "RFC 3339, exclusive"})
    before = fields.Integer(validate=validate.Range(min=1),
                            metadata={"description": "page: events older than this id"})
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    action = fields.String()
    outcome = fields.String()
    actor = fields.String(allow_none=True, metadata={"description": "username"})
    actor_id = fields.String(allow_none=True)
    device_id = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    target_type = fields.String(allow_none=True)
    target_id = fields.String(allow_none=True)
    details = fields.Dict(metadata={"description": "counts, versions, reasons; never content"})


class AuditPageSchema(Schema):
    events = fields.List(fields.Nested(AuditEventSchema))
    next = fields.Integer(allow_none=True, metadata={"description": "`before` of the next page"})


# What a phone does with decrypted records offline, reported so the log shows it too.
DEVICE_ACTIONS = ("access_export", "outbox_export")


class DeviceEventSchema(StrictSchema):
    id = fields.String(validate=UUID, metadata={
        "description": "the phone's id for this report: sent again, it is recorded once"})
    action = fields.String(required=True, validate=validate.OneOf(DEVICE_ACTIONS))
    team = fields.String(required=True, validate=SLUG)
    records = fields.Integer(required=True, validate=validate.Range(0, 100_000))
    at = fields.AwareDateTime(metadata={
        "description": "when the phone did it (offline, perhaps long before it could report)"})


class DeviceSchema(Schema):
    id = fields.String()
    name = fields.String()
    user_id = fields.String()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    teams = fields.List(fields.String())
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)


class DevicesQuery(StrictSchema):
    team = fields.String(validate=SLUG)


class DevicesSchema(Schema):
    devices = fields.List(fields.Nested(DeviceSchema))


class RevokeSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(REVOCATION_REASONS))


class RevokedSchema(Schema):
    device = fields.Nested(DeviceSchema)
    rotate_teams = fields.List(fields.String(), metadata={
        "description": "teams whose key the caller should rotate now (the owner's teams the "
                       "caller supervises)"})


class UserSchema(Schema):
    id = fields.String()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    state = fields.String(metadata={"description": "active | deactivated"})
    teams = fields.List(fields.String())
    created_at = fields.DateTime()


class UsersSchema(Schema):
    users = fields.List(fields.Nested(UserSchema))


class UserChangeSchema(StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    display_name = fields.String(validate=validate.Length(max=200))


class EnrolmentRequestSchema(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)
    display_name = fields.String(load_default="", validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    teams = fields.List(fields.String(validate=SLUG), load_default=list,
                        validate=validate.Length(max=20))
    hours = fields.Integer(load_default=72, validate=validate.Range(1, 24 * 14),
                           metadata={"description": "how long the code stays valid"})


class EnrolmentSchema(Schema):
    id = fields.String()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    teams = fields.List(fields.String())
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    used_at = fields.DateTime(allow_none=True)
    code = fields.String(metadata={"description": "only in the answer that creates it"})


class EnrolmentsSchema(Schema):
    enrolments = fields.List(fields.Nested(EnrolmentSchema))


class AdminAreaSchema(Schema):
    code = fields.String()
    name = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                        metadata={"description": "the name per locale, e.g. {\"ro\": \"…\"}"})
    level = fields.String()
    parent = fields.String(allow_none=True)
    urbanisation = fields.String(allow_none=True)
    deprived = fields.Boolean(allow_none=True)
    segregated = fields.Boolean(allow_none=True)


class AdminMemberSchema(Schema):
    user_id = fields.String()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    pending = fields.Boolean(metadata={"description": "no grant of the current team key yet"})


class AdminTeamSchema(Schema):
    id = fields.String(metadata={"description": "slug"})
    name = fields.String()
    phone = fields.String(allow_none=True)
    key_version = fields.Integer(allow_none=True)
    presence = fields.Nested(PresenceSchema, metadata={
        "description": "the presence phase's schedule (PUT /teams/{team}/presence)"})
    members = fields.List(fields.Nested(AdminMemberSchema))
    areas = fields.List(fields.Nested(AdminAreaSchema))


class AdminTeamsSchema(Schema):
    teams = fields.List(fields.Nested(AdminTeamSchema))


class NewTeamSchema(StrictSchema):
    slug = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


class NewAreaSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(1, 32))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    # What households read, per locale (BCP 47 tag → name): printouts look it up along the
    # household's language chain (docs/i18n.md).
    names = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.String(validate=validate.Length(1, 200)), load_default=None,
        allow_none=True, metadata={"description": "the name per locale, e.g. {\"ro\": \"…\"}"})
    level = fields.String(load_default="settlement", validate=validate.OneOf(
        ["region", "municipality", "settlement"]))
    parent = fields.String(load_default=None, allow_none=True,
                           metadata={"description": "code of the area this one lies in"})
    urbanisation = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        ["cities", "towns_suburbs", "rural"]))
    deprived = fields.Boolean(load_default=None, allow_none=True)
    segregated = fields.Boolean(load_default=None, allow_none=True)


class NewMemberSchema(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)


class EnrolCodeSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(4, 40))


class EnrolmentPreviewSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    organisation = fields.String()
    expires_at = fields.DateTime()
    iterations = fields.Integer(metadata={"description": "PBKDF2 iterations to use"})


class EnrolKdfSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.OneOf(["PBKDF2-SHA256"]))
    iterations = fields.Integer(required=True, validate=validate.Range(1, 10_000_000))
    salt = B64U(required=True, length=16)


class EnrolNewDeviceSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    signing_public_key = fields.String(required=True, validate=validate.Length(max=100))


class EnrolSchema(StrictSchema):
    """What the new user's phone derived from the passphrase they chose there (PROTOCOL §1)."""

    code = fields.String(required=True, validate=validate.Length(4, 40))
    kdf = fields.Nested(EnrolKdfSchema, required=True)
    auth_key = B64U(required=True, length=32)
    public_key = fields.String(required=True, validate=validate.Length(max=100))
    wrapped_private_key = B64U(required=True, max_length=512)
    iv = B64U(required=True, length=12)
    device = fields.Nested(EnrolNewDeviceSchema, required=True)


class ErasureSchema(StrictSchema):
    record_ids = fields.List(fields.String(validate=UUID), required=True,
                             validate=validate.Length(1, 2000))
    reason = fields.String(required=True, validate=validate.OneOf(
        ["subject_request", "duplicate", "entered_in_error", "other"]))


class ErasedSchema(Schema):
    erased = fields.List(fields.String())
    already_erased = fields.List(fields.String())
    not_found = fields.List(fields.String(), metadata={
        "description": "ids this team holds no record of (or another team's)"})


class AccessAskSchema(StrictSchema):
    team = fields.String(required=True, validate=SLUG)
    reference = fields.String(required=True, validate=validate.Length(1, 100), metadata={
        "description": "what the team can find the household by: a paper serial, a reference"})
    reason = fields.String(required=True, validate=validate.Length(1, 500))
    hours = fields.Integer(required=True, validate=validate.Range(1, 72))


class AccessRequestSchema(Schema):
    id = fields.String()
    team = fields.String()
    requester = fields.String()
    requester_public_key = fields.String(allow_none=True, metadata={
        "description": "the requester's user public key: the approving phone seals to it"})
    reference = fields.String()
    reason = fields.String()
    hours = fields.Integer()
    status = fields.String(metadata={"description": "requested | approved | refused | expired"})
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    records = fields.Integer(metadata={"description": "revisions granted"})


class AccessRequestsSchema(Schema):
    requests = fields.List(fields.Nested(AccessRequestSchema))


class AccessApproveSchema(StrictSchema):
    grants = fields.Dict(keys=fields.String(validate=UUID), values=B64U(max_length=200),
                         required=True, validate=validate.Length(max=2000), metadata={
                             "description": "envelope id → its data key sealed (HPKE) to "
                                            "the requester's public key, on the approving "
                                            "phone"})


class AccessRecordsSchema(Schema):
    expires_at = fields.DateTime()
    grants = fields.Dict(keys=fields.String(), values=fields.String())
    envelopes = fields.List(fields.Dict())
