"""Logins, token rotation, devices and revocation. Services flush; the caller commits."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Table, bindparam, func, select, update

from outreach import crypto, metrics
from outreach.audit import service as audit
from outreach.auth.models import Device, RefreshToken, TokenFamily, User
from outreach.auth.passwords import dummy_hash, hash_auth_key, verify_auth_key
from outreach.auth.tokens import mint_access_token, new_refresh_token, token_hash
from outreach.config import Config
from outreach.errors import (
    DeviceRevoked,
    Forbidden,
    InvalidCredentials,
    TokenInvalid,
    ValidationProblem,
)
from outreach.extensions import db
from outreach.prepared import Query
from outreach.teams.models import Membership, Team

KDF_NAME = "PBKDF2-SHA256"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int
    device_id: str
    user: User


def _config() -> Config:
    settings: Config = current_app.config["OUTREACH"]
    return settings


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.execute(
        db.select(User).where(User.username == normalise_username(username))
    ).scalar_one_or_none()


def prelogin(username: str) -> dict[str, object]:
    """KDF parameters; unknown users get stable fake ones so usernames cannot be probed."""
    user = find_user(username)
    if user is not None:
        salt, iterations = user.kdf_salt, user.kdf_iterations
    else:
        secret = current_app.config["SECRET_KEY"].encode()
        message = b"prelogin " + normalise_username(username).encode()
        digest = hmac.new(secret, message, hashlib.sha256).digest()
        salt = digest[:16]
        iterations = _fake_iterations(int.from_bytes(digest[16:24], "big") / 2**64)
    return {"kdf": {"name": KDF_NAME, "iterations": iterations, "salt": crypto.b64u_encode(salt)}}


def _fake_iterations(u: float) -> int:
    """An iteration count for an unknown name, drawn (stably, by ``u`` in [0, 1)) from the
    counts real users have, in their proportions. Answering the current default would tell
    unknown names from the users created before the default was raised (issue 9)."""
    rows = db.session.execute(
        db.select(User.kdf_iterations, func.count()).group_by(User.kdf_iterations)
        .order_by(User.kdf_iterations)
    ).all()
    total = sum(count for _, count in rows)
    if not total:
        return int(_config().kdf_iterations)
    running = 0
    for iterations, count in rows:
        running += count
        if u < running / total:
            return int(iterations)
    return int(rows[-1][0])


def add_user(
    *,
    organisation_id: int,
    username: str,
    role: str,
    passphrase: str,
    display_name: str = "",
    iterations: int | None = None,
) -> User:
    """Create a user as the CLI does: derive keys from the passphrase here, keep only hashes.

    The user key pair is created now and stored wrapped under the passphrase-derived wrap key,
    exactly as a client would upload it, so a CLI-made user can log in from the PWA at once.
    """
    if role not in ("worker", "supervisor", "admin"):
        raise ValidationProblem(errors={"role": ["Must be worker, supervisor or admin."]})
    if find_user(username) is not None:
        raise ValidationProblem(errors={"username": ["This username is taken."]})
    salt = os.urandom(16)
    iterations = iterations or _config().kdf_iterations
    keys = crypto.derive_login_keys(passphrase, salt, iterations)
    private_key = crypto.generate_private_key()
    iv, wrapped = crypto.wrap_private_key(keys.wrap_key, private_key)
    user = User(
        id=str(uuid.uuid4()),
        organisation_id=organisation_id,
        username=normalise_username(username),
        display_name=display_name,
        role=role,
        kdf_salt=salt,
        kdf_iterations=iterations,
        auth_hash=hash_auth_key(keys.auth_key),
        public_key=crypto.public_key_to_b64u(private_key.public_key()),
        wrapped_private_key=crypto.b64u_encode(wrapped),
        wrapped_iv=crypto.b64u_encode(iv),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user_added", organisation_id=organisation_id, target_type="user",
                 target_id=user.id, role=role)
    return user


def add_enrolled_user(
    *,
    organisation_id: int,
    username: str,
    role: str,
    display_name: str,
    kdf_salt: bytes,
    kdf_iterations: int,
    auth_key: bytes,
    public_key: str,
    wrapped_private_key: bytes,
    wrapped_iv: bytes,
) -> User:
    """A user who set their passphrase on their own phone (an enrolment code): the server gets
    what a login needs, derived there, and never the passphrase; nobody else chose it."""
    if find_user(username) is not None:
        raise ValidationProblem(errors={"username": ["This username is taken."]})
    if kdf_iterations < _config().kdf_iterations:
        raise ValidationProblem(errors={"kdf.iterations": [
            f"At least {_config().kdf_iterations}."]})
    try:
        crypto.load_public_key(public_key)
    except crypto.CryptoError as exc:
        raise ValidationProblem(errors={"public_key": ["Not an uncompressed P-256 public key."]}
                                ) from exc
    user = User(
        id=str(uuid.uuid4()), organisation_id=organisation_id,
        username=normalise_username(username), display_name=display_name, role=role,
        kdf_salt=kdf_salt, kdf_iterations=kdf_iterations, auth_hash=hash_auth_key(auth_key),
        public_key=public_key, wrapped_private_key=crypto.b64u_encode(wrapped_private_key),
        wrapped_iv=crypto.b64u_encode(wrapped_iv),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user_added", actor_id=user.id, organisation_id=organisation_id,
                 target_type="user", target_id=user.id, role=role, enrolled=True)
    return user


def first_login(user: User, device_name: str, signing_public_key: str) -> TokenPair:
    """The enrolled user's first session on the phone that enrolled them."""
    device = register_device(user, device_name, signing_public_key)
    pair = _open_family(user, device)
    audit.record("login", actor_id=user.id, device_id=device.id,
                 organisation_id=user.organisation_id)
    return pair


