"""Many rows into one table in one driver call, bound as SQLAlchemy binds them.

A push inserts its envelopes and their heads while it holds the writers' turn. Core's
executemany builds every row's parameters in Python first (``construct_params``: ~6 µs a row
of ``envelope`` on SQLite, as much as SQLite takes to insert it; docs/performance.md). Here the
statement is compiled once per dialect and each row becomes a list of values, with SQLAlchemy's
own bind processors (datetimes, booleans, bytes) applied to the columns that have one, so the
stored values are the ones Core would store (``tests/sync/test_bulk_insert.py``).

PostgreSQL keeps Core's path: its "insertmanyvalues" batching sends few statements for many
rows, and nothing here was measured against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

from outreach.prepared import run

_Processor = Callable[[Any], Any]
_NOTHING = object()


class _Prepared(NamedTuple):
    sql: str
    values_of: Callable[[Mapping[str, Any]], tuple[Any, ...]]  # a row's values, in order
    processors: list[tuple[int, _Processor]]  # by position: the columns that need one


class BulkInsert:
    """``INSERT INTO table`` of rows that all name the same columns."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._insert = table.insert()
        self._prepared: dict[tuple[str, tuple[str, ...]], _Prepared] = {}

    def execute(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        dialect = connection.dialect
        if dialect.name != "sqlite":
            connection.execute(self._insert, list(rows))
            return
        sql, values_of, processors = self._prepare(dialect, tuple(rows[0]))
        # A push stamps every row with one ``received_at`` object (and mostly one flag):
        # a processor's answer for the value it was last given is used again for that same
        # object (bind processors are pure; formatting a datetime was ~2 µs a row).
        last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(processors)
        params = []
        for row in rows:
            # itemgetter raises KeyError for a row that lacks a column: never a silent default.
            values = list(values_of(row))
            for slot, (index, process) in enumerate(processors):
                value = values[index]
                given, answer = last[slot]
                if value is not given:
                    answer = process(value)
                    last[slot] = (value, answer)
                values[index] = answer
            params.append(tuple(values))
        run(connection, sql, params, many=True)

    def _prepare(self, dialect: Dialect, keys: tuple[str, ...]) -> _Prepared:
        cached = self._prepared.get((dialect.name, keys))
        if cached is not None:
            return cached
        compiled = self._insert.compile(dialect=dialect, column_keys=list(keys))
        order = list(compiled.positiontup or ())
        if sorted(order) != sorted(keys):
            raise ValueError(f"{self._table.name}: placeholders {order} for columns {keys}")
        processors: list[tuple[int, _Processor]] = []
        for index, key in enumerate(order):
            column_type = self._table.c[key].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors.append((index, process))
        getter = itemgetter(*order)
        values_of: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            getter if len(order) > 1 else lambda row: (getter(row),))
        prepared = _Prepared(compiled.string, values_of, processors)
        self._prepared[(dialect.name, keys)] = prepared
        return prepared
