"""People and teams of an organisation, as its administrator sees them: no content, no keys."""

from __future__ import annotations

from typing import Any

from outreach.admin.scope import Scope
from outreach.audit import service as audit
from outreach.auth import service as auth
from outreach.auth.models import User
from outreach.errors import Forbidden, NotFound, ValidationProblem
from outreach.extensions import db
from outreach.keys.models import KeyGrant
from outreach.keys.service import current_team_key
from outreach.teams import service as teams
from outreach.teams.models import Area, Membership, Organisation, Team


def _user_document(user: User, team_slugs: list[str]) -> dict[str, Any]:
    return {"id": user.id, "username": user.username,
            "display_name": user.display_name or user.username, "role": user.role,
            "state": "deactivated" if user.revoked_at else "active", "teams": team_slugs,
            "created_at": user.created_at}


def list_users(scope: Scope) -> list[dict[str, Any]]:
    users = db.session.execute(
        db.select(User).where(User.organisation_id == scope.organisation_id)
        .order_by(User.username)).scalars().all()
    slugs: dict[str, list[str]] = {}
    for user_id, slug in db.session.execute(
        db.select(Membership.user_id, Team.slug).join(Team, Team.id == Membership.team_id)
        .where(Team.organisation_id == scope.organisation_id).order_by(Team.slug)
    ):
        slugs.setdefault(user_id, []).append(slug)
    return [_user_document(user, slugs.get(user.id, [])) for user in users]


def _user(scope: Scope, user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != scope.organisation_id:
        raise NotFound()
    return user


def change_user(scope: Scope, user_id: str, changes: dict[str, Any], *, actor_id: str
                ) -> dict[str, Any]:
    user = _user(scope, user_id)
    if "role" in changes and changes["role"] != user.role:
        if user.id == actor_id:
            raise Forbidden("Ask another administrator to change your own role.")
        audit.record("role_changed", actor_id=actor_id, organisation_id=user.organisation_id,
                     target_type="user", target_id=user.id, before=user.role,
                     after=changes["role"])
        user.role = changes["role"]
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    db.session.flush()
    return _user_document(user, auth.user_team_slugs(user.id))


def deactivate(scope: Scope, user_id: str, *, actor_id: str) -> dict[str, Any]:
    """Every device of theirs wipes on its next contact; their records stay the team's."""
    user = _user(scope, user_id)
    if user.id == actor_id:
        raise Forbidden("You cannot deactivate your own account.")
    auth.revoke_user(user.id, actor_id=actor_id)
    audit.record("user_deactivated", actor_id=actor_id, organisation_id=user.organisation_id,
                 target_type="user", target_id=user.id)
    return _user_document(user, auth.user_team_slugs(user.id))


def teams_document(scope: Scope) -> list[dict[str, Any]]:
    """Every team with its members (pending until granted the current key) and its areas."""
    org_teams = db.session.execute(
        db.select(Team).where(Team.organisation_id == scope.organisation_id)
        .order_by(Team.slug)).scalars().all()
    documents = []
    for team in org_teams:
        current = current_team_key(team.id)
        granted = set() if current is None else set(db.session.execute(
            db.select(KeyGrant.user_id).where(KeyGrant.team_key_id == current.id)).scalars())
        members = db.session.execute(
            db.select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team.id).order_by(User.username)).scalars()
        areas = db.session.execute(
            db.select(Area).where(Area.team_id == team.id).order_by(Area.code)).scalars().all()
        codes = {area.id: area.code for area in areas}
        documents.append({
            "id": team.slug, "name": team.name, "phone": team.phone,
            "key_version": current.version if current else None,
            "presence": teams.presence_of(team),
            "members": [{"user_id": u.id, "username": u.username,
                         "display_name": u.display_name or u.username, "role": u.role,
                         "pending": u.id not in granted} for u in members],
            "areas": [{"code": a.code, "name": a.name, "names": a.names, "level": a.level,
                       "parent": codes.get(a.parent_id) if a.parent_id else None,
                       "urbanisation": a.urbanisation, "deprived": a.deprived,
                       "segregated": a.segregated} for a in areas],
        })
    return documents


def _organisation(scope: Scope) -> Organisation:
    org = db.session.get(Organisation, scope.organisation_id)
    if org is None:
        raise NotFound()
    return org


def _team(scope: Scope, slug: str) -> Team:
    team = teams.get_team(slug)
    if team is None or team.organisation_id != scope.organisation_id:
        raise NotFound()
    return team


def add_team(scope: Scope, body: dict[str, Any]) -> Team:
    return teams.add_team(_organisation(scope), body["slug"], body["name"], phone=body["phone"])


def add_area(scope: Scope, slug: str, body: dict[str, Any]) -> Area:
    team = _team(scope, slug)
    parent = None
    if body["parent"]:
        parent = db.session.execute(db.select(Area).where(
            Area.organisation_id == scope.organisation_id, Area.code == body["parent"])
        ).scalar_one_or_none()
        if parent is None:
            raise ValidationProblem(errors={"parent": ["No such area."]})
    taken = db.session.execute(db.select(Area.id).where(
        Area.organisation_id == scope.organisation_id, Area.code == body["code"])).first()
    if taken is not None:
        raise ValidationProblem(errors={"code": ["This area code exists."]})
    return teams.add_area(team, body["code"], body["name"], level=body["level"],
                          urbanisation=body["urbanisation"], deprived=body["deprived"],
                          segregated=body["segregated"], parent=parent, names=body["names"])


def add_member(scope: Scope, slug: str, username: str, *, actor_id: str) -> Membership:
    team = _team(scope, slug)
    user = auth.find_user(username)
    if user is None or user.organisation_id != scope.organisation_id:
        raise ValidationProblem(errors={"username": ["No such user."]})
    if user.revoked_at is not None:
        raise ValidationProblem(errors={"username": ["This account is deactivated."]})
    return teams.add_member(team, user, actor_id=actor_id)


