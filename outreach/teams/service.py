"""Organisations, teams, areas and membership. Plain functions; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from outreach.audit import service as audit
from outreach.auth.models import User
from outreach.errors import Forbidden, NotFound, ValidationProblem
from outreach.extensions import db
from outreach.schema_fields import AREA_RE, SLUG_ERROR, SLUG_RE
from outreach.teams.models import Area, Membership, Organisation, Team

if TYPE_CHECKING:
    from outreach.auth.principal import Principal

# The presence phase's schedule when a team has set none (DOMAIN.md: about every ten weeks for
# about two years); the same numbers as PRESENCE_DEFAULT in static/pwa/src/cases/followup.js.
PRESENCE_DEFAULT = {"interval_weeks": 10, "months": 24}


def get_organisation(slug: str | None = None) -> Organisation | None:
    query = db.select(Organisation).order_by(Organisation.id)
    if slug is not None:
        query = query.where(Organisation.slug == slug)
    return db.session.execute(query.limit(1)).scalar_one_or_none()


def create_organisation(slug: str, name: str, default_locale: str = "en", *,
                        contact_phone: str | None = None,
                        contact_email: str | None = None) -> Organisation:
    if not SLUG_RE.fullmatch(slug):
        raise ValidationProblem(errors={"slug": [SLUG_ERROR]})
    org = Organisation(slug=slug, name=name, default_locale=default_locale,
                       contact_phone=contact_phone, contact_email=contact_email)
    db.session.add(org)
    db.session.flush()
    audit.record("org_initialised", organisation_id=org.id, target_type="organisation",
                 target_id=slug)
    return org


def get_team(slug: str) -> Team | None:
    return db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()


def _own_team(principal: Principal, slug: str) -> Team:
    # Another organisation's team is "not found", so nobody learns which slugs exist elsewhere.
    team = get_team(slug)
    if team is None or team.organisation_id != principal.organisation_id:
        raise NotFound()
    return team


def supervised_team(principal: Principal, slug: str, refusal: str) -> Team:
    """The team if the caller supervises it or administers its organisation, else a problem."""
    team = _own_team(principal, slug)
    if principal.role == "admin":
        return team
    if principal.role != "supervisor" or slug not in principal.teams:
        raise Forbidden(refusal)
    return team


def member_team(principal: Principal, slug: str, refusal: str) -> Team:
    """The team if the caller is one of its members or administers its organisation."""
    team = _own_team(principal, slug)
    if principal.role != "admin" and slug not in principal.teams:
        raise Forbidden(refusal)
    return team


def add_team(organisation: Organisation, slug: str, name: str, *,
             phone: str | None = None) -> Team:
    if not SLUG_RE.fullmatch(slug):
        raise ValidationProblem(errors={"slug": [SLUG_ERROR]})
    if get_team(slug) is not None:
        raise ValidationProblem(errors={"slug": ["This team exists."]})
    team = Team(organisation_id=organisation.id, slug=slug, name=name, phone=phone)
    db.session.add(team)
    db.session.flush()
    audit.record("team_added", organisation_id=organisation.id, team_id=team.id,
                 target_type="team",
                 target_id=slug)
    return team


def add_area(
    team: Team,
    code: str,
    name: str,
    *,
    level: str = "settlement",
    urbanisation: str | None = None,
    deprived: bool | None = None,
    segregated: bool | None = None,
    parent: Area | None = None,
    names: Mapping[str, str] | None = None,
) -> Area:
    if not AREA_RE.fullmatch(code):
        raise ValidationProblem(errors={"code": ["Use A-Z, 0-9 and -, at most 32."]})
    area = Area(
        organisation_id=team.organisation_id, team_id=team.id, code=code, name=name,
        names=dict(names) if names else None,
        level=level, urbanisation=urbanisation, deprived=deprived, segregated=segregated,
        parent_id=parent.id if parent else None,
    )
    db.session.add(area)
    db.session.flush()
    audit.record("area_added", organisation_id=team.organisation_id, team_id=team.id,
                 target_type="area",
                 target_id=code)
    return area


def add_member(team: Team, user: User, *, actor_id: str | None = None) -> Membership:
    """Membership gives pulls, not reading: that needs a key grant from a supervisor's device."""
    existing = db.session.execute(
        db.select(Membership).where(Membership.team_id == team.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    membership = Membership(team_id=team.id, user_id=user.id)
    db.session.add(membership)
    db.session.flush()
    audit.record("member_added", actor_id=actor_id, organisation_id=team.organisation_id,
                 team_id=team.id,
                 target_type="user", target_id=user.id, team=team.slug)
    return membership


def presence_of(team: Team) -> dict[str, int]:
    """The team's presence schedule, the defaults filled in where it set none."""
    return {"interval_weeks": team.presence_interval_weeks or PRESENCE_DEFAULT["interval_weeks"],
            "months": team.presence_months or PRESENCE_DEFAULT["months"]}


def set_presence(team: Team, interval_weeks: int, months: int, *, actor_id: str | None = None
                 ) -> dict[str, int]:
    """Set the team's presence schedule; phones pick it up with the team's settings and apply
    it to every case in the presence phase that has no schedule of its own. Caller commits."""
    if interval_weeks * 7 > months * 31:
        raise ValidationProblem(errors={"interval_weeks": [
            "A contact every interval must fit in the period at least once."]})
    before = presence_of(team)
    team.presence_interval_weeks = interval_weeks
    team.presence_months = months
    db.session.flush()
    audit.record("presence_changed", actor_id=actor_id, organisation_id=team.organisation_id,
                 team_id=team.id, target_type="team", target_id=team.slug,
                 before=before, after=presence_of(team))
    return presence_of(team)


def team_member_ids(team: Team) -> list[str]:
    return list(
        db.session.execute(
            db.select(Membership.user_id).where(Membership.team_id == team.id)
        ).scalars()
    )


def team_ids_for(user_id: str) -> dict[str, int]:
    """Slug → primary key of every team the user is a member of."""
    rows = db.session.execute(
        db.select(Team.slug, Team.id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user_id)
    )
    return {slug: pk for slug, pk in rows}


def teams_document(team_pks: Iterable[int], services: Sequence[Mapping[str, Any]],
                   area_minimum: int = 1, *, rights: Sequence[Mapping[str, Any]] = ()
                   ) -> dict[str, Any]:
    """GET /api/v1/teams: the given teams with their areas (and where a small one reports),
    phone and members' names, the organisation's contact and the referral catalogue (what a
    printed plan needs offline).

    Callers pass the principal's own teams: an admin who is no member gets none, as with keys."""
    pks = list(team_pks)
    if not pks:
        return {"teams": []}
    teams = db.session.execute(
        db.select(Team).where(Team.id.in_(pks)).order_by(Team.slug)
    ).scalars().all()
    areas: dict[int | None, list[dict[str, Any]]] = {team.id: [] for team in teams}
    parent = db.aliased(Area)
    for area, parent_code in db.session.execute(
        db.select(Area, parent.code).outerjoin(parent, parent.id == Area.parent_id)
        .where(Area.team_id.in_(pks)).order_by(Area.code)
    ):
        areas[area.team_id].append({
            "code": area.code, "name": area.name, "level": area.level,
            "urbanisation": area.urbanisation, "deprived": area.deprived,
            "segregated": area.segregated, "names": area.names, "parent": parent_code})
    # Who is in the team: a phone shows who recorded a visit or which side of a conflict is
    # whose (an envelope names its author by user id only), and a printed plan names the
    # worker by display name.
    members: dict[int, list[dict[str, str]]] = {team.id: [] for team in teams}
    for team_pk, user in db.session.execute(
        db.select(Membership.team_id, User).join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(pks)).order_by(User.username)
    ):
        members[team_pk].append({"id": user.id, "username": user.username,
                                 "display_name": user.display_name or user.username})
    organisations = {org.id: org for org in db.session.execute(
        db.select(Organisation).where(Organisation.id.in_({t.organisation_id for t in teams}))
    ).scalars()}
    return {
        "teams": [
            {"id": team.slug, "name": team.name, "phone": team.phone, "areas": areas[team.id],
             "area_min_households": area_minimum,
             "members": members[team.id], "organisation": organisations[team.organisation_id],
             "presence": presence_of(team),
             "services": list(services), "rights": list(rights)}
            for team in teams
        ]
    }
