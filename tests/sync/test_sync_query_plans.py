"""No statement of a sync reads the whole of a table that grows with the records (issue 18).

Every statement a push, a pull with more to come and an up-to-date sync send is captured as the
database receives it and explained there. PostgreSQL is told to avoid sequential scans
(`enable_seqscan = off`), so its plan shows one only where no index can serve the statement; a
tiny test table would otherwise be scanned whatever the indexes. SQLite's query plan says
`SCAN table` for a full pass. `bench/scale.py` shows the same plans at 1M envelopes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import event

from outreach.extensions import db

# What grows with the records pushed; the rest grows with people and teams.
GROWING = {"envelope", "record_head", "erased_record"}


def statements_of(app: Any, run: Callable[[], None]) -> tuple[Any, dict[str, Any]]:
    with app.app_context():
        engine = db.engine
    captured: dict[str, Any] = {}

    def hook(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if not executemany and statement.split(None, 1)[0].upper() in (
                "SELECT", "UPDATE", "DELETE"):
            captured[statement] = parameters

    event.listen(engine, "before_cursor_execute", hook)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    return engine, captured


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def full_scans(engine: Any, statement: str, parameters: Any) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement,
                                        parameters).scalar_one()
            scanned = {node["Relation Name"] for node in walk(plan[0]["Plan"])
                       if node["Node Type"] == "Seq Scan"}
        else:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            scanned = {row[-1].split()[1] for row in rows if row[-1].startswith("SCAN ")}
        conn.rollback()
    return scanned & GROWING


def test_no_statement_of_a_sync_scans_a_growing_table(app, world):
    writer, reader = world.login("worker1"), world.login("worker2")
    assert writer.sync(push=[writer.seal("note") for _ in range(3)]).status_code == 200

    def sync() -> None:
        assert writer.sync(push=[writer.seal("note") for _ in range(2)]).status_code == 200
        first = reader.sync(limit=1).get_json()
        assert first["more"]  # the remaining count is asked too
        body = first
        while body["more"]:
            body = reader.sync(since=body["cursor"]).get_json()
        assert reader.sync(since=body["cursor"]).status_code == 200

    engine, statements = statements_of(app, sync)
    assert any("erased_record" in s for s in statements)  # the capture saw the pull
    scans = {statement: tables for statement, parameters in statements.items()
             if (tables := full_scans(engine, statement, parameters))}
    assert scans == {}
