"""Published team figures: the one place the server holds figures about households and people.

A supervisor's phone computes them from the decrypted records and publishes them, suppressed, as
a signed record (docs/protocol.md, "Published team figures"). The numbers are in the clear on
purpose: they are meant to leave the team. The record is kept as it was signed, so anyone can
check later who published which numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class PublishedFigures(Model):
    __tablename__ = "published_figures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # minted on the phone
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    # Whole months, YYYY-MM, both included. A team's published periods never overlap.
    period_start: Mapped[str] = mapped_column(String(7))
    period_end: Mapped[str] = mapped_column(String(7))
    k: Mapped[int] = mapped_column(Integer)
    # The record as signed: canonical JSON (RFC 8785) with its signature.
    record: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
