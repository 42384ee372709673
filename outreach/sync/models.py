from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT identity.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Envelope(Model):
    """One immutable, signed, encrypted revision of a record, exactly as the device pushed it."""

    __tablename__ = "envelope"
    # AUTOINCREMENT: without it SQLite hands the seq of a deleted newest row to the next insert,
    # and a device whose cursor stood there never receives that envelope (issue 9). PostgreSQL's
    # sequence never goes back by itself.
    # A paper serial is entered once per team: a serial is the team's (issue 9, finding 6).
    __table_args__ = (Index("ix_envelope_team_seq", "team_id", "seq"),
                      UniqueConstraint("team_id", "paper_serial"),
                      {"sqlite_autoincrement": True})

    # The server's order: pull cursors are positions in it.
    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    # Format 1 only: the household case in the clear. Format 2 seals it inside the ciphertext,
    # and the upgrade path leaves no row with it (docs/protocol.md, "Envelope format 2").
    case_id: Mapped[str | None] = mapped_column(String(36))
    format: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="1")
    # A format 1 revision sealed again in format 2 by a phone of the team (same id).
    resealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa.false())
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    type: Mapped[str] = mapped_column(String(32))
    schema: Mapped[str] = mapped_column(String(64))
    # JSON list of parent revision ids: the DAG's edges, for computing a record's heads.
    parents: Mapped[str] = mapped_column(String, default="[]")
    # Coarse reportable fields, canonical JSON; reports aggregate over these and nothing else.
    meta: Mapped[str] = mapped_column(String)
    paper_serial: Mapped[str | None] = mapped_column(String(40))
    # The envelope as pushed, RFC 8785 canonical JSON: what was signed is what is relayed.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    author_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordHead(Model):
    """The current heads of a record's revision DAG; more than one means a conflict."""

    __tablename__ = "record_head"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))


class ErasedRecord(Model):
    """Ids of records erased on request (GDPR art. 17): only the id is remembered."""

    __tablename__ = "erased_record"
    # Every sync asks for its teams' erasures after its cursor (sync/pull.py): without this a
    # full pass over every erasure ever made (issue 18, tests/sync/test_sync_query_plans.py).
    __table_args__ = (Index("ix_erased_record_team_seq", "team_id", "erased_seq"),)

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Position in the envelope order when erased, so pulls can tell devices to drop copies.
    erased_seq: Mapped[int] = mapped_column(SeqType)


class TeamDigest(Model):
    """The drift digest of a team's envelopes, kept up to date by every write (sync/digest.py)."""

    __tablename__ = "team_digest"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    # XOR of SHA-256 of every envelope id of the team.
    xor: Mapped[bytes] = mapped_column(LargeBinary(32))


class SyncState(Model):
    """One row: the database's generation, which every pull cursor carries.

    A restore from a backup renews it (``flask sync renew-generation``, also run by the restore
    command), so every device's cursor stops working with 412 and the device re-syncs from
    scratch, re-pushing what the restored server lacks (PROTOCOL §3, docs/protocol.md)."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[bytes] = mapped_column(LargeBinary(8))
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
