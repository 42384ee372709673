"""Record heads: the revisions of a record that no other revision names as a parent. More
than one is a conflict, kept and shown until a revision names them all (PROTOCOL §3)."""

from __future__ import annotations

import json
from typing import cast

from sqlalchemy import Table, delete

from outreach.extensions import db
from outreach.sync.models import Envelope, RecordHead


def recompute_heads(touched: dict[str, int]) -> dict[str, set[str]]:
    """The heads of each touched record (record id → its team), stored again in RecordHead."""
    revisions: dict[str, list[tuple[str, list[str]]]] = {r: [] for r in touched}
    for row in db.session.execute(
        db.select(Envelope.record_id, Envelope.id, Envelope.parents)
        .where(Envelope.record_id.in_(touched))
    ):
        revisions[row.record_id].append((row.id, json.loads(row.parents)))
    heads: dict[str, set[str]] = {}
    for record_id, revs in revisions.items():
        superseded = {p for _, parents in revs for p in parents}
        heads[record_id] = {rev_id for rev_id, _ in revs if rev_id not in superseded}
    db.session.execute(delete(RecordHead).where(RecordHead.record_id.in_(touched)))
    db.session.execute(cast(Table, RecordHead.__table__).insert(), [
        {"record_id": record_id, "envelope_id": head, "team_id": touched[record_id]}
        for record_id, record_heads in heads.items() for head in record_heads
    ])
    return heads
