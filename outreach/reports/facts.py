"""What reports read: the clear ``meta`` of each record's head, one record at a time.

Envelope format 2 has no clear case id, so the server cannot group records by household, and
does not try: its figures count records (households registered, visits, referrals, consents).
Figures about households and people are computed on the supervisor's phone, which also writes
an area with few households as its parent area. Only routing
columns and ``meta`` are selected; the sealed ``body`` is never loaded (``tests/reports``
watches the SQL).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from outreach.extensions import db
from outreach.sync.models import Envelope, RecordHead

REPORTED_TYPES = ("household", "person", "visit", "referral", "consent", "right")


@dataclass(slots=True)
class Head:
    """The revision a record stands at now: the one a report counts, once per record."""

    type: str
    meta: dict[str, Any]
    seq: int

    @property
    def month(self) -> str | None:
        """``YYYY-MM``; a format 1 row still holds a day, of which the month is kept."""
        value = self.meta.get("date")
        return value[:7] if isinstance(value, str) else None

    @property
    def area(self) -> str | None:
        value = self.meta.get("area")
        return value if isinstance(value, str) else None


def load_heads(team_pk: int) -> list[Head]:
    """Every reported record of the team at its head, in one query.

    A record in conflict has several heads; the one the server received last stands for it,
    so each record is counted once."""
    rows = db.session.execute(
        db.select(Envelope.record_id, Envelope.type, Envelope.meta, Envelope.seq)
        .join(RecordHead, (RecordHead.record_id == Envelope.record_id)
              & (RecordHead.envelope_id == Envelope.id))
        .where(Envelope.team_id == team_pk, Envelope.type.in_(REPORTED_TYPES))
        .order_by(Envelope.seq)
    )
    latest = {row[0]: row for row in rows}  # in server order: the last head wins
    loads = json.loads
    return [Head(type_, loads(meta), seq) for _, type_, meta, seq in latest.values()]
