"""Core statements compiled once per dialect and run on the driver's own cursor.

Every sync runs about a dozen statements. Through SQLAlchemy's execution (an execution context
and a result object per call, expanding ``IN`` lists compiled again on every call) one costs
~20x what the driver takes to run it: ~116 µs against ~6 µs for the erasures after a cursor on
SQLite, ~42 µs even through ``exec_driver_sql`` (docs/performance.md). A ``Query`` is a Core
statement compiled once per dialect: it binds parameters with SQLAlchemy's own bind
processors, runs on the cursor of the session's connection (so inside its transaction), and
applies SQLAlchemy's own result processors, so its rows hold what Core's rows hold
(``tests/test_prepared.py`` runs both on SQLite and PostgreSQL).

A list parameter is one parameter (``one_of``): a JSON array read by ``json_each`` on SQLite,
an array compared with ``= ANY`` on PostgreSQL, so a statement's text never depends on a list's
length, where Core compiles an expanding ``IN`` again for every call.

While anything listens to the engine's cursor events (the query-plan tests, a tracer), the
statement goes through ``exec_driver_sql`` instead, so every listener sees it as sent.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, cast

from sqlalchemy import BindParameter, Boolean, ColumnElement, Connection, String, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import CompileError, DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeDecorator, TypeEngine

_Processor = Callable[[Any], Any]


class _ListOf(TypeDecorator[Any]):
    """A list bound as one value: JSON text on SQLite, an array on PostgreSQL."""

    impl = String
    cache_ok = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__()
        # The column, not its type: a foreign key's type is known only once the table it
        # names is (NullType before), and statements are built at import.
        self.column = column

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(self.column.type))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return list(value)
        return json.dumps(list(value))


class _OneOf(ColumnElement[bool]):
    """``column IN (the values of one list parameter)``."""

    type = Boolean()
    inherit_cache = False  # compiled once per dialect by Query, not through Core's cache
    # A comparison, as ``IN`` is: without this a dialect with no boolean type appends "= 1".
    _is_implicitly_boolean = True

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.values: BindParameter[Any] = bindparam(name, type_=_ListOf(column))


def one_of(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """``column IN :name`` with ``name`` bound to a list of any length as one parameter."""
    return _OneOf(column, name)


@compiles(_OneOf, "sqlite")
def _one_of_sqlite(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    # Only compiled SQL goes in: the column's name and the placeholder of the one parameter.
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} IN (SELECT value FROM json_each({values}))"  # noqa: S608


@compiles(_OneOf, "postgresql")
def _one_of_postgresql(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} = ANY ({values})"


@compiles(_OneOf)
def _one_of_other(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(f"one_of is not written for {compiler.dialect.name}")


class _Compiled(NamedTuple):
    sql: str
    positional: bool
    names: tuple[str, ...]  # placeholders in order (positional), or every bind's name
    defaults: dict[str, Any]  # binds the statement holds a value for (literals, offsets)
    bind_processors: dict[str, _Processor]
    row: Callable[[Iterable[Any]], tuple[Any, ...]] | None  # None: the statement has no rows
    result_processors: tuple[tuple[int, _Processor], ...]


class Query:
    """A Core statement run as the driver runs it; rows come back as named tuples."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, connection: Connection, params: Mapping[str, Any] | None = None
             ) -> list[Any]:
        """Named tuples, read by name or position (typed Any: the names are the statement's)."""
        compiled = self._compile(connection.dialect)
        found = run(connection, compiled.sql, self._bound(compiled, params or {}))
        make = compiled.row
        if make is None:
            return []
        processors = compiled.result_processors
        if not processors:
            return [make(row) for row in found]
        out = []
        for row in found:
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            out.append(make(values))
        return out

    def scalars(self, connection: Connection, params: Mapping[str, Any] | None = None
                ) -> list[Any]:
        return [row[0] for row in self.rows(connection, params)]

    def execute(self, connection: Connection, params: Mapping[str, Any] | None = None) -> None:
        compiled = self._compile(connection.dialect)
        run(connection, compiled.sql, self._bound(compiled, params or {}))

    @staticmethod
    def _bound(compiled: _Compiled, params: Mapping[str, Any]) -> Any:
        defaults, processors = compiled.defaults, compiled.bind_processors
        values = {}
        for name in compiled.names:
            # A bind the caller must give and did not: KeyError, never a silent NULL.
            value = params[name] if name in params or name not in defaults else defaults[name]
            process = processors.get(name)
            values[name] = value if process is None else process(value)
        if compiled.positional:
            return tuple(values[name] for name in compiled.names)
        return values

    def _compile(self, dialect: Dialect) -> _Compiled:
        known = self._compiled.get(dialect.name)
        if known is not None:
            return known
        compiled = cast(SQLCompiler, self._statement.compile(dialect=dialect))
        sql = compiled.string
        if "POSTCOMPILE" in sql:
            # An expanding IN or a literal-rendered bind: its text changes per call (one_of).
            raise CompileError("a Query's text must not depend on its parameters")
        binds: dict[str, BindParameter[Any]] = compiled.binds
        positional = bool(compiled.positiontup)
        names = tuple(compiled.positiontup if positional and compiled.positiontup else binds)
        defaults = {name: bind.effective_value for name, bind in binds.items()
                    if not bind.required}
        bind_processors: dict[str, _Processor] = {}
        for name, bind in binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                bind_processors[name] = process
        row = None
        result_processors = []
        columns = getattr(self._statement, "selected_columns", None)
        if columns is not None and not getattr(self._statement, "is_dml", False):
            fields = namedtuple("Row", list(columns.keys()), rename=True)  # type: ignore[misc]
            row = fields._make
            for index, column in enumerate(columns):
                process = column.type.dialect_impl(dialect).result_processor(dialect, None)
                if process is not None:
                    result_processors.append((index, process))
        prepared = _Compiled(sql, positional, names, defaults, bind_processors, row,
                             tuple(result_processors))
        self._compiled[dialect.name] = prepared
        return prepared


def run(connection: Connection, sql: str, params: Any, *, many: bool = False
         ) -> list[Any]:
    """The statement on the connection's driver cursor, its rows fetched (none for DML)."""
    if connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute:
        result = connection.exec_driver_sql(sql, params)
        return list(result.fetchall()) if result.returns_rows else []
    dialect = connection.dialect
    dbapi_connection = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description is not None else []
    except dialect.loaded_dbapi.Error as exc:
        # As Core raises it: IntegrityError, OperationalError... (the sync retries on those),
        # and a lost connection is invalidated, not handed back to the pool.
        invalidated = dialect.is_disconnect(exc, dbapi_connection, cursor)
        if invalidated:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error,
                                  connection_invalidated=invalidated,
                                  dialect=dialect) from exc
    finally:
        cursor.close()
