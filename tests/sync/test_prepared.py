"""``prepared.Query`` returns what Core returns, and ``one_of`` selects what ``IN`` selects.

Every sync's statements run on the driver's cursor (issue 18: through SQLAlchemy's execution one
cost ~20x the driver's own work), with SQLAlchemy's bind and result processors applied by
hand, and lists bound as one parameter (``json_each`` on SQLite, ``= ANY`` on PostgreSQL). So:
the project's own statements give the same rows (values and types: aware datetimes, booleans,
bytes) through either path, on arbitrary data; ``one_of`` matches ``in_`` on arbitrary lists
(empty, repeated, non-ASCII); driver errors come as SQLAlchemy's (the sync retries on
``IntegrityError``); a listener on the engine still sees every statement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach import crypto
from outreach.auth import service as auth_service
from outreach.bulk_insert import BulkInsert
from outreach.extensions import db
from outreach.prepared import Query, one_of
from outreach.sync import batch, digest, order, pull
from outreach.sync.models import Envelope, RecordHead

ENVELOPES = cast(sa.Table, Envelope.__table__)
PROBE = sa.Table("prepared_probe", sa.MetaData(), sa.Column("n", sa.Integer),
                 sa.Column("s", sa.String(40)))
texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8)
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    world.login("worker1")
    world.login("worker2")
    return world


@pytest.fixture
def probe(world):  # type: ignore[no-untyped-def]
    with world.app.app_context():
        PROBE.create(db.engine)
    yield world
    with world.app.app_context():
        PROBE.drop(db.engine)


def core_rows(statement: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.session.connection().execute(statement, params)]


@SETTINGS
@given(data=st.data())
def test_one_of_selects_what_in_selects(probe, data):
    rows = data.draw(st.lists(st.tuples(st.integers(-5, 5), texts), max_size=12))
    numbers = data.draw(st.lists(st.integers(-6, 6), max_size=6))
    words = data.draw(st.lists(texts | st.sampled_from([s for _, s in rows] or ["x"]),
                               max_size=6))
    with probe.app.app_context():
        connection = db.session.connection()
        if rows:
            connection.execute(PROBE.insert(), [{"n": n, "s": s} for n, s in rows])
        by_number = Query(sa.select(PROBE.c.n, PROBE.c.s).where(one_of(PROBE.c.n, "ns")))
        by_word = Query(sa.select(PROBE.c.n, PROBE.c.s).where(one_of(PROBE.c.s, "ss")))
        assert sorted(by_number.rows(connection, {"ns": numbers})) == sorted(core_rows(
            sa.select(PROBE.c.n, PROBE.c.s).where(PROBE.c.n.in_(numbers)), {}))
        assert sorted(by_word.rows(connection, {"ss": words})) == sorted(core_rows(
            sa.select(PROBE.c.n, PROBE.c.s).where(PROBE.c.s.in_(words)), {}))
        db.session.rollback()


def seed(world: Any, draw: Any) -> dict[str, Any]:
    """Envelopes with drawn instants, flags and serials, and erasures: what the statements
    read, for the parameters they are given."""
    from outreach.sync.models import ErasedRecord
    from outreach.teams.models import Team

    teams = {t.slug: t.id for t in db.session.execute(sa.select(Team)).scalars()}
    device = db.session.execute(sa.text("SELECT id, user_id FROM device")).first()
    assert device is not None
    rows = [{
        "id": crypto.new_uuid7(), "record_id": draw(st.sampled_from(["r1", "r2", "r3"])),
        "case_id": None, "format": draw(st.sampled_from([1, 2])), "resealed": draw(st.booleans()),
        "team_id": draw(st.sampled_from(sorted(teams.values()))), "type": "visit",
        "schema": "visit@1", "parents": "[]", "meta": "{}",
        "paper_serial": draw(st.none() | st.just(f"S-{crypto.new_uuid7()[-8:]}")),
        "body": draw(st.binary(min_size=2, max_size=16)),
        "content_hash": draw(st.binary(min_size=32, max_size=32)),
        "author_id": device.user_id, "device_id": device.id,
        "received_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=draw(st.integers(0, 10**12))),
    } for _ in range(draw(st.integers(0, 8)))]
    connection = db.session.connection()
    if rows:
        connection.execute(ENVELOPES.insert(), rows)
    erased = draw(st.lists(st.sampled_from(["r4", "r5"]), unique=True))
    for record_id in erased:
        db.session.add(ErasedRecord(record_id=record_id, team_id=min(teams.values()),
                                    erased_seq=draw(st.integers(0, 5))))
    db.session.flush()
    seqs = [r[0] for r in connection.execute(sa.select(ENVELOPES.c.seq))]
    return {"teams": teams, "ids": [r["id"] for r in rows], "seqs": seqs or [0],
            "serials": [r["paper_serial"] for r in rows if r["paper_serial"]]}


def drawn_params(draw: Any, facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    team_pks = draw(st.lists(st.sampled_from(sorted(facts["teams"].values())), max_size=3))
    ids = draw(st.lists(st.sampled_from(facts["ids"] or ["none"]) | st.just("other")))
    record_ids = draw(st.lists(st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r9"])))
    since = draw(st.sampled_from(facts["seqs"]))
    return {
        "page": {"team_pks": team_pks, "since": since, "excluded": ids,
                 "limit": draw(st.integers(1, 10))},
        "erased": {"team_pks": team_pks, "since": draw(st.integers(0, 6))},
        "remaining": {"team_pks": team_pks, "position": since, "read": draw(st.integers(1, 9))},
        "revisions": {"ids": ids, "record_ids": record_ids},
        "facts": {"record_ids": record_ids, "team_pks": team_pks, "organisation_id": 1},
        "serials": {"serials": draw(st.lists(st.sampled_from(facts["serials"] or ["S-x"]))),
                    "team_pks": team_pks},
        "digests": {"team_ids": team_pks},
        "id_at": {"position": since},
        "generation": {},
    }


STATEMENTS = {
    "page": pull._PAGE, "erased": pull._ERASED_SINCE, "remaining": pull._REMAINING,
    "revisions": batch._REVISIONS, "facts": batch._FACTS, "serials": batch._SERIALS,
    "digests": digest._READ, "id_at": order._ID_AT, "generation": order._GENERATION,
}


@SETTINGS
@given(data=st.data())
def test_the_syncs_statements_return_what_core_returns(world, data):
    with world.app.app_context():
        order.generation()  # the one row of sync_state
        facts = seed(world, data.draw)
        connection = db.session.connection()
        for name, params in drawn_params(data.draw, facts).items():
            query = STATEMENTS[name]
            ours = query.rows(connection, params)
            theirs = core_rows(query._statement, params)
            assert ours == theirs, name
            # Same types, not only equal values (True == 1, an aware and a naive datetime).
            assert [tuple(map(type, row)) for row in ours] == [
                tuple(map(type, row)) for row in theirs], name
        db.session.rollback()


def test_the_guards_rows_return_what_core_returns(world):
    with world.app.app_context():
        families = [r[0] for r in db.session.execute(sa.text("SELECT id FROM token_family"))]
        assert families
        for family_id in [*families, "no-such-family"]:
            ours = auth_service._PRINCIPAL_ROWS.rows(db.session.connection(),
                                                     {"family_id": family_id})
            theirs = core_rows(auth_service._PRINCIPAL_ROWS._statement, {"family_id": family_id})
            assert ours == theirs
            assert [tuple(map(type, row)) for row in ours] == [
                tuple(map(type, row)) for row in theirs]
            # Read by name, as the guard reads them.
            assert all(row.family_id == family_id for row in ours)
        assert any(row.expires_at.tzinfo is not None for row in ours) or not ours


def test_a_duplicate_comes_as_sqlalchemys_integrity_error(world):
    heads = cast(sa.Table, RecordHead.__table__)
    with world.app.app_context():
        team_pk = db.session.execute(sa.text("SELECT min(id) FROM team")).scalar_one()
        row = {"record_id": crypto.new_uuid7(), "envelope_id": crypto.new_uuid7(),
               "team_id": team_pk}
        with pytest.raises(sa.exc.IntegrityError):
            BulkInsert(heads).execute(db.session.connection(), [row, row])
        db.session.rollback()


def test_a_missing_parameter_is_refused_not_bound_as_null(world):
    with world.app.app_context(), pytest.raises(KeyError):
        pull._ERASED_SINCE.rows(db.session.connection(), {"team_pks": [1]})


def test_a_statement_whose_text_depends_on_its_parameters_is_refused(world):
    expanding = Query(sa.select(ENVELOPES.c.id).where(
        ENVELOPES.c.id.in_(sa.bindparam("ids", expanding=True))))
    with world.app.app_context(), pytest.raises(sa.exc.CompileError):
        expanding.rows(db.session.connection(), {"ids": ["a"]})


def test_a_listener_on_the_engine_sees_the_statement_as_sent(world):
    with world.app.app_context():
        seen: list[tuple[str, Any]] = []
        engine = db.engine

        def listener(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
            seen.append((statement, parameters))

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            got = pull._ERASED_SINCE.rows(db.session.connection(),
                                          {"team_pks": [1, 2], "since": 0})
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        assert got == []
        assert len(seen) == 1
        assert "erased_record" in seen[0][0]
        # Without the listener, the same rows from the cursor itself.
        assert pull._ERASED_SINCE.rows(db.session.connection(),
                                       {"team_pks": [1, 2], "since": 0}) == got
