"""Reading the audit log: who, what, when, from which device; ids and outcomes, never content.

Admins read their organisation's events; supervisors the events of the teams they supervise
and, for events tied to no team (logins, pulls, revocations), those of their teams' members."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError

from outreach.admin.scope import Scope, member_ids
from outreach.audit import service as audit
from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.auth.principal import Principal
from outreach.auth.service import normalise_username
from outreach.extensions import db
from outreach.teams.models import Organisation, Team

CSV_COLUMNS = ("id", "at", "action", "outcome", "actor", "device_id", "team", "target_type",
               "target_id", "details")


def _visible(scope: Scope) -> Any:
    # Many events name no organisation (logout, refresh): the actor's organisation stands in.
    organisation = func.coalesce(AuditEvent.organisation_id, User.organisation_id)
    if scope.whole_organisation:
        # Server-wide events (backups, restores, failed logins of unknown names, CLI exports)
        # name no organisation: on a server of one organisation, they are its admins'.
        if db.session.execute(db.select(func.count()).select_from(Organisation)
                              ).scalar_one() == 1:
            return or_(organisation == scope.organisation_id, organisation.is_(None))
        return organisation == scope.organisation_id
    members = member_ids(scope)
    return and_(organisation == scope.organisation_id, or_(
        AuditEvent.team_id.in_(scope.team_ids),
        and_(AuditEvent.team_id.is_(None), AuditEvent.actor_id.in_(members)),
    ))


def events(scope: Scope, filters: Mapping[str, Any], *, limit: int = 200) -> dict[str, Any]:
    """Newest first, ``limit`` at a time; ``before`` (an event id) pages further back."""
    query = (db.select(AuditEvent, User.username, Team.slug)
             .outerjoin(User, User.id == AuditEvent.actor_id)
             .outerjoin(Team, Team.id == AuditEvent.team_id)
             .where(_visible(scope)))
    if filters.get("actor"):
        query = query.where(User.username == normalise_username(filters["actor"]))
    if filters.get("action"):
        query = query.where(AuditEvent.action.in_(filters["action"]))
    if filters.get("device"):
        query = query.where(AuditEvent.device_id == filters["device"])
    if filters.get("team"):
        query = query.where(Team.slug == filters["team"])
    since: datetime | None = filters.get("since")
    until: datetime | None = filters.get("until")
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if filters.get("before"):
        query = query.where(AuditEvent.id < filters["before"])
    rows = db.session.execute(
        query.order_by(AuditEvent.id.desc()).limit(limit + 1)).all()
    items = [_item(event, actor, team) for event, actor, team in rows[:limit]]
    return {"events": items, "next": items[-1]["id"] if len(rows) > limit else None}


def _item(event: AuditEvent, actor: str | None, team: str | None) -> dict[str, Any]:
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        details = {}
    return {"id": event.id, "at": event.at, "action": event.action, "outcome": event.outcome,
            "actor": actor, "actor_id": event.actor_id, "device_id": event.device_id,
            "team": team, "target_type": event.target_type, "target_id": event.target_id,
            "details": details}


def to_csv(items: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        row = {**item, "at": item["at"].isoformat(timespec="seconds"),
               "details": json.dumps(item["details"], sort_keys=True)}
        # A spreadsheet runs cells starting with = + - @ as formulas (CSV injection).
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def device_report(principal: Principal, team: Team, body: Mapping[str, Any]) -> None:
    """What a phone did with decrypted records, perhaps offline long ago, logged once: a report
    sent again with the same id (its answer was lost) is already there."""
    report_id = body.get("id")
    if report_id is not None and db.session.execute(
            db.select(AuditEvent.id).where(AuditEvent.device_id == principal.device_id,
                                           AuditEvent.report_id == report_id)).first():
        return
    details: dict[str, Any] = {"records": body["records"]}
    if body.get("at") is not None:
        details["done_at"] = body["at"].isoformat(timespec="seconds")
    try:
        with db.session.begin_nested():  # two retries racing: the unique key keeps one
            event = audit.record(body["action"], actor_id=principal.user_id,
                                 device_id=principal.device_id,
                                 organisation_id=principal.organisation_id, team_id=team.id,
                                 target_type="team", target_id=team.slug, **details)
            event.report_id = report_id
    except IntegrityError:
        pass
