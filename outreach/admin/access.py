"""Break-the-glass: emergency access to one household of another team, without the server
ever being able to read it (docs/threat-model.md, "Break-the-glass").

1. A supervisor of another team, or an admin, asks: team, a reference the team can resolve
   (a paper serial, a case reference), a reason (required) and a duration (at most 72 h).
   The team's supervisors see the request; so does the audit log.
2. A supervisor of the team approves it on their phone: the phone, which holds the team key,
   opens the data keys of the household's revisions and seals them again to the requester's
   public key (HPKE, info ``outreach/v1 access <envelope id>``); only those sealed keys reach
   the server. Or they refuse it.
3. The requester reads those envelopes with those keys until the access expires; after that
   the server hands out nothing more, and an expired request stays in the log."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from outreach.admin.models import AccessRequest
from outreach.audit import service as audit
from outreach.auth.models import User
from outreach.auth.principal import Principal
from outreach.crypto import b64u_encode
from outreach.errors import Forbidden, NotFound, Problem, ValidationProblem
from outreach.extensions import db
from outreach.sync.models import Envelope
from outreach.sync.pull import with_server_fields
from outreach.teams.models import Team
from outreach.teams.service import get_team

MAX_HOURS = 72
MIN_REASON = 20  # a reason, not "x": the team's supervisors must be able to judge it


class AccessExpired(Problem):
    status = 403
    type = "/problems/access-expired"
    title = _l("This emergency access has expired")


def _may_ask(principal: Principal) -> None:
    if principal.role not in ("supervisor", "admin"):
        raise Forbidden("Only supervisors and administrators may ask for emergency access.")


def _expire(request: AccessRequest, now: datetime) -> None:
    if request.status == "approved" and request.expires_at and request.expires_at <= now:
        request.status = "expired"
        request.grants = None  # the sealed keys are of no more use to anyone: dropped
        audit.record("access_expired", organisation_id=request.organisation_id,
                     team_id=request.team_id, target_type="access_request",
                     target_id=request.id)


def document(request: AccessRequest, team_slug: str, requester: User | None) -> dict[str, Any]:
    # The requester's public key: the approving phone seals the household's data keys to it
    # (and shows its fingerprint, which the requester's phone shows too, to compare).
    return {"id": request.id, "team": team_slug,
            "requester": requester.username if requester else "",
            "requester_public_key": requester.public_key if requester else None,
            "reference": request.reference, "reason": request.reason, "hours": request.hours,
            "status": request.status, "created_at": request.created_at,
            "decided_at": request.decided_at, "expires_at": request.expires_at,
            "records": len(request.grants or {})}


def ask(principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    _may_ask(principal)
    team = get_team(body["team"])
    if team is None or team.organisation_id != principal.organisation_id:
        raise NotFound()
    if body["team"] in principal.teams:
        raise ValidationProblem(errors={"team": ["You are a member: open the household."]})
    if len(body["reason"].strip()) < MIN_REASON:
        raise ValidationProblem(errors={"reason": [f"Say why, in {MIN_REASON} characters "
                                                   "or more."]})
    request = AccessRequest(
        id=str(uuid.uuid4()), organisation_id=principal.organisation_id, team_id=team.id,
        requester_id=principal.user_id, reason=body["reason"].strip(),
        reference=body["reference"], hours=body["hours"], status="requested",
        created_at=datetime.now(UTC))
    db.session.add(request)
    db.session.flush()
    # The reason is shown to the team's supervisors; the log keeps the request's id only.
    audit.record("access_requested", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id,
                 target_type="access_request", target_id=request.id, hours=body["hours"])
    return document(request, team.slug, db.session.get(User, principal.user_id))


def listing(principal: Principal) -> list[dict[str, Any]]:
    """The caller's own requests, and those on teams they supervise (admins: all)."""
    _may_ask(principal)
    query = (db.select(AccessRequest, Team.slug, User)
             .join(Team, Team.id == AccessRequest.team_id)
             .join(User, User.id == AccessRequest.requester_id)
             .where(AccessRequest.organisation_id == principal.organisation_id))
    if principal.role != "admin":
        query = query.where((AccessRequest.requester_id == principal.user_id)
                            | AccessRequest.team_id.in_(principal.teams.values()))
    now = datetime.now(UTC)
    rows = db.session.execute(query.order_by(AccessRequest.created_at.desc())).all()
    for request, _, _ in rows:
        _expire(request, now)
    db.session.flush()
    return [document(request, slug, requester) for request, slug, requester in rows]


def _request(principal: Principal, request_id: str) -> AccessRequest:
    request = db.session.get(AccessRequest, request_id)
    if request is None or request.organisation_id != principal.organisation_id:
        raise NotFound()
    return request


def _decider(principal: Principal, request: AccessRequest) -> Team:
    team = db.session.get(Team, request.team_id)
    if team is None or principal.role != "supervisor" or team.slug not in principal.teams:
        raise Forbidden("Only a supervisor of the team decides, on a phone holding its key.")
    if request.status != "requested":
        raise ValidationProblem(errors={"status": [f"Already {request.status}."]})
    return team


def approve(principal: Principal, request_id: str, grants: dict[str, bytes]) -> dict[str, Any]:
    _may_ask(principal)
    request = _request(principal, request_id)
    team = _decider(principal, request)
    if not grants:
        raise ValidationProblem(errors={"grants": ["Seal the household's keys to approve."]})
    known = set(db.session.execute(db.select(Envelope.id).where(
        Envelope.team_id == team.id, Envelope.id.in_(list(grants)))).scalars())
    if known != set(grants):
        raise ValidationProblem(errors={"grants": ["Only revisions of this team's records."]})
    now = datetime.now(UTC)
    request.status = "approved"
    request.decided_by = principal.user_id
    request.decided_at = now
    request.expires_at = now + timedelta(hours=request.hours)
    request.grants = {env_id: b64u_encode(enc) for env_id, enc in grants.items()}
    audit.record("access_approved", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id,
                 target_type="access_request", target_id=request.id, revisions=len(grants),
                 expires_at=request.expires_at.isoformat(timespec="seconds"))
    db.session.flush()
    return document(request, team.slug, db.session.get(User, request.requester_id))


def refuse(principal: Principal, request_id: str) -> dict[str, Any]:
    _may_ask(principal)
    request = _request(principal, request_id)
    team = _decider(principal, request)
    request.status = "refused"
    request.decided_by = principal.user_id
    request.decided_at = datetime.now(UTC)
    audit.record("access_refused", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id,
                 target_type="access_request", target_id=request.id)
    db.session.flush()
    return document(request, team.slug, db.session.get(User, request.requester_id))


def read(principal: Principal, request_id: str) -> dict[str, Any]:
    """The approved envelopes and the keys sealed to the requester, while the access lasts."""
    _may_ask(principal)
    request = _request(principal, request_id)
    if request.requester_id != principal.user_id:
        raise Forbidden("Only the person who asked reads what was granted.")
    _expire(request, datetime.now(UTC))
    if request.status == "expired":
        db.session.flush()
        raise AccessExpired()
    if request.status != "approved" or not request.grants:
        raise Forbidden("This request is not approved.")
    rows = db.session.execute(db.select(Envelope).where(
        Envelope.id.in_(list(request.grants)))).scalars().all()
    audit.record("access_read", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=request.team_id,
                 target_type="access_request", target_id=request.id, revisions=len(rows))
    return {"expires_at": request.expires_at, "grants": request.grants,
            "envelopes": [json.loads(with_server_fields(e.body, e.seq, e.received_at,
                                                        e.author_id)) for e in rows]}
