"""GET /api/v1/teams: what the PWA needs to work offline in the caller's teams; PUT a team's
presence schedule."""

from __future__ import annotations

from typing import Any

from flask import current_app

from outreach.auth.principal import current_principal
from outreach.extensions import db
from outreach.http_json import Blueprint
from outreach.teams import schemas, service
from outreach.teams.catalogue import load_catalogue, load_rights

blp = Blueprint("teams", __name__, url_prefix="/api/v1", description="Teams, areas, services")


@blp.get("/teams")
@blp.response(200, schemas.TeamsSchema)
def list_teams() -> dict[str, Any]:
    """The caller's teams with their areas and referral catalogue (members only)."""
    config = current_app.config["OUTREACH"]
    path = config.referral_catalogue
    return service.teams_document(current_principal().teams.values(), load_catalogue(path),
                                  config.area_min_households, rights=load_rights(path))


@blp.put("/teams/<string:team_id>/presence")
@blp.arguments(schemas.PresenceSchema)
@blp.response(200, schemas.PresenceSchema)
def set_presence(body: dict[str, Any], team_id: str) -> dict[str, Any]:
    """The team's presence schedule (supervisors of the team, admins); phones apply it."""
    principal = current_principal()
    team = service.supervised_team(principal, team_id,
                                   "Only the team's supervisors may change its schedule.")
    answer = service.set_presence(team, body["interval_weeks"], body["months"],
                                  actor_id=principal.user_id)
    db.session.commit()
    return answer
