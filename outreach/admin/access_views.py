"""Break-the-glass requests (outreach/admin/access.py): ask, list, approve, refuse, read."""

from __future__ import annotations

from typing import Any

from outreach.admin import access, schemas
from outreach.auth.principal import current_principal
from outreach.extensions import db
from outreach.http_json import Blueprint

blp = Blueprint("access", __name__, url_prefix="/api/v1/access-requests",
                description="Emergency access to one household of another team")


@blp.post("")
@blp.arguments(schemas.AccessAskSchema)
@blp.response(201, schemas.AccessRequestSchema)
def request_access(body: dict[str, Any]) -> dict[str, Any]:
    """Ask for emergency access: a reason is required; the team's supervisors decide."""
    answer = access.ask(current_principal(), body)
    db.session.commit()
    return answer


@blp.get("")
@blp.response(200, schemas.AccessRequestsSchema)
def list_requests() -> dict[str, Any]:
    answer = access.listing(current_principal())
    db.session.commit()  # expiries noticed now are audited
    return {"requests": answer}


@blp.post("/<string:request_id>/approve")
@blp.arguments(schemas.AccessApproveSchema)
@blp.response(200, schemas.AccessRequestSchema)
def approve(body: dict[str, Any], request_id: str) -> dict[str, Any]:
    answer = access.approve(current_principal(), request_id, body["grants"])
    db.session.commit()
    return answer


@blp.post("/<string:request_id>/refuse")
@blp.response(200, schemas.AccessRequestSchema)
def refuse(request_id: str) -> dict[str, Any]:
    answer = access.refuse(current_principal(), request_id)
    db.session.commit()
    return answer


@blp.get("/<string:request_id>/records")
@blp.response(200, schemas.AccessRecordsSchema)
def read_records(request_id: str) -> dict[str, Any]:
    try:
        return access.read(current_principal(), request_id)
    finally:
        db.session.commit()  # the read, or the expiry, is audited
