from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class PaperSerial(Model):
    """A numbered blank form issued to a team; entered at most once."""

    __tablename__ = "paper_serial"

    serial: Mapped[str] = mapped_column(String(40), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    form_schema: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    entered_envelope_id: Mapped[str | None] = mapped_column(String(36))
    entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaperCounter(Model):
    """The last number issued per serial prefix, taken with one conditional UPDATE.

    Reading the highest serial and inserting the next ones raced: 5 of 20 parallel downloads
    failed on the primary key (issue 9). Numbers run across teams, so a serial names one form
    in the whole organisation; a number taken by a download that then failed is a gap."""

    __tablename__ = "paper_counter"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