def user_team_slugs(user_id: str) -> list[str]:
    return list(
        db.session.execute(
            db.select(Team.slug)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user_id)
            .order_by(Team.slug)
        ).scalars()
    )


def login(
    *,
    username: str,
    auth_key: bytes,
    device_name: str | None = None,
    signing_public_key: str | None = None,
    device_id: str | None = None,
) -> TokenPair:
    user = find_user(username)
    if user is None:
        verify_auth_key(dummy_hash(), auth_key)
        audit.record("login_failed", target_type="username", outcome="unknown_user")
        metrics.login_failed("unknown_user")
        raise InvalidCredentials()
    if not verify_auth_key(user.auth_hash, auth_key):
        audit.record("login_failed", actor_id=user.id, organisation_id=user.organisation_id,
                     outcome="bad_key")
        metrics.login_failed("bad_key")
        raise InvalidCredentials()
    if user.revoked_at is not None:
        raise DeviceRevoked("This account has been revoked.")
    if device_id is not None:
        device = db.session.get(Device, device_id)
        if device is None or device.user_id != user.id:
            raise Forbidden("This device is not registered to this user.")
        if device.revoked_at is not None:
            raise DeviceRevoked()
    else:
        device = register_device(user, device_name or "", signing_public_key or "")
    pair = _open_family(user, device)
    audit.record("login", actor_id=user.id, device_id=device.id,
                 organisation_id=user.organisation_id)
    return pair


def register_device(user: User, name: str, signing_public_key: str) -> Device:
    try:
        crypto.load_public_key(signing_public_key)
    except crypto.CryptoError as exc:
        raise ValidationProblem(
            errors={"device.signing_public_key": ["Not an uncompressed P-256 public key."]}
        ) from exc
    device = Device(
        id=str(uuid.uuid4()), user_id=user.id, name=name, signing_public_key=signing_public_key
    )
    db.session.add(device)
    db.session.flush()
    audit.record("device_registered", actor_id=user.id, device_id=device.id,
                 organisation_id=user.organisation_id, target_type="device", target_id=device.id)
    return device


def _open_family(user: User, device: Device) -> TokenPair:
    now = datetime.now(UTC)
    family = TokenFamily(
        id=str(uuid.uuid4()),
        user_id=user.id,
        device_id=device.id,
        expires_at=now + timedelta(days=_config().refresh_token_days),
        generation=0,
    )
    db.session.add(family)
    device.last_seen_at = now
    db.session.flush()  # the family row must exist before its refresh token's foreign key
    return _issue(family, device, user)


def _issue(family: TokenFamily, device: Device, user: User) -> TokenPair:
    refresh = new_refresh_token()
    db.session.add(RefreshToken(token_hash=token_hash(refresh), family_id=family.id))
    db.session.flush()
    return TokenPair(
        access_token=mint_access_token(family.id, family.generation),
        refresh_token=refresh,
        access_expires_in=_config().access_token_seconds,
        device_id=device.id,
        user=user,
    )


_FAMILY, _DEVICE, _USER, _MEMBERSHIP, _TEAM = (
    cast(Table, model.__table__) for model in (TokenFamily, Device, User, Membership, Team))
# Every authenticated request runs this, so it is one statement compiled once and run on the
# driver's cursor (outreach/prepared.py):
# the token family with its device and user, and one row per team of the user (an outer join:
# a user of no team still authenticates). Building an ORM select per request cost more than
# running it (docs/performance.md).
_PRINCIPAL_ROWS = Query(
    select(_FAMILY.c.id.label("family_id"), _FAMILY.c.generation, _FAMILY.c.expires_at,
           _FAMILY.c.revoked_at.label("family_revoked_at"),
           _DEVICE.c.id.label("device_id"), _DEVICE.c.signing_public_key,
           _DEVICE.c.revoked_at.label("device_revoked_at"),
           _USER.c.id.label("user_id"), _USER.c.username, _USER.c.role,
           _USER.c.organisation_id, _USER.c.locale,
           _USER.c.revoked_at.label("user_revoked_at"),
           _TEAM.c.slug.label("team_slug"), _TEAM.c.id.label("team_pk"))
    .select_from(
        _FAMILY.join(_DEVICE, _DEVICE.c.id == _FAMILY.c.device_id)
        .join(_USER, _USER.c.id == _FAMILY.c.user_id)
        .outerjoin(_MEMBERSHIP, _MEMBERSHIP.c.user_id == _USER.c.id)
        .outerjoin(_TEAM, _TEAM.c.id == _MEMBERSHIP.c.team_id))
    .where(_FAMILY.c.id == bindparam("family_id"))
)


