"""Deny by default: every API route needs a valid access token unless it is listed as public."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, g, request

from outreach.auth.principal import Principal, current_principal
from outreach.auth.service import load_family
from outreach.auth.tokens import read_access_token
from outreach.errors import DeviceRevoked, TokenInvalid, Unauthorized
from outreach.teams.service import team_ids_for

# Endpoints reachable without a token. A test walks app.url_map so a new route cannot slip
# through unprotected: anything under /api/ not named here is guarded.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.prelogin",
        "auth.login",
        "auth.refresh",
        "forms.list_forms",
        "api-docs.openapi_json",
        "apidocs.reference",
        "apidocs.asset",
    }
)


# Everything under these prefixes needs a token, unless its endpoint is public.
GUARDED_PREFIXES = ("/api/", "/paper/")

# Re-exported for code written before auth/principal.py existed.
__all__ = ["GUARDED_PREFIXES", "PUBLIC_ENDPOINTS", "Principal", "authenticate", "current_principal",
           "register_guard"]


def authenticate(header: str | None) -> Principal:
    # RFC 9110 §11.1: the scheme name is case-insensitive ("bearer" is as good as "Bearer").
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    config = current_app.config["OUTREACH"]
    claims = read_access_token(token.strip(), config.access_token_seconds)
    if claims is None:
        raise TokenInvalid()
    row = load_family(claims.family_id)
    if row is None:
        raise TokenInvalid()
    family, device, user = row
    if device.revoked_at is not None or user.revoked_at is not None:
        raise DeviceRevoked()
    if family.revoked_at is not None or family.generation != claims.generation:
        raise TokenInvalid()
    if family.expires_at <= datetime.now(UTC):
        raise TokenInvalid()
    teams = team_ids_for(user.id)
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        organisation_id=user.organisation_id,
        device_id=device.id,
        family_id=family.id,
        teams=teams,
        locale=user.locale,
    )


def register_guard(app: Flask) -> None:
    @app.before_request
    def _guard() -> None:
        if not request.path.startswith(GUARDED_PREFIXES):
            return
        # Unknown paths (endpoint None) answer 404 problem+json: the route list is public in
        # the OpenAPI document anyway, and a 401 there would send clients to log in again.
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
            return
        g.principal = authenticate(request.headers.get("Authorization"))
        # The worker's own language choice wins over Accept-Language (outreach.i18n).
        g.user_locale = g.principal.locale
