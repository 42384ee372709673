"""Who may administer what: admins their organisation, supervisors the teams they supervise.

Every view of outreach/admin starts here, so one test over all of them proves that workers and
other teams' supervisors are refused (tests/admin/test_refusals.py)."""

from __future__ import annotations

from dataclasses import dataclass

from outreach.auth.principal import Principal
from outreach.errors import Forbidden
from outreach.extensions import db
from outreach.teams.models import Membership, Team

ADMINS_ONLY = "Only an administrator of the organisation may do this."
SUPERVISORS_ONLY = "Only the team's supervisors or an administrator may do this."


@dataclass(frozen=True)
class Scope:
    """What the caller may see: the whole organisation, or these teams (primary keys)."""

    organisation_id: int
    whole_organisation: bool
    team_ids: frozenset[int]

    def covers_team(self, team_id: int | None) -> bool:
        return self.whole_organisation or team_id in self.team_ids


def require_admin(principal: Principal) -> Scope:
    if principal.role != "admin":
        raise Forbidden(ADMINS_ONLY)
    return Scope(principal.organisation_id, True, frozenset())


def supervisor_scope(principal: Principal) -> Scope:
    """Admins see the organisation; supervisors the teams they are members of; workers nothing."""
    if principal.role == "admin":
        return require_admin(principal)
    if principal.role != "supervisor":
        raise Forbidden(SUPERVISORS_ONLY)
    return Scope(principal.organisation_id, False, frozenset(principal.teams.values()))


def member_ids(scope: Scope) -> set[str]:
    """The users the scope covers: everyone of the organisation, or the teams' members."""
    from outreach.auth.models import User

    if scope.whole_organisation:
        return set(db.session.execute(
            db.select(User.id).where(User.organisation_id == scope.organisation_id)).scalars())
    return set(db.session.execute(
        db.select(Membership.user_id).where(Membership.team_id.in_(scope.team_ids))).scalars())


def team_in_scope(scope: Scope, slug: str) -> Team:
    """A team the scope covers; another organisation's team answers like a foreign one."""
    from outreach.errors import NotFound

    team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()
    if team is None or team.organisation_id != scope.organisation_id:
        raise NotFound()
    if not scope.covers_team(team.id):
        raise Forbidden(SUPERVISORS_ONLY)
    return team
