from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import Model
from outreach.models_base import UTCDateTime, utcnow

ROLES = ("worker", "supervisor", "admin")


class User(Model):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # Stored lower-cased: usernames compare case-insensitively (PROTOCOL §1).
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(16))
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    kdf_iterations: Mapped[int] = mapped_column(Integer)
    # argon2id of the client-derived auth key; the passphrase never reaches the server.
    auth_hash: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str | None] = mapped_column(String(100))
    wrapped_private_key: Mapped[str | None] = mapped_column(String(400))
    wrapped_iv: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Device(Model):
    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    signing_public_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # lost | stolen | left | other: a choice, never free text (the audit log holds no content).
    revoked_reason: Mapped[str | None] = mapped_column(String(20))


class TokenFamily(Model):
    """One login on one device; every refresh token it ever issued belongs to it."""

    __tablename__ = "token_family"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    # Incremented on every refresh: the access token names its generation, so an access token
    # minted before a rotation stops working with it.
    generation: Mapped[int] = mapped_column(Integer, default=0)


class RefreshToken(Model):
    """Only SHA-256 of refresh tokens is kept: a database leak does not leak sessions."""

    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("token_family.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
