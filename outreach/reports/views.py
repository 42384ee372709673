"""GET /api/v1/reports/indicators (PROTOCOL §4): team figures for supervisors and admins."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import RAISE

from outreach.auth.principal import current_principal
from outreach.extensions import db
from outreach.http_json import Blueprint
from outreach.reports import schemas, service

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Team figures over reportable meta, small cells suppressed")


@blp.get("/indicators")
# webargs ignores unknown query parameters by default; a misspelt `by` must not pass unseen.
@blp.arguments(schemas.IndicatorsQuery, location="query", unknown=RAISE)
@blp.response(200, schemas.IndicatorsSchema)
def indicators(query: dict[str, Any]) -> dict[str, Any]:
    """Reach, needs profile, referrals and consent of one team over a period, by group."""
    principal = current_principal()
    team = service.team_for_reports(principal, query["team"])
    report = service.indicators(principal, team, query["from"], query["to"], query["by"],
                                current_app.config["OUTREACH"].report_min_count)
    db.session.commit()  # the audit event: who asked for which figures
    return report
