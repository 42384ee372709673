"""Team figures (PROTOCOL §4, ARCHITECTURE decision 2): aggregates over the clear ``meta`` of
each record's head, never over content, with small cells suppressed. The caller commits."""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Sequence
from datetime import date, timedelta
from typing import Any

from outreach.audit import service as audit
from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.forms.registry import load_registry
from outreach.reports.facts import load_cases
from outreach.reports.tables import (
    CONSENT,
    NONE,
    REFERRAL_COLUMNS,
    Counts,
    Grouping,
    needs_rows,
    reason_rows,
    rows,
)
from outreach.teams.models import Area, Team
from outreach.teams.service import supervised_team

DIMENSIONS = ("area", "sex", "age_band", "contact_type", "service_type", "urbanisation")
# The form whose reportable field a dimension is: its values are the dimension's domain.
DIMENSION_FORMS = {"sex": "person", "age_band": "person", "contact_type": "visit",
                   "service_type": "referral"}
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


def indicators(principal: Principal, team: Team, start: date, end: date, by: Sequence[str],
               k: int) -> dict[str, Any]:
    """The whole report: grouped sections, and the same sections for the team as a whole."""
    registry = load_registry().latest()
    areas = db.session.execute(
        db.select(Area.code, Area.urbanisation)
        .where(Area.organisation_id == team.organisation_id)
    ).all()
    domains: dict[str, Sequence[Hashable]] = {
        "area": [code for code, _ in sorted(areas)] + [None],
        "urbanisation": [*URBANISATION, None],
    }
    for dim, form in DIMENSION_FORMS.items():
        domains[dim] = [*registry[form].reportable[dim]["values"], None]
    score_domains = list(registry["assessment"].reportable["scores"]["keys"])
    reasons = [*registry["referral"].reportable["not_taken_up_reason"]["values"], None]
    counts = Counts(Grouping(DIMENSIONS, dict(areas), domains), start.isoformat(),
                    end.isoformat())
    scored = frozenset(score_domains)
    for case in load_cases(team.id).values():
        counts.add_case(case, scored, reasons)
    counts.settle(k)
    audit.record("report_viewed", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id, target_type="team",
                 target_id=team.slug, by=list(by), start=counts.start, end=counts.end)
    return {"team": team.slug, "from": start, "to": end, "by": list(by), "k": k,
            **_sections(counts, by, score_domains), "totals": _sections(counts, (), score_domains)}


def _sections(counts: Counts, by: Sequence[str], score_domains: Sequence[str]
              ) -> dict[str, Any]:
    return {
        "reach": rows(counts, by, [("households", "consent", "households"),
                                   ("people", "people", NONE), ("visits", "visits", NONE)]),
        "needs": needs_rows(counts, by, score_domains),
        "referrals": rows(counts, by, [(name, "referral", name) for name in REFERRAL_COLUMNS]),
        "not_taken_up": reason_rows(counts, by),
        "consent": rows(counts, by, [(status, "consent", status) for status in CONSENT]),
    }
