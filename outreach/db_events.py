"""Per-connection settings that make SQLite durable enough to acknowledge records."""

from __future__ import annotations

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
        cursor.close()
