"""What the database knows about the records a pushed batch touches, fetched in bulk: a push is
decided in memory for the whole batch with two queries (docs/performance.md).

Read under the writers' lock (``order.serialise_writers``), so nothing read here changes
before the batch is written: the record heads are computed from these rows and the batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, literal_column, null, or_, select, union_all

from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.keys.models import RecoveryKey, TeamKey
from outreach.paper import service as paper
from outreach.prepared import Query, one_of
from outreach.sync.models import Envelope, ErasedRecord
from outreach.teams.models import Area


@dataclass(frozen=True)
class Stored:
    """A revision already on the server under a pushed id."""

    content_hash: bytes
    record_id: str
    team_id: int
    format: int
    resealed: bool
    parents: str
    device_id: str
    author_id: str
    paper_serial: str | None


@dataclass
class Batch:
    """The facts a batch is decided against; decisions add to them as the batch goes."""

    existing: dict[str, Stored] = field(default_factory=dict)
    erased: dict[str, int] = field(default_factory=dict)  # record id → its team
    bindings: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Record id → {revision id: its parents (JSON text)}: every stored revision of the records
    # the batch touches, from which their heads are computed after it.
    revisions: dict[str, dict[str, str]] = field(default_factory=dict)
    key_versions: set[tuple[int, int]] = field(default_factory=set)
    recovery_versions: set[int] = field(default_factory=set)
    areas: set[tuple[int, str]] = field(default_factory=set)
    serials: dict[tuple[int, str], str] = field(default_factory=dict)
    foreign_serials: set[tuple[int, str]] = field(default_factory=set)


# Two statements compiled once, run on the driver's cursor: every push runs them, and
# building ORM selects per request cost more than running them (outreach/prepared.py,
# docs/performance.md).
_ENV, _ERASED, _KEY, _RECOVERY, _AREA = (
    cast(Table, model.__table__) for model in (Envelope, ErasedRecord, TeamKey, RecoveryKey, Area))
# The revisions stored under a pushed id (a resend, a reused id) or of a pushed record.
_REVISIONS = Query(select(
    _ENV.c.id, _ENV.c.content_hash, _ENV.c.record_id, _ENV.c.team_id, _ENV.c.format,
    _ENV.c.resealed, _ENV.c.parents, _ENV.c.device_id, _ENV.c.author_id, _ENV.c.paper_serial,
    _ENV.c.type,
).where(or_(one_of(_ENV.c.id, "ids"), one_of(_ENV.c.record_id, "record_ids"))))
# Everything else in one round trip, a row per fact: (kind, team, text, number).
_FACTS = Query(union_all(
    select(literal_column("'erased'"), _ERASED.c.team_id, _ERASED.c.record_id, null())
    .where(one_of(_ERASED.c.record_id, "record_ids")),
    select(literal_column("'key'"), _KEY.c.team_id, null(), _KEY.c.version)
    .where(one_of(_KEY.c.team_id, "team_pks")),
    select(literal_column("'area'"), _AREA.c.team_id, _AREA.c.code, null())
    .where(one_of(_AREA.c.team_id, "team_pks")),
    select(literal_column("'recovery'"), null(), null(), _RECOVERY.c.version)
    .where(_RECOVERY.c.organisation_id == bindparam("organisation_id")),
))
_SERIALS = Query(select(_ENV.c.team_id, _ENV.c.paper_serial, _ENV.c.record_id).where(
    one_of(_ENV.c.paper_serial, "serials"), one_of(_ENV.c.team_id, "team_pks")))


def load_batch(principal: Principal, envs: Sequence[dict[str, Any]]) -> Batch:
    batch = Batch()
    ids = sorted({e["id"] for e in envs})
    record_ids = sorted({e["record_id"] for e in envs})
    team_pks = sorted({principal.teams[e["team_id"]] for e in envs})
    connection = db.session.connection()
    wanted, touched = set(ids), set(record_ids)
    for row in _REVISIONS.rows(connection, {"ids": ids, "record_ids": record_ids}):
        if row.id in wanted:
            batch.existing[row.id] = Stored(
                row.content_hash, row.record_id, row.team_id, row.format, row.resealed,
                row.parents, row.device_id, row.author_id, row.paper_serial)
        # A pushed id may name a revision of a record the batch does not touch (a reused id).
        if row.record_id in touched:
            batch.revisions.setdefault(row.record_id, {})[row.id] = row.parents
            batch.bindings.setdefault(row.record_id, (row.team_id, row.type))
    for kind, team_pk, text, number in _FACTS.rows(connection, {
            "record_ids": record_ids, "team_pks": team_pks,
            "organisation_id": principal.organisation_id}):
        if kind == "erased":
            batch.erased[text] = team_pk
        elif kind == "key":
            batch.key_versions.add((team_pk, int(number)))
        elif kind == "area":
            batch.areas.add((team_pk, text))
        else:
            batch.recovery_versions.add(int(number))
    serials = sorted({e["meta"]["paper_serial"] for e in envs if "paper_serial" in e["meta"]})
    if serials:
        # Serials are the team's: another team's entry of the same text is not this one's.
        batch.serials = {(r.team_id, r.paper_serial): r.record_id for r in _SERIALS.rows(
            connection, {"serials": serials, "team_pks": team_pks})}
        batch.foreign_serials = {
            (team_pk, serial) for team_pk in team_pks
            for serial in paper.issued_elsewhere(serials, team_pk)}
    return batch
