from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class Organisation(Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    # How a household reaches the organisation, printed on every plan (not a worker's login).
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Team(Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # The slug is the team's identity on the wire (PROTOCOL §2: `team_id`).
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The team's phone, printed on plans so the household has someone to call.
    phone: Mapped[str | None] = mapped_column(String(40))
    # The presence phase's schedule for the team's cases (issue 15): a contact every so many
    # weeks for so many months. Empty: the defaults (PRESENCE_DEFAULT, teams/service.py). Only
    # numbers: the phones apply them to cases the server cannot read.
    presence_interval_weeks: Mapped[int | None] = mapped_column(Integer)
    presence_months: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="team")
    areas: Mapped[list[Area]] = relationship(back_populates="team")


class Area(Model):
    """A place a team works: region › municipality › settlement, flagged where known."""

    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), default="settlement")
    # Eurostat degree of urbanisation: cities | towns_suburbs | rural.
    urbanisation: Mapped[str | None] = mapped_column(String(20))
    deprived: Mapped[bool | None] = mapped_column(Boolean)
    segregated: Mapped[bool | None] = mapped_column(Boolean)
    # The name in other languages ({"ro": "Valea Seacă", "ar": "…"}), looked up along a
    # household's language chain like every other string they read.
    names: Mapped[dict[str, str] | None] = mapped_column(JSON)

    team: Mapped[Team | None] = relationship(back_populates="areas")


class Membership(Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
