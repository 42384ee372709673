"""Devices of the people an admin or supervisor looks after, and revoking a lost phone."""

from __future__ import annotations

from typing import Any

from outreach.admin.scope import Scope, member_ids
from outreach.auth import service as auth
from outreach.auth.models import Device, User
from outreach.errors import Forbidden, NotFound
from outreach.extensions import db
from outreach.teams.models import Membership, Team
from outreach.teams.service import team_ids_for


def _teams_of(user_ids: set[str]) -> dict[str, list[str]]:
    teams: dict[str, list[str]] = {}
    for user_id, slug in db.session.execute(
        db.select(Membership.user_id, Team.slug).join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id.in_(user_ids)).order_by(Team.slug)
    ):
        teams.setdefault(user_id, []).append(slug)
    return teams


def _document(device: Device, user: User, teams: list[str]) -> dict[str, Any]:
    return {"id": device.id, "name": device.name, "user_id": user.id,
            "username": user.username, "display_name": user.display_name or user.username,
            "role": user.role, "teams": teams, "created_at": device.created_at,
            "last_seen_at": device.last_seen_at, "revoked_at": device.revoked_at,
            "revoked_reason": device.revoked_reason}


def list_devices(scope: Scope, team: Team | None = None) -> list[dict[str, Any]]:
    """Every device of the people in scope (or of one team's members), newest contact first."""
    users = member_ids(scope)
    if team is not None:
        users &= set(db.session.execute(
            db.select(Membership.user_id).where(Membership.team_id == team.id)).scalars())
    if not users:
        return []
    rows = db.session.execute(
        db.select(Device, User).join(User, User.id == Device.user_id)
        .where(Device.user_id.in_(users))
        .order_by(User.username, Device.created_at)
    ).all()
    teams = _teams_of(users)
    return [_document(device, user, teams.get(user.id, [])) for device, user in rows]


def revoke(scope: Scope, device_id: str, reason: str, *, actor_id: str,
           actor_device_id: str) -> dict[str, Any]:
    """Revoke a device in scope. A supervisor may not revoke an admin's device, nor their own
    phone from itself (that is the quick exit's job); the answer names the teams whose key the
    caller should rotate now."""
    row = db.session.execute(
        db.select(Device, User).join(User, User.id == Device.user_id)
        .where(Device.id == device_id)).one_or_none()
    if row is None or row[1].organisation_id != scope.organisation_id:
        raise NotFound()
    device, user = row
    if user.id not in member_ids(scope):
        raise Forbidden("This device belongs to no one in your teams.")
    if not scope.whole_organisation and user.role == "admin":
        raise Forbidden("Only an administrator may revoke an administrator's device.")
    if device_id == actor_device_id:
        raise Forbidden("Revoke this phone from another one (or use the quick exit).")
    auth.revoke_device(device_id, actor_id=actor_id, reason=reason,
                       actor_device_id=actor_device_id)
    teams = _teams_of({user.id}).get(user.id, [])
    supervised = set(team_ids_for(actor_id))
    return {"device": _document(device, user, teams),
            "rotate_teams": [slug for slug in teams if slug in supervised]}
