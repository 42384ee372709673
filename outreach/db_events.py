"""Per-connection settings that make SQLite durable enough to acknowledge records, and the
writers' turn that envelope writers take before SQLite's write lock."""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, event

from outreach.extensions import db

log = logging.getLogger(__name__)
# The writers' connections checkpoint the WAL every this many turns, after letting go of the
# turn; SQLite's own checkpoint (inside a commit, so inside the turn) stays as a backstop at
# this many pages (~40 MB of WAL) for writers outside the turn (logins, administration).
TURNS_PER_CHECKPOINT = 8
AUTOCHECKPOINT_PAGES = 10_000


def register_db_events(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets pulls read while a push writes; synchronous=FULL makes a commit survive a
        # power cut, which is what "accepted" promises (ARCHITECTURE decision 4).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Erased and re-sealed revisions are overwritten with zeros, not left in free pages
        # where a seized file would still hold a format 1 case id.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()
        _owner_only(engine.url.database)
        path = engine.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            # One open file description per connection: flock excludes each from the others,
            # threads of one process included.
            _record.info[_TURN_FD] = os.open(path + ".writers", os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine, "checkin")
    def _end_turn(dbapi_connection: Any, record: Any) -> None:
        # Back in the pool: the transaction ended (committed, fsync included, or rolled back).
        if record is None or not record.info.pop(_TURN_HELD, False):
            return
        fcntl.flock(record.info[_TURN_FD], fcntl.LOCK_UN)
        turns = record.info.get(_TURNS, 0) + 1
        record.info[_TURNS] = turns % TURNS_PER_CHECKPOINT
        if turns == TURNS_PER_CHECKPOINT and dbapi_connection is not None:
            _checkpoint(dbapi_connection)

    @event.listens_for(engine, "close")
    def _close_turn(_dbapi_connection: Any, record: Any) -> None:
        if record is None:
            return
        record.info.pop(_TURN_HELD, None)
        fd = record.info.pop(_TURN_FD, None)
        if fd is not None:
            os.close(fd)  # closing it also ends a turn still held


_TURN_FD = "outreach_writers_fd"
_TURN_HELD = "outreach_writers_held"
_TURNS = "outreach_writers_turns"


def _checkpoint(dbapi_connection: Any) -> None:
    """Copy the WAL into the database outside the turn. PASSIVE: it waits for nobody, and
    writers go on appending to the WAL meanwhile; what it leaves, the next one copies. A
    commit's durability does not depend on it (the WAL was synced at the commit)."""
    try:
        dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error as exc:
        log.warning("WAL checkpoint after a writers' turn failed: %s", exc)


def take_writers_turn(connection: Connection) -> None:
    """Wait, in the kernel, until no other connection to this SQLite file writes envelopes.

    SQLite's busy handler polls for its write lock in growing sleeps (1, 2, 5 … 100 ms), so a
    freed lock stays idle until a sleeper wakes and a newcomer can overtake a long waiter: under
    four workers bench/sync.py saw a p99 twenty times the p50. ``flock`` hands the turn to the
    next waiter when it is let go, which is when the connection goes back to the pool after its
    commit (``_end_turn``); a crashed worker's turn ends with its process. No-op for databases
    without a file (in memory), which have one connection anyway."""
    info = connection.connection.info
    fd = info.get(_TURN_FD)
    if fd is None or info.get(_TURN_HELD):
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    info[_TURN_HELD] = True


def _owner_only(path: str | None) -> None:
    """The database holds ciphertext, but also hashes, wrapped keys and the audit log: readable
    by its owner only. SQLite creates the WAL and shared-memory files with the database
    file's mode, so the main file is the one to fix (it is made 0644 under the usual umask)."""
    if not path or path == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", ".writers"):
        file = Path(path + suffix)
        try:
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError:
            pass  # not ours to change (a shared file system): the operator's umask decides
