"""PROTOCOL §1: prelogin, login, refresh, logout. Thin views over ``auth.service``."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address

from outreach.auth import service
from outreach.auth.principal import current_principal
from outreach.auth.schemas import (
    LoginSchema,
    PreloginResponseSchema,
    PreloginSchema,
    RefreshSchema,
    TokenResponseSchema,
)
from outreach.extensions import db, limiter
from outreach.http_json import Blueprint, request_json

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Login and tokens")


def _auth_limit() -> str:
    limit: str = current_app.config["OUTREACH"].auth_rate_limit
    return limit


def _auth_address_limit() -> str:
    limit: str = current_app.config["OUTREACH"].auth_address_rate_limit
    return limit


def _refresh_limit() -> str:
    limit: str = current_app.config["OUTREACH"].refresh_rate_limit
    return limit


def _account_at_address() -> str:
    """Wrong passphrases are counted per account and address: one guesser at a shared
    address locks out only the account they guess at, not everyone behind the address."""
    body = request_json()
    username = body.get("username") if isinstance(body, dict) else None
    account = service.normalise_username(username)[:80] if isinstance(username, str) else "-"
    return f"{get_remote_address()}|{account}"


def auth_limit() -> str:
    """The allowance per address of every public door that takes a secret (enrolment codes)."""
    return _auth_address_limit()


def token_answer(pair: service.TokenPair) -> dict[str, Any]:
    config = current_app.config["OUTREACH"]
    return {
        "device_policy": {"pin_attempts": config.pin_attempts,
                          "idle_lock_seconds": config.idle_lock_seconds},
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "access_expires_in": pair.access_expires_in,
        "device_id": pair.device_id,
        "user": {
            "id": pair.user.id,
            "username": pair.user.username,
            "display_name": pair.user.display_name or pair.user.username,
            "role": pair.user.role,
            "teams": service.user_team_slugs(pair.user.id),
        },
    }


@blp.post("/prelogin")
@limiter.limit(_auth_limit, key_func=_account_at_address)
@limiter.limit(_auth_address_limit)
@blp.arguments(PreloginSchema)
@blp.response(200, PreloginResponseSchema)
def prelogin(body: dict[str, Any]) -> dict[str, Any]:
    return service.prelogin(body["username"])


@blp.post("/login")
@limiter.limit(_auth_limit, key_func=_account_at_address)
@limiter.limit(_auth_address_limit)
@blp.arguments(LoginSchema)
@blp.response(200, TokenResponseSchema)
def login(body: dict[str, Any]) -> dict[str, Any]:
    device = body.get("device") or {}
    try:
        pair = service.login(
            username=body["username"],
            auth_key=body["auth_key"],
            device_name=device.get("name"),
            signing_public_key=device.get("signing_public_key"),
            device_id=body.get("device_id"),
        )
    finally:
        # Failed attempts are audited too: commit whatever the service recorded.
        db.session.commit()
    return token_answer(pair)


@blp.post("/refresh")
@limiter.limit(_refresh_limit)
@blp.arguments(RefreshSchema)
@blp.response(200, TokenResponseSchema)
def refresh(body: dict[str, Any]) -> dict[str, Any]:
    try:
        pair = service.refresh(body["refresh_token"])
    finally:
        # A detected token reuse revokes the family before raising: keep that.
        db.session.commit()
    return token_answer(pair)


@blp.post("/logout")
@blp.response(204)
def logout() -> None:
    principal = current_principal()
    service.logout(principal.family_id, principal.user_id, principal.device_id)
    db.session.commit()
