"""Team figures (PROTOCOL §4, ARCHITECTURE decision 2): aggregates over the clear ``meta`` of
each record's head, never over content, with small cells suppressed. The caller commits.

What is left in the clear since issue 13 counts records, not households: households and
people registered, visits by contact type, referrals by stage, consents by status, per area
(small areas rolled up) and month. Reach, needs, non-take-up by reason and everything by sex,
age band or target group are computed on the supervisor's phone."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Hashable, Sequence
from datetime import date, timedelta
from typing import Any

from outreach.audit import service as audit
from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.forms.meta import reported_area
from outreach.forms.registry import load_registry
from outreach.reports.facts import Head, load_heads
from outreach.reports.tables import (
    CONSENT,
    NON_TAKE_UP_GROUPS,
    NONE,
    REFERRAL_COLUMNS,
    RIGHT_STATUS,
    Counts,
    Grouping,
    rows,
)
from outreach.teams.models import Area, Team
from outreach.teams.service import supervised_team

DIMENSIONS = ("area", "contact_type", "urbanisation")
# The form whose reportable field a dimension is: its values are the dimension's domain.
DIMENSION_FORMS = {"contact_type": "visit"}
URBANISATION = ("cities", "towns_suburbs", "rural")


def team_for_reports(principal: Principal, slug: str) -> Team:
    """Supervisors of the team and the organisation's admins; workers see no team figures."""
    refusal = "Only the team's supervisors and admins see its figures."
    return supervised_team(principal, slug, refusal)


def months_back(end: date, months: int) -> date:
    """The first day of the ``months`` months that end on ``end``: 12 → a year, day for day."""
    index = end.year * 12 + end.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return date.min
    day = min(end.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) + timedelta(days=1)


def rolled_up_areas(heads: Sequence[Head], parents: dict[str, str | None],
                    minimum: int) -> dict[str | None, str | None]:
    """Where each area's records are counted: the area itself when the team's household
    records name at least ``minimum`` households in it (its sub-areas included), else its
    nearest parent that does, else no area. The phones write small areas this way already
    (``forms.meta.reported_area``, same rule); the server applies it again to what it counts,
    so a phone that knew fewer households, or a row written before the rule, never names a
    small settlement in a figure."""
    households = Counter(head.area for head in heads if head.type == "household" and head.area)
    places = {head.area for head in heads}
    return {area: reported_area(area, households, parents, minimum) if area else None
            for area in places}


def indicators(principal: Principal, team: Team, start: date, end: date, by: Sequence[str],
               k: int, area_minimum: int = 1) -> dict[str, Any]:
    """The whole report: grouped sections, and the same sections for the team as a whole.
    Months are counted whole: ``start`` and ``end`` stand for the months they fall in; an area
    with fewer than ``area_minimum`` households is counted as its parent area."""
    registry = load_registry().latest()
    parent = db.aliased(Area)
    listed = db.session.execute(
        db.select(Area.code, Area.urbanisation, parent.code)
        .outerjoin(parent, parent.id == Area.parent_id)
        .where(Area.organisation_id == team.organisation_id)
    ).all()
    areas = [(code, urbanisation) for code, urbanisation, _ in listed]
    domains: dict[str, Sequence[Hashable]] = {
        "area": [code for code, _ in sorted(areas)] + [None],
        "urbanisation": [*URBANISATION, None],
    }
    for dim, form in DIMENSION_FORMS.items():
        domains[dim] = [*registry[form].reportable[dim]["values"], None]
    counts = Counts(Grouping(DIMENSIONS, dict(areas), domains), start.isoformat()[:7],
                    end.isoformat()[:7])
    heads = load_heads(team.id)
    rolled = rolled_up_areas(heads, {code: up for code, _, up in listed}, area_minimum)
    for head in heads:
        counts.add(head, rolled[head.area])
    counts.settle(k)
    audit.record("report_viewed", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id, target_type="team",
                 target_id=team.slug, by=list(by), start=counts.start, end=counts.end)
    return {"team": team.slug, "from": start, "to": end, "by": list(by), "k": k,
            **_sections(counts, by), "totals": _sections(counts, ())}


def _sections(counts: Counts, by: Sequence[str]) -> dict[str, Any]:
    return {
        "reach": rows(counts, by, [("households", "households", NONE),
                                   ("people", "people", NONE), ("visits", "visits", NONE)]),
        "referrals": rows(counts, by, [(name, "referral", name) for name in REFERRAL_COLUMNS]),
        "consent": rows(counts, by, [(status, "consent", status)
                                     for status in (*CONSENT, "recorded")]),
        "rights": rows(counts, by, [(status, "right", status)
                                    for status in (*RIGHT_STATUS, "recorded")]),
        "rights_not_claimed": rows(counts, by, [(group, "right_not_claimed", group)
                                                for group in NON_TAKE_UP_GROUPS]),
    }
