"""Record heads: the revisions of a record that no other revision names as a parent. More
than one is a conflict, kept and shown until a revision names them all (PROTOCOL §3)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import cast

from sqlalchemy import Table, delete

from outreach.bulk_insert import BulkInsert
from outreach.extensions import db
from outreach.prepared import Query, one_of
from outreach.sync.models import Envelope, RecordHead

_HEADS = cast(Table, RecordHead.__table__)
_INSERT_HEADS = BulkInsert(_HEADS)
_DELETE = Query(delete(_HEADS).where(one_of(_HEADS.c.record_id, "record_ids")))


def heads_of(revisions: Mapping[str, str]) -> set[str]:
    """The heads among one record's revisions ({revision id: its parents as JSON text})."""
    superseded = {p for parents in revisions.values() for p in json.loads(parents)}
    return {rev_id for rev_id in revisions if rev_id not in superseded}


def store_heads(heads: Mapping[str, set[str]], teams: Mapping[str, int],
                replaced: Collection[str]) -> None:
    """Write the heads of each record (record id → its team in ``teams``); the stored heads of
    the records in ``replaced`` go first. A record first seen in this transaction has none."""
    connection = db.session.connection()
    if replaced:
        _DELETE.execute(connection, {"record_ids": sorted(replaced)})
    rows = [{"record_id": record_id, "envelope_id": head, "team_id": teams[record_id]}
            for record_id, record_heads in heads.items() for head in sorted(record_heads)]
    _INSERT_HEADS.execute(connection, rows)  # nothing to write: no statement


def recompute_heads(touched: dict[str, int]) -> dict[str, set[str]]:
    """The heads of each touched record (record id → its team), read from every stored
    revision and stored again: the straightforward path, for writers other than a push."""
    revisions: dict[str, dict[str, str]] = {r: {} for r in touched}
    for row in db.session.execute(
        db.select(Envelope.record_id, Envelope.id, Envelope.parents)
        .where(Envelope.record_id.in_(touched))
    ):
        revisions[row.record_id][row.id] = row.parents
    heads = {record_id: heads_of(revs) for record_id, revs in revisions.items()}
    store_heads(heads, touched, touched)
    return heads
