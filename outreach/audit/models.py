from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class AuditEvent(Model):
    """Who did what, when, from which device. Never content: ids, actions and outcomes only."""

    __tablename__ = "audit_event"
    # A phone's report of what it did offline carries the phone's own id for it: sent again
    # (its answer lost on a bad signal), it is the same event, not a second one.
    __table_args__ = (UniqueConstraint("device_id", "report_id",
                                       name="uq_audit_event_device_report"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The team the event concerns, when it concerns one: a supervisor reads their teams' events.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    # A small JSON object of non-content facts (counts, versions, reasons).
    details: Mapped[str] = mapped_column(String, default="{}")
    report_id: Mapped[str | None] = mapped_column(String(36))
