"""Deny by default: every API route needs a valid access token unless it is listed as public."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, g, request

from outreach.auth.principal import Principal, current_principal
from outreach.auth.service import load_principal_rows
from outreach.auth.tokens import read_access_token
from outreach.errors import DeviceRevoked, TokenInvalid, Unauthorized

# Endpoints reachable without a token. A test walks app.url_map so a new route cannot slip
# through unprotected: anything under /api/ not named here is guarded.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.prelogin",
        "auth.login",
        "auth.refresh",
        # Enrolment: the code is the credential (one-time, expiring, rate limited).
        "admin.preview_enrolment",
        "admin.enrol",
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
    rows = load_principal_rows(claims.family_id)
    if not rows:
        raise TokenInvalid()
    row = rows[0]
    if row.device_revoked_at is not None or row.user_revoked_at is not None:
        raise DeviceRevoked()
    if row.family_revoked_at is not None or row.generation != claims.generation:
        raise TokenInvalid()
    if row.expires_at <= datetime.now(UTC):
        raise TokenInvalid()
    return Principal(
        user_id=row.user_id,
        username=row.username,
        role=row.role,
        organisation_id=row.organisation_id,
        device_id=row.device_id,
        family_id=row.family_id,
        teams={r.team_slug: r.team_pk for r in rows if r.team_slug is not None},
        locale=row.locale,
        device_public_key=row.signing_public_key,
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
