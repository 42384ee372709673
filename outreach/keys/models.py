from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class TeamKey(Model):
    """A version of a team's key pair; only the public half is on the server."""

    __tablename__ = "team_key"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    version: Mapped[int] = mapped_column(Integer)
    public_key: Mapped[str] = mapped_column(String(100))
    # The version's statement as JCS text (outreach/crypto/chain.py) and the signing
    # supervisor's signature over it: phones check the chain, the server only stores it. No
    # signature: made by the server (CLI, demo, the migration of older versions), which
    # phones trust only on first sight.
    statement: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeyGrant(Model):
    """The team private key, HPKE-sealed to one member's public key (PROTOCOL §1)."""

    __tablename__ = "key_grant"
    __table_args__ = (UniqueConstraint("team_key_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_key_id: Mapped[int] = mapped_column(ForeignKey("team_key.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    grant: Mapped[bytes] = mapped_column(LargeBinary)
    # The granting supervisor's signature over crypto.grant_statement; None when the server
    # wrote it (CLI, demo, `recovery regrant` from the paper key).
    signature: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryKey(Model):
    """Public half of the organisation's paper recovery key; the private half is on paper only."""

    __tablename__ = "recovery_key"
    __table_args__ = (UniqueConstraint("organisation_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    version: Mapped[int] = mapped_column(Integer)
    public_key: Mapped[str] = mapped_column(String(100))
    # Every team key version is also granted to the recovery key (PROTOCOL §1).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryGrant(Model):
    __tablename__ = "recovery_grant"
    __table_args__ = (UniqueConstraint("team_key_id", "recovery_key_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_key_id: Mapped[int] = mapped_column(ForeignKey("team_key.id"))
    recovery_key_id: Mapped[int] = mapped_column(ForeignKey("recovery_key.id"))
    grant: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
