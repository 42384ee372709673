from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow


class PublishedForm(Model):
    """Every form version ever published, so records made with an old version stay valid.

    (The registry's ``forms.registry.FormDefinition`` is the file as loaded; this is its row.
    The table keeps its first name, so no migration was needed for the rename.)"""

    __tablename__ = "form_definition"
    __table_args__ = (UniqueConstraint("form_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    # Canonical JSON of the definition file; SHA-256 lets `forms sync` detect an edited version.
    definition: Mapped[str] = mapped_column(String)
    digest: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
