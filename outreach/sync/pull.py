"""Pull (PROTOCOL §3): the envelopes of the caller's teams after a position, as stored bytes
with the server's fields. Plain functions over the session; nothing here writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, literal, null, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.types import NullType

from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.prepared import Query, one_of
from outreach.sync.models import Envelope, ErasedRecord

# ``remaining`` counts at most this many envelopes: an exact count is linear in what is left
# (20k index entries for a team's first pull at 1M), a bounded one costs the same at any size.
# Past it the answer says "more than" (``remaining_exact`` false, docs/protocol.md); ten of the
# PWA's pages, so the last ten pages of any pull count down exactly.
REMAINING_CAP = 1000

_ENV, _ERASED = (cast(Table, model.__table__) for model in (Envelope, ErasedRecord))
# Statements compiled once, run on the driver's cursor: every sync runs them
# (outreach/prepared.py, docs/performance.md).
# The page in one statement: the caller's own pushes of this sync are skipped without reading
# their bodies (NULL for them).
# ``received_at`` comes as the driver gives it (NullType: no result processor) and is converted
# only for the envelopes handed out: the caller's own pushes of the batch are read too, for
# their positions, and converting their instants was ~2 µs each (docs/performance.md).
_PAGE = Query(
    select(_ENV.c.seq, _ENV.c.id, _ENV.c.author_id,
           type_coerce(_ENV.c.received_at, NullType()).label("received_at"),
           case((one_of(_ENV.c.id, "excluded"), null()), else_=_ENV.c.body).label("body"))
    .where(one_of(_ENV.c.team_id, "team_pks"), _ENV.c.seq > bindparam("since"))
    .order_by(_ENV.c.seq).limit(bindparam("limit")))
_ERASED_SINCE = Query(select(_ERASED.c.record_id).where(
    # ">=": a device whose cursor stands exactly at the erasure point may hold the record.
    one_of(_ERASED.c.team_id, "team_pks"), _ERASED.c.erased_seq >= bindparam("since")))
# A range of ix_envelope_team_seq, read for at most REMAINING_CAP + 1 entries (the one past
# the cap says "more than").
_REMAINING = Query(select(func.count()).select_from(
    select(literal(1)).where(one_of(_ENV.c.team_id, "team_pks"),
                             _ENV.c.seq > bindparam("position"))
    .limit(bindparam("read")).subquery()))

# Built once: json.dumps with options builds an encoder per call (once per pulled envelope).
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


@dataclass
class Pull:
    items: list[bytes]
    position: int
    # The id of the envelope at ``position``, for the cursor's anchor; None: unchanged.
    position_id: str | None
    more: bool
    erased: list[str]
    # Envelopes after ``position`` still to pull: the device shows "n of m" (docs/protocol.md),
    # at most REMAINING_CAP; ``remaining_exact`` false: more than that.
    remaining: int = 0
    remaining_exact: bool = True


def pull(principal: Principal, since: int, limit: int, exclude: Iterable[str] = ()) -> Pull:
    """Envelopes of the caller's teams after ``since``, as stored bytes with server fields;
    ``exclude``: ids the caller has just pushed, passed over (their position still counts)."""
    team_pks = list(principal.teams.values())
    if not team_pks:
        return Pull([], since, None, False, [])
    excluded = set(exclude)
    connection = db.session.connection()
    received_at = _received_at_processor(connection.dialect)
    rows = _PAGE.rows(connection, {
        "team_pks": team_pks, "since": since, "excluded": sorted(excluded),
        "limit": limit + len(excluded) + 1})
    items: list[bytes] = []
    position, position_id, more = since, None, False
    for row in rows:
        if len(items) == limit:
            more = True
            break
        position, position_id = row.seq, row.id
        if row.id not in excluded:
            items.append(with_server_fields(row.body, row.seq, received_at(row.received_at),
                                            row.author_id))
    erased = _ERASED_SINCE.scalars(connection, {"team_pks": team_pks, "since": since})
    remaining, exact = 0, True
    if more:
        # Only asked while there is more to pull.
        counted = _REMAINING.scalars(connection, {"team_pks": team_pks, "position": position,
                                                  "read": REMAINING_CAP + 1})[0]
        remaining, exact = min(counted, REMAINING_CAP), counted <= REMAINING_CAP
    return Pull(items, position, position_id, more, erased, remaining, exact)


_PROCESSORS: dict[str, Callable[[Any], datetime]] = {}


def _received_at_processor(dialect: Dialect) -> Callable[[Any], datetime]:
    """What SQLAlchemy itself does to a stored ``received_at`` on this dialect (UTCDateTime
    over the dialect's DateTime: text on SQLite, a datetime on PostgreSQL)."""
    known = _PROCESSORS.get(dialect.name)
    if known is not None:
        return known
    found = _ENV.c.received_at.type.dialect_impl(dialect).result_processor(dialect, None)
    process = cast(Callable[[Any], datetime], found) if found is not None else _as_is
    _PROCESSORS[dialect.name] = process
    return process


def _as_is(value: Any) -> datetime:
    return cast(datetime, value)


def with_server_fields(body: bytes, seq: int, received_at: datetime, author_id: str) -> bytes:
    # The stored body is the canonical JSON object as signed; the unsigned server fields are
    # appended without re-parsing it (PROTOCOL §2: they are removed again before verifying).
    stamp = received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    extra = _COMPACT_JSON.encode({"seq": seq, "received_at": stamp, "author_id": author_id})
    return body[:-1] + b"," + extra[1:].encode()
