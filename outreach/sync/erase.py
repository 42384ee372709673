"""Erasure (GDPR art. 17): every revision of a record removed, only its id remembered, so the
devices that hold it are told to drop it with their next pull (PROTOCOL §2)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete

from outreach.audit import service as audit
from outreach.extensions import db
from outreach.sync import digest as drift
from outreach.sync import order
from outreach.sync.models import Envelope, ErasedRecord, RecordHead


def erase_record(record_id: str, *, actor_id: str | None = None) -> int:
    """Remove every revision of a record; remember only its id. Returns the number of
    revisions removed. The caller commits."""
    team_id = db.session.execute(
        db.select(Envelope.team_id).where(Envelope.record_id == record_id).limit(1)
    ).scalar_one_or_none()
    if team_id is None:
        return 0
    # The last position handed out, not the highest still stored: after an earlier erasure of
    # the newest envelope, devices may stand beyond the highest stored one.
    position = order.last_issued()
    order.serialise_writers()
    ids = list(db.session.execute(
        db.select(Envelope.id).where(Envelope.record_id == record_id)).scalars())
    drift.apply({team_id: ids}, -1)
    removed = cast(CursorResult[Any],
                   db.session.execute(delete(Envelope).where(Envelope.record_id == record_id)))
    db.session.execute(delete(RecordHead).where(RecordHead.record_id == record_id))
    db.session.add(ErasedRecord(record_id=record_id, team_id=team_id, erased_seq=position))
    audit.record("erasure", actor_id=actor_id, team_id=team_id, target_type="record",
                 target_id=record_id,
                 revisions=removed.rowcount)
    db.session.flush()
    return int(removed.rowcount)
