"""The shipped gunicorn settings pick their worker count from the database (issue 18)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def workers_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> int:
    for name in ("DATABASE_URL", "OUTREACH_DATABASE_URL", "OUTREACH_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return int(runpy.run_path(str(CONF))["workers"])


def test_sqlite_gets_one_worker_per_core_and_postgresql_two(monkeypatch):
    cores = os.cpu_count() or 1
    # Envelope writers take turns on SQLite; a worker beyond the cores only slows the holder.
    assert workers_with(monkeypatch, DATABASE_URL="sqlite:////var/lib/outreach/o.db") == cores
    assert workers_with(monkeypatch, OUTREACH_DATABASE_URL="sqlite:///o.db") == cores
    assert workers_with(
        monkeypatch, DATABASE_URL="postgresql+psycopg://o@127.0.0.1/o") == 2 * cores
    assert workers_with(monkeypatch, DATABASE_URL="sqlite:///o.db", OUTREACH_WORKERS="7") == 7
