"""The server's order of envelopes as devices see it: positions, the generation, anchors.

A pull cursor names a position (an envelope ``seq``), the database generation and an *anchor*:
a short hash of the id of the envelope at that position. A cursor is good only when all three
still describe this database. Positions are never reused (AUTOINCREMENT on SQLite, a sequence
on PostgreSQL), so an envelope missing at a position that was handed out was erased, and the
device lost nothing. A restored backup is caught twice: the restore renews the generation, and
even a restore done by hand (a copied file, ``pg_restore``) leaves cursors whose position lies
beyond the last one the copy handed out, or whose anchor names another envelope.
"""

from __future__ import annotations

import hashlib
import os
from typing import cast

from sqlalchemy import Table, bindparam, select, text

from outreach.db_events import take_writers_turn
from outreach.extensions import db
from outreach.prepared import Query
from outreach.sync.models import Envelope, SyncState

GENERATION_BYTES = 8
ANCHOR_BYTES = 8
NO_ANCHOR = bytes(ANCHOR_BYTES)
# Read on every sync: statements compiled once and run on the driver's cursor, not ORM gets
# (outreach/prepared.py, docs/performance.md).
_GENERATION = Query(select(cast(Table, SyncState.__table__).c.generation).where(
    cast(Table, SyncState.__table__).c.id == 1))
_ID_AT = Query(select(cast(Table, Envelope.__table__).c.id).where(
    cast(Table, Envelope.__table__).c.seq == bindparam("position")))
_BEGIN_IMMEDIATE = Query(text("BEGIN IMMEDIATE"))
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(7301)")


def anchor(envelope_id: str) -> bytes:
    return hashlib.sha256(envelope_id.encode("ascii")).digest()[:ANCHOR_BYTES]


def generation() -> bytes:
    """This database's generation; created on first use (a database older than it)."""
    found = _GENERATION.scalars(db.session.connection())
    if found:
        return bytes(found[0])
    state = db.session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1, generation=os.urandom(GENERATION_BYTES))
        db.session.add(state)
        db.session.flush()
    return bytes(state.generation)


def renew_generation() -> bytes:
    """After a restore: every cursor issued before stops working (412). Caller commits."""
    state = db.session.get(SyncState, 1)
    value = os.urandom(GENERATION_BYTES)
    if state is None:
        db.session.add(SyncState(id=1, generation=value))
    else:
        state.generation = value
    db.session.flush()
    return value


def last_issued() -> int:
    """The highest position ever handed out in this database, erased envelopes included."""
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        value = db.session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'envelope'")
        ).scalar_one_or_none()
    else:
        value = db.session.execute(text(
            "SELECT pg_sequence_last_value(pg_get_serial_sequence('envelope', 'seq')::regclass)"
        )).scalar_one_or_none()
    # Rows written before AUTOINCREMENT existed, or a sequence never called: the rows tell.
    highest = db.session.execute(db.select(db.func.max(Envelope.seq))).scalar_one_or_none()
    return max(int(value or 0), int(highest or 0))


def position_holds(position: int, expected: bytes) -> bool:
    """True when ``position`` with its anchor is a point of this database's order."""
    if position == 0:
        return expected == NO_ANCHOR
    ids = _ID_AT.scalars(db.session.connection(), {"position": position})
    if ids:
        return anchor(ids[0]) == expected
    # Missing: erased (fine, the device is told through `erased`), or never handed out by this
    # database (a restored copy that has not caught up): the device must start again.
    return position <= last_issued()


def anchor_at(position: int) -> bytes:
    if position == 0:
        return NO_ANCHOR
    found = db.session.execute(
        db.select(Envelope.id).where(Envelope.seq == position)
    ).scalar_one()
    return anchor(found)


def serialise_writers() -> None:
    """Envelope writers take turns from here to their commit.

    Sequence order then equals commit order, so a pull cursor never skips a row: on PostgreSQL
    two transactions could take seq 10 and 11 and commit 11 first, and a device that pulled 11
    would never see 10. And what a push reads after this call (the batch's stored revisions,
    heads, keys) stays true until it commits, so it decides and computes heads in memory.
    PostgreSQL: a transaction-scoped advisory lock. SQLite has a single writer, but the driver
    begins a transaction only at the first write, so reads before it are not in it: the
    transaction begins here, IMMEDIATE (the write lock is taken now), after the writers' turn
    (``db_events.take_writers_turn``: waiting in the kernel, not in SQLite's busy handler)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_ADVISORY_LOCK)
        return
    dbapi = connection.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        # Already in one: a write of this transaction holds SQLite's lock, and waiting for the
        # turn while holding it could keep the turn's holder from its own write.
        take_writers_turn(connection)
        _BEGIN_IMMEDIATE.execute(connection)
