"""PROTOCOL §1 keys endpoint, team key rotation and grants. Thin views over ``keys.service``."""

from __future__ import annotations

from typing import Any

from outreach.auth.principal import current_principal
from outreach.extensions import db
from outreach.http_json import Blueprint
from outreach.keys import schemas, service
from outreach.schema_fields import team_kid

blp = Blueprint("keys", __name__, url_prefix="/api/v1", description="Keys and grants")


@blp.get("/keys")
@blp.response(200, schemas.KeysSchema)
def get_keys() -> dict[str, Any]:
    return service.keys_document(current_principal())


@blp.put("/keys/user")
@blp.arguments(schemas.UserKeySchema)
@blp.response(204)
def put_user_key(body: dict[str, Any]) -> None:
    service.set_user_key(
        current_principal(), body["public_key"], body["wrapped_private_key"], body["iv"]
    )
    db.session.commit()


@blp.get("/teams/<string:team_id>/members")
@blp.response(200, schemas.MembersSchema)
def get_members(team_id: str) -> dict[str, Any]:
    return service.members_document(current_principal(), team_id)


@blp.post("/teams/<string:team_id>/keys")
@blp.arguments(schemas.NewTeamKeySchema)
@blp.response(201, schemas.TeamKeyCreatedSchema)
def post_team_key(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    team_key = service.rotate_team_key(current_principal(), team_id, body)
    db.session.commit()
    return {"team_id": team_id, "version": team_key.version,
            "kid": team_kid(team_id, team_key.version)}


@blp.post("/teams/<string:team_id>/grants")
@blp.arguments(schemas.AddGrantsSchema)
@blp.response(200, schemas.GrantsWrittenSchema)
def post_grants(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    grants = {g["user_id"]: g["grant"] for g in body["grants"]}
    signatures = {g["user_id"]: g["signature"] for g in body["grants"]}
    written = service.add_grants(current_principal(), team_id, body["version"], grants,
                                 signatures)
    db.session.commit()
    return {"written": written}
