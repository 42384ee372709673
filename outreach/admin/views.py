"""The administration API: audit log, devices, people, teams, enrolment. Thin views: every
one starts from a scope (outreach/admin/scope.py), which refuses workers and other teams'
supervisors, calls one service and commits."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import RAISE

from outreach.admin import audit_log, devices, enrolment, erasure, people, schemas
from outreach.admin.scope import require_admin, supervisor_scope, team_in_scope
from outreach.audit import service as audit
from outreach.auth.principal import current_principal
from outreach.auth.schemas import TokenResponseSchema
from outreach.auth.views import auth_limit, token_answer
from outreach.extensions import db, limiter
from outreach.http_json import Blueprint
from outreach.teams.service import member_team

blp = Blueprint("admin", __name__, url_prefix="/api/v1",
                description="Running the organisation: audit log, devices, people, teams")


@blp.get("/audit")
@blp.arguments(schemas.AuditQuery, location="query", unknown=RAISE)
@blp.response(200, schemas.AuditPageSchema)
def audit_events(query: dict[str, Any]) -> dict[str, Any]:
    """Admins: the organisation's events; supervisors: their teams' (never content)."""
    scope = supervisor_scope(current_principal())
    if query.get("team"):
        team_in_scope(scope, query["team"])  # another team's filter is refused, not empty
    return audit_log.events(scope, query, limit=query["limit"])


@blp.get("/audit.csv")
@blp.arguments(schemas.AuditQuery, location="query", unknown=RAISE)
def audit_csv(query: dict[str, Any]) -> Response:
    """The same events as CSV (newest first, up to `limit`); the export itself is audited."""
    principal = current_principal()
    scope = supervisor_scope(principal)
    if query.get("team"):
        team_in_scope(scope, query["team"])
    page = audit_log.events(scope, query, limit=query["limit"])
    audit.record("audit_exported", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, events=len(page["events"]))
    db.session.commit()
    response = Response(audit_log.to_csv(page["events"]), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response


@blp.post("/audit/events")
@blp.arguments(schemas.DeviceEventSchema)
@blp.response(204)
def device_event(body: dict[str, Any]) -> None:
    """A phone reports what it did with decrypted records offline (an access export); sent
    again with the same `id`, it is recorded once."""
    principal = current_principal()
    team = member_team(principal, body["team"], "Only members of this team may do this.")
    audit_log.device_report(principal, team, body)
    db.session.commit()


@blp.get("/devices")
@blp.arguments(schemas.DevicesQuery, location="query", unknown=RAISE)
@blp.response(200, schemas.DevicesSchema)
def list_devices(query: dict[str, Any]) -> dict[str, Any]:
    """Devices of every member (admin) or of the caller's teams (supervisor), last contact."""
    scope = supervisor_scope(current_principal())
    team = team_in_scope(scope, query["team"]) if query.get("team") else None
    return {"devices": devices.list_devices(scope, team)}


@blp.post("/devices/<string:device_id>/revoke")
@blp.arguments(schemas.RevokeSchema)
@blp.response(200, schemas.RevokedSchema)
def revoke_device(body: dict[str, Any], device_id: str) -> dict[str, Any]:
    """The phone wipes on its next contact; its tokens and signatures stop working now."""
    principal = current_principal()
    answer = devices.revoke(supervisor_scope(principal), device_id, body["reason"],
                            actor_id=principal.user_id, actor_device_id=principal.device_id)
    db.session.commit()
    return answer


@blp.get("/users")
@blp.response(200, schemas.UsersSchema)
def list_users() -> dict[str, Any]:
    return {"users": people.list_users(require_admin(current_principal()))}


@blp.route("/users/<string:user_id>", methods=["PATCH"])
@blp.arguments(schemas.UserChangeSchema)
@blp.response(200, schemas.UserSchema)
def change_user(body: dict[str, Any], user_id: str) -> dict[str, Any]:
    principal = current_principal()
    answer = people.change_user(require_admin(principal), user_id, body,
                                actor_id=principal.user_id)
    db.session.commit()
    return answer


