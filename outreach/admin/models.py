"""Enrolment codes and break-the-glass access requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class Enrolment(Model):
    """A one-time invitation: the new user sets their passphrase on their own phone.

    Only SHA-256 of the code is kept, as for refresh tokens: a database leak hands out no
    accounts. Used once (``used_at`` set by a conditional update), and it expires."""

    __tablename__ = "enrolment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    team_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))


class AccessRequest(Model):
    """Break-the-glass: someone outside a team asks to read one household of it.

    The server relays the request and, once a supervisor's phone of the team approves it, the
    data keys of the household's revisions re-wrapped on that phone to the requester's public
    key (``grants``: envelope id → HPKE ciphertext). The server never holds a key that opens
    anything; after ``expires_at`` it stops handing the grants out (docs/threat-model.md)."""

    __tablename__ = "access_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    requester_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    # Shown to the team's supervisors only; the audit log keeps the request's id, not this.
    reason: Mapped[str] = mapped_column(String(500))
    # What the requester knows of the household: a paper serial, a case reference.
    reference: Mapped[str] = mapped_column(String(100))
    hours: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grants: Mapped[dict[str, Any] | None] = mapped_column(JSON)
