"""What reports read: the clear ``meta`` of each record's head, gathered per household case.

Only routing columns and ``meta`` are selected; the sealed ``body`` is never loaded, so no
figure can come from content, not even by accident (``tests/reports`` watches the SQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from outreach.extensions import db
from outreach.sync.models import Envelope, RecordHead

REPORTED_TYPES = ("household", "person", "visit", "assessment", "referral", "consent")


@dataclass(slots=True)
class Head:
    """The revision a record stands at now: the one a report counts, once per record."""

    type: str
    meta: dict[str, Any]
    seq: int

    @property
    def date(self) -> str | None:
        value = self.meta.get("date")
        return value if isinstance(value, str) else None

    @property
    def area(self) -> str | None:
        value = self.meta.get("area")
        return value if isinstance(value, str) else None

    def order(self) -> tuple[str, int]:
        """Oldest first: by the date on the form, then by arrival at the server."""
        return (self.date or "", self.seq)


@dataclass
class Case:
    """One household case: its record heads by type (case ids are pseudonymous)."""

    household: Head | None = None
    people: list[Head] = field(default_factory=list)
    visits: list[Head] = field(default_factory=list)
    assessments: list[Head] = field(default_factory=list)
    referrals: list[Head] = field(default_factory=list)
    consents: list[Head] = field(default_factory=list)

    def heads(self) -> Iterable[Head]:
        if self.household is not None:
            yield self.household
        for kind in (self.people, self.visits, self.assessments, self.referrals, self.consents):
            yield from kind

    def area_until(self, end: str) -> str | None:
        """Where the household lives, as the team last recorded it on or before ``end``: the
        area of its latest visit (only visits ask for one), else its own record's area."""
        visits = [v for v in self.visits if v.area and v.date and v.date <= end]
        if visits:
            return max(visits, key=Head.order).area
        return self.household.area if self.household is not None else None


_PLURAL = {"person": "people", "visit": "visits", "assessment": "assessments",
           "referral": "referrals", "consent": "consents"}


def load_cases(team_pk: int) -> dict[str, Case]:
    """Every case of the team with the heads of its records, in one query.

    A record in conflict has several heads; the one the server received last stands for it,
    so each record is counted once."""
    rows = db.session.execute(
        db.select(Envelope.record_id, Envelope.case_id, Envelope.type, Envelope.meta,
                  Envelope.seq)
        .join(RecordHead, (RecordHead.record_id == Envelope.record_id)
              & (RecordHead.envelope_id == Envelope.id))
        .where(Envelope.team_id == team_pk, Envelope.type.in_(REPORTED_TYPES))
        .order_by(Envelope.seq)
    )
    latest = {row[0]: row for row in rows}  # in server order: the last head wins
    cases: dict[str, Case] = {}
    loads = json.loads
    for _, case_id, type_, meta, seq in latest.values():
        case = cases.get(case_id)
        if case is None:
            case = cases[case_id] = Case()
        head = Head(type_, loads(meta), seq)
        if type_ != "household":
            getattr(case, _PLURAL[type_]).append(head)
        elif case.household is None or case.household.seq < seq:
            case.household = head  # the latest, should a case hold two
    return cases
