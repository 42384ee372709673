"""Per-connection settings that make SQLite durable enough to acknowledge records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from outreach.extensions import db


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
        cursor.close()
        _owner_only(engine.url.database)


def _owner_only(path: str | None) -> None:
    """The database holds ciphertext, but also hashes, wrapped keys and the audit log: readable
    by its owner only. SQLite creates the WAL and shared-memory files with the database
    file's mode, so the main file is the one to fix (it is made 0644 under the usual umask)."""
    if not path or path == ":memory:":
        return
    for suffix in ("", "-wal", "-shm"):
        file = Path(path + suffix)
        try:
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError:
            pass  # not ours to change (a shared file system): the operator's umask decides
