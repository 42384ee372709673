"""``bulk_insert.BulkInsert`` writes rows exactly as Core's ``table.insert()`` does.

A push inserts its envelopes and heads inside the writers' turn; on SQLite, Core's executemany
spent ~6 µs a row building parameters in Python (issue 18), so the rows go to the driver as
tuples bound by SQLAlchemy's own bind processors. Every value kind a row holds (None, booleans,
bytes, aware datetimes with microseconds, JSON text, non-ASCII text) must read back the same
through either path, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach import crypto
from outreach.bulk_insert import BulkInsert
from outreach.extensions import db
from outreach.sync.models import Envelope, RecordHead

ENVELOPES = cast(sa.Table, Envelope.__table__)
HEADS = cast(sa.Table, RecordHead.__table__)
BULK_ENVELOPES = BulkInsert(ENVELOPES)
BULK_HEADS = BulkInsert(HEADS)

instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                        timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]))
texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)


def envelope_rows(draw: Any, count: int, team_pk: int, author: str, device: str
                  ) -> list[dict[str, Any]]:
    return [{
        "id": crypto.new_uuid7(), "record_id": crypto.new_uuid7(), "case_id": None,
        "format": draw(st.sampled_from([1, 2])), "resealed": draw(st.booleans()),
        "team_id": team_pk, "type": "visit", "schema": "visit@1",
        "parents": draw(st.sampled_from(["[]", f'["{crypto.new_uuid7()}"]'])),
        "meta": '{"area":"' + draw(texts).replace('"', "").replace("\\", "") + '"}',
        # Unique per team: a drawn serial, made this row's own.
        "paper_serial": draw(st.none() | st.just(f"S{n}-{crypto.new_uuid7()[-8:]}")),
        "body": draw(st.binary(max_size=64)), "content_hash": draw(st.binary(min_size=32,
                                                                             max_size=32)),
        "author_id": author, "device_id": device, "received_at": draw(instants),
    } for n in range(count)]


def stored(table: sa.Table, key: str, ids: list[str]) -> list[tuple[Any, ...]]:
    columns = [c for c in table.c if c.key not in ("seq", key)]
    rows = db.session.execute(sa.select(table.c[key], *columns).where(table.c[key].in_(ids)))
    by_id = {row[0]: tuple(row[1:]) for row in rows}
    return [by_id[i] for i in ids]


def device_of(world: Any) -> tuple[str, str, int]:
    """A worker's user, device (a login makes one) and team: the rows' foreign keys."""
    from outreach.auth.models import Device
    from outreach.teams.models import Team

    device = db.session.execute(sa.select(Device)).scalars().first()
    team = db.session.execute(sa.select(Team).where(Team.slug == "east")).scalar_one()
    assert device is not None
    return device.user_id, device.id, team.id


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    world.login("worker1")
    return world


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), count=st.integers(1, 6))
def test_envelope_rows_read_back_as_core_writes_them(world, data, count):
    with world.app.app_context():
        author, device, team_pk = device_of(world)
        ours = envelope_rows(data.draw, count, team_pk, author, device)
        # The same values under other ids (and serials, unique per team), written by Core.
        theirs = [{**row, "id": crypto.new_uuid7(),
                   "paper_serial": row["paper_serial"] and "C" + row["paper_serial"]}
                  for row in ours]
        connection = db.session.connection()
        BULK_ENVELOPES.execute(connection, ours)
        connection.execute(ENVELOPES.insert(), theirs)
        mine = stored(ENVELOPES, "id", [r["id"] for r in ours])
        core = stored(ENVELOPES, "id", [r["id"] for r in theirs])
        serial = [c.key for c in ENVELOPES.c if c.key not in ("seq", "id")].index("paper_serial")
        for a, b in zip(mine, core, strict=True):
            assert a[:serial] + a[serial + 1:] == b[:serial] + b[serial + 1:]
            assert (a[serial] is None) == (b[serial] is None)
            assert a[serial] is None or "C" + a[serial] == b[serial]
        # And the values themselves: an aware instant, the same instant as written.
        received = [c.key for c in ENVELOPES.c if c.key not in ("seq", "id")].index("received_at")
        assert [a[received] for a in mine] == [r["received_at"] for r in ours]
        assert all(a[received].tzinfo is not None for a in mine)
        db.session.rollback()


def test_head_rows_read_back_as_core_writes_them(world):
    with world.app.app_context():
        _, _, team_pk = device_of(world)
        record = crypto.new_uuid7()
        ours = [{"record_id": record, "envelope_id": crypto.new_uuid7(), "team_id": team_pk}
                for _ in range(3)]
        BULK_HEADS.execute(db.session.connection(), ours)
        rows = db.session.execute(sa.select(HEADS).where(HEADS.c.record_id == record)).all()
        assert sorted((r.envelope_id, r.team_id) for r in rows) == sorted(
            (r["envelope_id"], team_pk) for r in ours)
        db.session.rollback()


def test_a_row_missing_a_column_is_refused_not_written_with_a_default(world):
    with world.app.app_context():
        _, _, team_pk = device_of(world)
        rows = [{"record_id": crypto.new_uuid7(), "envelope_id": crypto.new_uuid7(),
                 "team_id": team_pk},
                {"record_id": crypto.new_uuid7(), "envelope_id": crypto.new_uuid7()}]
        # KeyError on SQLite's path; Core's own error on PostgreSQL's.
        with pytest.raises((KeyError, sa.exc.SQLAlchemyError)):
            BULK_HEADS.execute(db.session.connection(), rows)
        db.session.rollback()
        assert db.session.execute(sa.select(HEADS).where(
            HEADS.c.record_id.in_([r["record_id"] for r in rows]))).all() == []


def test_no_rows_is_no_statement(world):
    with world.app.app_context():
        statements: list[str] = []
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            BULK_HEADS.execute(db.session.connection(), [])
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        assert statements == []


def test_rows_sharing_a_value_and_rows_not_each_read_back_their_own(world):
    # A processor's answer is reused for the same object only (a push stamps every row with
    # one instant): rows alternating between shared and distinct instants and flags.
    with world.app.app_context():
        author, device, team_pk = device_of(world)
        shared = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
        instants = [shared, shared, datetime(2026, 5, 1, 12, 0, 1, tzinfo=UTC), shared,
                    datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC) + timedelta(days=1)]
        rows = [{
            "id": crypto.new_uuid7(), "record_id": crypto.new_uuid7(), "case_id": None,
            "format": 2, "resealed": flag, "team_id": team_pk, "type": "visit",
            "schema": "visit@1", "parents": "[]", "meta": "{}", "paper_serial": None,
            "body": bytes([n]), "content_hash": bytes(32), "author_id": author,
            "device_id": device, "received_at": instant,
        } for n, (instant, flag) in enumerate(zip(instants, [True, True, False, True, False],
                                                  strict=True))]
        BULK_ENVELOPES.execute(db.session.connection(), rows)
        got = db.session.execute(sa.select(ENVELOPES.c.id, ENVELOPES.c.received_at,
                                           ENVELOPES.c.resealed)
                                 .where(ENVELOPES.c.id.in_([r["id"] for r in rows]))).all()
        by_id = {r.id: (r.received_at, r.resealed) for r in got}
        assert [by_id[r["id"]] for r in rows] == [
            (instant, flag) for instant, flag in zip(
                instants, [True, True, False, True, False], strict=True)]
        db.session.rollback()
