"""Team figures for supervisors and admins (PROTOCOL §4): what the server counts from clear
meta (GET /indicators), and the figures supervisors' phones counted and published."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import RAISE

from outreach.auth.principal import current_principal
from outreach.extensions import db
from outreach.http_json import Blueprint, request_json
from outreach.reports import published, published_schemas, schemas, service

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Team figures: counted by the server over reportable meta, and "
                            "published from supervisors' phones; small cells suppressed")


@blp.get("/indicators")
# webargs ignores unknown query parameters by default; a misspelt `by` must not pass unseen.
@blp.arguments(schemas.IndicatorsQuery, location="query", unknown=RAISE)
@blp.response(200, published_schemas.IndicatorsWithPublished)
def indicators(query: dict[str, Any]) -> dict[str, Any]:
    """What the server still counts of one team over a period (records by area or contact
    type), by group; with the figures its supervisors published for periods inside it."""
    principal = current_principal()
    team = service.team_for_reports(principal, query["team"])
    config = current_app.config["OUTREACH"]
    report = service.indicators(principal, team, query["from"], query["to"], query["by"],
                                config.report_min_count, config.area_min_households)
    report["published"] = published.within([team], query["from"].isoformat()[:7],
                                           query["to"].isoformat()[:7])
    db.session.commit()  # the audit event: who asked for which figures
    return report


@blp.post("/published")
@blp.arguments(published_schemas.PublishSchema)
@blp.response(201, published_schemas.PublishedSchema)
@blp.alt_response(200, schema=published_schemas.PublishedSchema,
                  description="the same record was published before (a retry)")
def publish(_record: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A supervisor publishes the team's suppressed figures for a period (signed record)."""
    principal = current_principal()
    # The signature covers the record as sent, so it is checked on the JSON as received.
    row, created = published.publish(principal, request_json(),
                                     current_app.config["OUTREACH"].report_min_count)
    db.session.commit()
    return published.as_dict(row, _record["team_id"]), 201 if created else 200


@blp.get("/published")
@blp.arguments(published_schemas.PublishedQuery, location="query", unknown=RAISE)
@blp.response(200, published_schemas.PublishedListSchema)
def published_list(query: dict[str, Any]) -> dict[str, Any]:
    """Published figures of one team, or (admins) of every team, inside a period of months."""
    teams = published.visible_teams(current_principal(), query.get("team"))
    sets = published.within(teams, query["from"], query["to"])
    return {"published": sets, "periods": published.by_period(sets)}


@blp.get("/organisation")
@blp.arguments(published_schemas.PublishedQuery, location="query", unknown=RAISE)
@blp.response(200, published_schemas.OrganisationSchema)
def organisation(query: dict[str, Any]) -> dict[str, Any]:
    """The admin's organisation-wide view: published team figures per period, teams
    combined, beside what the server counts, every team added up."""
    principal = current_principal()
    teams = published.organisation_teams(principal)
    config = current_app.config["OUTREACH"]
    start, end = published.days_of(query["from"], query["to"])
    reports = [service.indicators(principal, team, start, end, (), config.report_min_count,
                                  config.area_min_households) for team in teams]
    sets = published.within(teams, query["from"], query["to"])
    db.session.commit()  # the audit events
    return {"from": query["from"], "to": query["to"], "teams": [team.slug for team in teams],
            "periods": published.by_period(sets), "counted": published.add_rows(reports)}

