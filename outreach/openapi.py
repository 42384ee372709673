"""The OpenAPI document as the server really behaves (GET /api/v1/openapi.json).

flask-smorest documents the success schemas from the views; this module adds what it cannot
know: every error is RFC 9457 ``application/problem+json`` (one ``Problem`` schema), which
operations need the bearer token (the guard's public list decides, not a second list), the
statuses each kind of operation can answer, the responses of the two hand-made views (forms,
PDF) and a summary for every operation. ``tests/robustness/test_openapi_conformance.py`` holds
the server to it with schemathesis' conformance checks.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` is stable and is what clients switch on.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "/problems/validation"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {"type": "object", "description": "Field path to messages.",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "additionalProperties": True,
}

REASONS = {
    "400": "Malformed JSON or gzip body",
    "401": "No valid access token, or the device or user is revoked",
    "403": "The caller's role or team membership does not allow this",
    "404": "No such resource (or not visible to the caller)",
    "409": "Conflicts with the current state",
    "412": "The cursor is from before a restore: pull again from the beginning",
    "413": "The request (or a decompressed body) is too large",
    "415": "The body is not JSON, or not gzip/identity encoded",
    "422": "The request does not validate",
    "429": "Too many requests; see Retry-After",
    "503": "Not ready (readiness only)",
}

# Operations without a docstring of their own; a test fails when one has neither.
SUMMARIES = {
    ("post", "/api/v1/auth/prelogin"): "Key-derivation parameters for a username",
    ("post", "/api/v1/auth/login"): "Log in with the derived key and register this device",
    ("post", "/api/v1/auth/refresh"): "Exchange a refresh token for new tokens",
    ("post", "/api/v1/auth/logout"): "End this device's session",
    ("get", "/api/v1/keys"): "The caller's wrapped keys and team key grants",
    ("put", "/api/v1/keys/user"): "Replace the caller's wrapped private key (new passphrase)",
    ("get", "/api/v1/teams/{team_id}/members"): "Members of a team with their public keys",
    ("post", "/api/v1/teams/{team_id}/keys"): "Publish a new team key version with its grants",
    ("post", "/api/v1/teams/{team_id}/grants"): "Grant the team key to (new) members",
    ("post", "/api/v1/sync"): "Push envelopes and pull what is new since a cursor",
    ("get", "/api/v1/forms"): "Published form definitions, optionally translated",
    ("get", "/paper/forms/{form}.pdf"): "Numbered blank paper forms as PDF",
    ("get", "/api/v1/teams/{team_id}/paper-serials"): "Paper serials issued but never entered",
    ("get", "/api/v1/teams"): "The caller's teams with areas and referral catalogue",
    ("get", "/api/v1/reports/indicators"): "Team indicators with small cells withheld",
    ("get", "/api/v1/audit"): "The audit log (admins: organisation; supervisors: their teams)",
    ("get", "/api/v1/audit.csv"): "The audit log as CSV",
    ("post", "/api/v1/audit/events"): "Report an action a phone took offline (access export)",
    ("get", "/api/v1/devices"): "Devices of the people in the caller's care, last contact",
    ("post", "/api/v1/devices/{device_id}/revoke"): "Revoke a lost or stolen device",
    ("get", "/api/v1/users"): "The organisation's users (admins)",
    ("patch", "/api/v1/users/{user_id}"): "Change a user's role or name (admins)",
    ("post", "/api/v1/users/{user_id}/deactivate"): "Deactivate a user (admins)",
    ("get", "/api/v1/enrolments"): "Enrolment codes not used yet (admins)",
    ("post", "/api/v1/enrolments"): "Invite a user with a one-time enrolment code (admins)",
    ("get", "/api/v1/organisation/teams"): "Every team with members and areas (admins)",
    ("post", "/api/v1/organisation/teams"): "Create a team (admins)",
    ("post", "/api/v1/organisation/teams/{team_id}/areas"): "Add an area to a team (admins)",
    ("post", "/api/v1/organisation/teams/{team_id}/members"): "Add a member (pending a grant)",
    ("post", "/api/v1/auth/enrolment"): "Who an enrolment code enrols",
    ("post", "/api/v1/auth/enrol"): "Enrol with a one-time code and log this phone in",
    ("post", "/api/v1/teams/{team_id}/erasures"): "Erase a household's records on request",
    ("post", "/api/v1/access-requests"): "Ask for emergency access to one household",
    ("get", "/api/v1/access-requests"): "Emergency access requests the caller may see",
    ("post", "/api/v1/access-requests/{request_id}/approve"): "Approve with re-sealed keys",
    ("post", "/api/v1/access-requests/{request_id}/refuse"): "Refuse an access request",
    ("get", "/api/v1/access-requests/{request_id}/records"): "Read what an access granted",
}

# Beyond the statuses every operation of a kind can answer (see _statuses).
EXTRA = {
    ("post", "/api/v1/sync"): {"409", "412"},
    ("post", "/api/v1/teams/{team_id}/keys"): {"409"},
    ("post", "/api/v1/auth/refresh"): {"401"},
}

_METHODS = ("get", "post", "put", "delete", "patch")


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _public_operations(app: Flask) -> set[tuple[str, str]]:
    from outreach.auth.guard import PUBLIC_ENDPOINTS

    public = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            for method in rule.methods or ():
                public.add((method.lower(), _openapi_path(rule.rule)))
    return public


def _statuses(method: str, path: str, operation: dict[str, Any], public: bool) -> set[str]:
    statuses = {"400", "413", "415", "422"} if "requestBody" in operation else set()
    if any(p.get("in") == "query" for p in operation.get("parameters", [])):
        statuses.add("422")
    if "{" in path:
        statuses.add("404")
    if not public:
        statuses |= {"401", "403"}
    if path.startswith("/api/v1/auth/"):
        statuses.add("429")
    return statuses | EXTRA.get((method, path), set())


def _problem_response(status: str) -> dict[str, Any]:
    return {"description": REASONS.get(status, "Error"),
            "content": {"application/problem+json": {"schema": PROBLEM_REF}}}


def truthful(spec: dict[str, Any], app: Flask) -> dict[str, Any]:
    """Return a corrected copy of flask-smorest's document."""
    spec = copy.deepcopy(spec)
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    # flask-smorest's stock error schemas describe bodies this server never sends.
    for name in ("Error", "PaginationMetadata"):
        components["schemas"].pop(name, None)
    components.pop("responses", None)
    components["securitySchemes"] = {"bearerAuth": {
        "type": "http", "scheme": "bearer",
        "description": "The access token from /api/v1/auth/login or /refresh (15 minutes)."}}
    spec["security"] = [{"bearerAuth": []}]
    public = _public_operations(app)
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            is_public = (method, path) in public
            operation["security"] = [] if is_public else [{"bearerAuth": []}]
            operation.setdefault("summary", SUMMARIES.get((method, path)))
            if operation["summary"] is None:
                del operation["summary"]
            responses = {code: response for code, response in operation["responses"].items()
                         if code != "default" and not code.startswith(("4", "5"))}
            _document_hand_made(method, path, operation, responses)
            for status in sorted(_statuses(method, path, operation, is_public)):
                responses[status] = _problem_response(status)
            responses["default"] = {
                "description": "Any other error, in the same format",
                "content": {"application/problem+json": {"schema": PROBLEM_REF}}}
            operation["responses"] = responses
    return spec


def _document_hand_made(method: str, path: str, operation: dict[str, Any],
                        responses: dict[str, Any]) -> None:
    """The views that build their own Response: what they send, said here."""
    if (method, path) == ("get", "/api/v1/forms"):
        from outreach.i18n import LOCALES

        operation.setdefault("parameters", []).append({
            "name": "lang", "in": "query", "required": False,
            "schema": {"type": "string", "enum": sorted(LOCALES), "default": "en"}})
        responses["200"] = {"description": "Every published form definition",
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["lang", "dir"],
                                "properties": {"lang": {"type": "string"},
                                               "dir": {"type": "string",
                                                       "enum": ["ltr", "rtl"]}},
                                "additionalProperties": True}}}}
        responses["304"] = {"description": "Not modified (If-None-Match)"}
    if (method, path) == ("get", "/api/v1/audit.csv"):
        responses["200"] = {"description": "One line per event, newest first",
                            "content": {"text/csv": {"schema": {"type": "string"}}}}
    if (method, path) == ("get", "/paper/forms/{form}.pdf"):
        responses["200"] = {"description": "The blank forms, one numbered copy per page group",
                            "content": {"application/pdf": {
                                "schema": {"type": "string", "format": "binary"}}}}