def load_principal_rows(family_id: str) -> list[Any]:
    """The family, device, user and teams behind an access token: one row per team (at least
    one row, with no team, when the family exists); empty when it does not. Run on the
    session's connection: there is nothing to autoflush before the guard."""
    return _PRINCIPAL_ROWS.rows(db.session.connection(), {"family_id": family_id})


def load_family(family_id: str) -> tuple[TokenFamily, Device, User] | None:
    """A token family with its device and user, in one query (every authenticated request)."""
    row = db.session.execute(
        db.select(TokenFamily, Device, User)
        .join(Device, Device.id == TokenFamily.device_id)
        .join(User, User.id == TokenFamily.user_id)
        .where(TokenFamily.id == family_id)
    ).one_or_none()
    return None if row is None else (row[0], row[1], row[2])


def refresh(refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent; presenting a spent one ends the family."""
    now = datetime.now(UTC)
    stored = db.session.get(RefreshToken, token_hash(refresh_token))
    if stored is None:
        raise TokenInvalid()
    family, device, user = load_family(stored.family_id) or (None, None, None)
    if family is None or device is None or user is None:
        raise TokenInvalid()
    if device.revoked_at is not None or user.revoked_at is not None:
        raise DeviceRevoked()
    if family.revoked_at is not None or family.expires_at <= now:
        raise TokenInvalid()
    # Spend the token with a conditional update, never read-then-write: of two requests
    # racing with one token (a thief and the owner, or two tabs), exactly one changes the row;
    # the other sees it spent and counts as reuse (issue 9, finding 8). On PostgreSQL the
    # loser waits for the winner's row lock and re-reads; SQLite has a single writer.
    spent = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == stored.token_hash, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], spent).rowcount != 1:
        # Someone holds a copy of an old token: a thief or a replay. End the whole family.
        db.session.execute(
            update(TokenFamily).where(TokenFamily.id == family.id)
            .values(revoked_at=now, revoked_reason="reuse")
            .execution_options(synchronize_session=False)
        )
        audit.record("token_reuse", actor_id=user.id, device_id=device.id,
                     organisation_id=user.organisation_id, target_type="token_family",
                     target_id=family.id)
        db.session.flush()
        raise TokenInvalid("This refresh token was already used; log in again.")
    db.session.execute(
        update(TokenFamily).where(TokenFamily.id == family.id)
        .values(generation=TokenFamily.generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(family, ["generation"])
    device.last_seen_at = now
    return _issue(family, device, user)


def logout(family_id: str, user_id: str, device_id: str) -> None:
    family = db.session.get(TokenFamily, family_id)
    if family is not None and family.revoked_at is None:
        family.revoked_at = datetime.now(UTC)
        family.revoked_reason = "logout"
    audit.record("logout", actor_id=user_id, device_id=device_id)
    db.session.flush()


REVOCATION_REASONS = ("lost", "stolen", "left", "other")


def revoke_device(device_id: str, *, actor_id: str | None = None, reason: str | None = None,
                  actor_device_id: str | None = None) -> Device:
    device = db.session.get(Device, device_id)
    if device is None:
        raise ValidationProblem(errors={"device_id": ["No such device."]})
    if reason is not None and reason not in REVOCATION_REASONS:
        raise ValidationProblem(errors={"reason": ["Must be lost, stolen, left or other."]})
    now = datetime.now(UTC)
    device.revoked_at = device.revoked_at or now
    device.revoked_reason = device.revoked_reason or reason
    _end_families(TokenFamily.device_id == device_id, now)
    owner = db.session.get(User, device.user_id)
    audit.record("device_revoked", actor_id=actor_id, device_id=actor_device_id,
                 organisation_id=owner.organisation_id if owner else None,
                 target_type="device", target_id=device_id, user=device.user_id,
                 reason=reason or "unspecified")
    db.session.flush()
    return device


def revoke_user(user_id: str, *, actor_id: str | None = None) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ValidationProblem(errors={"user_id": ["No such user."]})
    now = datetime.now(UTC)
    user.revoked_at = user.revoked_at or now
    _end_families(TokenFamily.user_id == user_id, now)
    audit.record("user_revoked", actor_id=actor_id, organisation_id=user.organisation_id,
                 target_type="user", target_id=user_id)
    db.session.flush()
    return user


def _end_families(condition: object, now: datetime) -> None:
    families = db.session.execute(
        db.select(TokenFamily).where(condition, TokenFamily.revoked_at.is_(None))
    ).scalars()
    for family in families:
        family.revoked_at = now
        family.revoked_reason = "revoked"
