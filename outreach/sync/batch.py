"""What the database knows about the records a pushed batch touches, fetched in bulk: a push is
decided in memory for the whole batch with a handful of queries (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.keys.models import RecoveryKey, TeamKey
from outreach.paper import service as paper
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
    key_versions: set[tuple[int, int]] = field(default_factory=set)
    recovery_versions: set[int] = field(default_factory=set)
    areas: set[tuple[int, str]] = field(default_factory=set)
    serials: dict[tuple[int, str], str] = field(default_factory=dict)
    foreign_serials: set[tuple[int, str]] = field(default_factory=set)


def load_batch(principal: Principal, envs: Sequence[dict[str, Any]]) -> Batch:
    batch = Batch()
    ids = {e["id"] for e in envs}
    record_ids = {e["record_id"] for e in envs}
    team_pks = {principal.teams[e["team_id"]] for e in envs}
    serials = {e["meta"]["paper_serial"] for e in envs if "paper_serial" in e["meta"]}
    if ids:
        rows = db.session.execute(
            db.select(Envelope.id, Envelope.content_hash, Envelope.record_id, Envelope.team_id,
                      Envelope.format,
                      Envelope.resealed, Envelope.parents, Envelope.device_id,
                      Envelope.author_id, Envelope.paper_serial)
            .where(Envelope.id.in_(ids))
        )
        batch.existing = {r.id: Stored(*r[1:]) for r in rows}
    if record_ids:
        batch.erased = {r.record_id: r.team_id for r in db.session.execute(
            db.select(ErasedRecord.record_id, ErasedRecord.team_id)
            .where(ErasedRecord.record_id.in_(record_ids)))}
        rows = db.session.execute(
            db.select(Envelope.record_id, Envelope.team_id, Envelope.type)
            .where(Envelope.record_id.in_(record_ids)).distinct()
        )
        batch.bindings = {r.record_id: (r.team_id, r.type) for r in rows}
    if team_pks:
        batch.key_versions = {(t, v) for t, v in db.session.execute(
            db.select(TeamKey.team_id, TeamKey.version).where(TeamKey.team_id.in_(team_pks))
        )}
        batch.areas = {(t, c) for t, c in db.session.execute(
            db.select(Area.team_id, Area.code).where(Area.team_id.in_(team_pks))
        )}
    batch.recovery_versions = set(db.session.execute(
        db.select(RecoveryKey.version)
        .where(RecoveryKey.organisation_id == principal.organisation_id)
    ).scalars())
    if serials:
        # Serials are the team's: another team's entry of the same text is not this one's.
        rows = db.session.execute(
            db.select(Envelope.team_id, Envelope.paper_serial, Envelope.record_id)
            .where(Envelope.paper_serial.in_(serials), Envelope.team_id.in_(team_pks))
        )
        batch.serials = {(r.team_id, r.paper_serial): r.record_id for r in rows}
        batch.foreign_serials = {
            (team_pk, serial) for team_pk in team_pks
            for serial in paper.issued_elsewhere(serials, team_pk)}
    return batch
