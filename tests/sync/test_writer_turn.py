"""SQLite writers wait their turn on a kernel lock, not in SQLite's busy handler (issue 18).

A writer that finds SQLite's write lock taken sleeps in the busy handler in growing steps (1, 2,
5, 10 … 100 ms) and tries again: when the lock frees, nobody takes it until a sleeper wakes, and
a late arrival can overtake one that has waited for long (bench/sync.py measured a p99 20x the
p50). ``order.serialise_writers`` therefore first takes an exclusive ``flock`` on a file beside
the database, which the kernel hands to the next waiter the moment it is let go, and lets go of
it only once the transaction has ended (its connection back in the pool), so the commit's fsync
is still inside the turn.

The probe is another open file description of the same lock file, as another gunicorn worker
(or another thread of a gthread worker, which has its own connection) would hold."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from outreach.audit import service as audit
from outreach.db_events import TURNS_PER_CHECKPOINT as DB_TURNS_PER_CHECKPOINT
from outreach.extensions import db
from outreach.sync import order

pytestmark = pytest.mark.sqlite_only


def lock_file(app) -> Path:  # type: ignore[no-untyped-def]
    with app.app_context():
        return Path(str(db.engine.url.database) + ".writers")


def turn_taken(path: Path) -> bool:
    """True when somebody else holds the writers' turn: a non-blocking try fails."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_the_turn_is_held_from_serialise_writers_through_the_commit(app):
    path = lock_file(app)
    with app.app_context():
        order.serialise_writers()
        assert path.exists()
        assert turn_taken(path)
        db.session.execute(sa.text("UPDATE sync_state SET id = id"))
        assert turn_taken(path)  # a write of the transaction does not end the turn
        db.session.commit()
        assert not turn_taken(path)


def test_a_rollback_or_an_error_ends_the_turn(app):
    path = lock_file(app)
    with app.app_context():
        order.serialise_writers()
        db.session.rollback()
        assert not turn_taken(path)
    def failing_request() -> None:
        with app.app_context():
            order.serialise_writers()
            raise RuntimeError("the request failed mid-transaction")

    with pytest.raises(RuntimeError):
        failing_request()
    # The app context's teardown removed the session: its connection went back to the pool.
    assert not turn_taken(path)


def test_the_lock_file_is_the_owners_only(app):
    with app.app_context():
        order.serialise_writers()
        db.session.rollback()
    assert lock_file(app).stat().st_mode & 0o077 == 0


def test_a_second_writer_waits_for_the_first_ones_commit_and_then_goes(app):
    """Two connections (two threads, as a gthread worker has): the second writer's turn
    starts only after the first one committed, and then it sees the first one's write."""
    first_wrote = threading.Event()
    second_started = threading.Event()
    seen: list[int] = []

    def second() -> None:
        with app.app_context():
            first_wrote.wait(10)
            second_started.set()
            order.serialise_writers()
            seen.append(db.session.execute(sa.text(
                "SELECT count(*) FROM audit_event WHERE action = 'pull'")).scalar_one())
            db.session.rollback()

    thread = threading.Thread(target=second)
    thread.start()
    with app.app_context():
        order.serialise_writers()
        audit.write("pull", records=1)
        first_wrote.set()
        second_started.wait(10)
        assert seen == []  # still waiting for its turn: the first writer has not committed
        db.session.commit()
    thread.join(10)
    assert seen == [1]


def test_the_wal_is_checkpointed_after_turns_not_inside_them(app, world):
    """SQLite's automatic checkpoint runs inside the commit that crosses its threshold, so it
    would copy the WAL into the database (and fsync it) while every other writer waits for the
    turn. Writers' connections checkpoint every few turns, once the turn is let go; the
    automatic one stays only as a far backstop (for writers outside the turn)."""
    path = lock_file(app)
    checkpoints: list[bool] = []  # for each checkpoint: was the turn held by anybody then?

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            autocheckpoint = raw.driver_connection.execute(
                "PRAGMA wal_autocheckpoint").fetchone()[0]
        finally:
            raw.close()
        assert autocheckpoint >= 10_000

        @sa.event.listens_for(db.engine, "connect")
        def trace(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.set_trace_callback(
                lambda sql: checkpoints.append(turn_taken(path))
                if "wal_checkpoint" in sql else None)

        db.engine.dispose()  # the next connections are traced
    session = world.login("worker1")
    for n in range(DB_TURNS_PER_CHECKPOINT * 2):
        visit = session.seal("visit", "east", {"n": n}, meta={"area": "EAST-01"})
        assert session.sync(push=[visit]).get_json()["results"][0]["status"] == "accepted"
    assert len(checkpoints) >= 2
    assert not any(checkpoints)
