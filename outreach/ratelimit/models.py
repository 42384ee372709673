from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model


class RateLimitCounter(Model):
    """One fixed window of one limit for one key (an address, an account at an address)."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Unix time the window ends: the limits library counts in epoch seconds.
    expires_at: Mapped[float] = mapped_column(Float)
