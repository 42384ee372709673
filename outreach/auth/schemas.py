from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

# StrictSchema is re-exported for code written before it moved to schema_fields.
from outreach.schema_fields import B64U, USERNAME, StrictSchema, UUIDString

__all__ = ["StrictSchema"]


class PreloginSchema(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)


class KdfSchema(Schema):
    name = fields.String()
    iterations = fields.Integer()
    salt = fields.String()


class PreloginResponseSchema(Schema):
    kdf = fields.Nested(KdfSchema)


class NewDeviceSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    signing_public_key = fields.String(required=True, validate=validate.Length(max=100))


class LoginSchema(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)
    auth_key = B64U(required=True, length=32)
    device = fields.Nested(NewDeviceSchema)
    device_id = UUIDString()

    @validates_schema
    def _one_device(self, data: dict[str, Any], **_: Any) -> None:
        if ("device" in data) == ("device_id" in data):
            raise ValidationError("Give either device or device_id.", "device")


class RefreshSchema(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=20, max=200))


class UserSummarySchema(Schema):
    id = fields.String()
    username = fields.String()
    display_name = fields.String(metadata={"description": "printed on plans instead of the id"})
    role = fields.String()
    teams = fields.List(fields.String())


class DevicePolicySchema(Schema):
    pin_attempts = fields.Integer(metadata={"description": "wrong PINs before the phone wipes"})
    idle_lock_seconds = fields.Integer(metadata={"description": "idle time before the app locks"})


class TokenResponseSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    access_expires_in = fields.Integer()
    device_id = fields.String()
    user = fields.Nested(UserSummarySchema)
    device_policy = fields.Nested(DevicePolicySchema)