@blp.post("/users/<string:user_id>/deactivate")
@blp.response(200, schemas.UserSchema)
def deactivate_user(user_id: str) -> dict[str, Any]:
    principal = current_principal()
    answer = people.deactivate(require_admin(principal), user_id, actor_id=principal.user_id)
    db.session.commit()
    return answer


@blp.get("/enrolments")
@blp.response(200, schemas.EnrolmentsSchema)
def list_enrolments() -> dict[str, Any]:
    return {"enrolments": enrolment.pending(require_admin(current_principal()))}


@blp.post("/enrolments")
@blp.arguments(schemas.EnrolmentRequestSchema)
@blp.response(201, schemas.EnrolmentSchema)
def create_enrolment(body: dict[str, Any]) -> dict[str, Any]:
    """A one-time code for a new user; shown once, to be handed over in person."""
    principal = current_principal()
    answer = enrolment.create(require_admin(principal), body, actor_id=principal.user_id)
    db.session.commit()
    return answer


@blp.get("/organisation/teams")
@blp.response(200, schemas.AdminTeamsSchema)
def organisation_teams() -> dict[str, Any]:
    return {"teams": people.teams_document(require_admin(current_principal()))}


@blp.post("/organisation/teams")
@blp.arguments(schemas.NewTeamSchema)
@blp.response(201, schemas.AdminTeamsSchema)
def create_team(body: dict[str, Any]) -> dict[str, Any]:
    scope = require_admin(current_principal())
    people.add_team(scope, body)
    db.session.commit()
    return {"teams": people.teams_document(scope)}


@blp.post("/organisation/teams/<string:team_id>/areas")
@blp.arguments(schemas.NewAreaSchema)
@blp.response(201, schemas.AdminTeamsSchema)
def create_area(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    scope = require_admin(current_principal())
    people.add_area(scope, team_id, body)
    db.session.commit()
    return {"teams": people.teams_document(scope)}


@blp.post("/organisation/teams/<string:team_id>/members")
@blp.arguments(schemas.NewMemberSchema)
@blp.response(201, schemas.AdminTeamsSchema)
def add_member(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    """The new member waits as pending until a supervisor's phone grants the team key."""
    principal = current_principal()
    scope = require_admin(principal)
    people.add_member(scope, team_id, body["username"], actor_id=principal.user_id)
    db.session.commit()
    return {"teams": people.teams_document(scope)}


@blp.post("/auth/enrolment")
@limiter.limit(auth_limit)
@blp.arguments(schemas.EnrolCodeSchema)
@blp.response(200, schemas.EnrolmentPreviewSchema)
def preview_enrolment(body: dict[str, Any]) -> dict[str, Any]:
    """Public (rate limited): who this code enrols, so the phone can say it before anything."""
    try:
        return enrolment.preview(body["code"])
    finally:
        db.session.commit()  # a refused code is audited


@blp.post("/auth/enrol")
@limiter.limit(auth_limit)
@blp.arguments(schemas.EnrolSchema)
@blp.response(200, TokenResponseSchema)
def enrol(body: dict[str, Any]) -> dict[str, Any]:
    """Public (rate limited): spend the code, create the user, log this phone in."""
    try:
        pair = enrolment.enrol(body)
    except enrolment.EnrolmentInvalid:
        db.session.commit()  # the refusal is audited
        raise
    db.session.commit()
    return token_answer(pair)


@blp.post("/teams/<string:team_id>/erasures")
@blp.arguments(schemas.ErasureSchema)
@blp.response(200, schemas.ErasedSchema)
def erase_household(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    """GDPR art. 17 for a whole household: the supervisor's phone names its records."""
    answer = erasure.erase_household(current_principal(), team_id, body["record_ids"],
                                     body["reason"])
    db.session.commit()
    return answer
