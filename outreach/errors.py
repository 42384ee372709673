"""The error tree and its single mapping to RFC 9457 problem+json.

Every error a client can cause is a ``Problem`` subclass with a stable ``type`` path; views and
services raise them, and only this module turns them into responses. Messages never contain
request content: a detail that echoed a field could put case data into logs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, json, request
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIME = "application/problem+json"


class Problem(Exception):
    """A client-caused error with a stable machine type and an HTTP status."""

    # Class attributes that an instance may override (an HTTPException keeps its own status).
    status: int = 400
    type: str = "/problems/bad-request"
    title: Any = _l("Bad request")

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or str(self.title))
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": str(self.title),
            "status": self.status,
            "detail": str(self.detail) if self.detail else str(self.title),
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class ValidationProblem(Problem):
    status = 422
    type = "/problems/validation"
    title = _l("The request is not valid")


class MalformedJSON(Problem):
    status = 400
    type = "/problems/malformed-json"
    title = _l("The request body is not valid JSON")


class UnsupportedMediaType(Problem):
    status = 415
    type = "/problems/unsupported-media-type"
    title = _l("Send JSON, optionally gzip-compressed")


class PayloadTooLarge(Problem):
    status = 413
    type = "/problems/too-large"
    title = _l("The request is too large")


class Unauthorized(Problem):
    status = 401
    type = "/problems/unauthorized"
    title = _l("Authentication is required")

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class InvalidCredentials(Unauthorized):
    type = "/problems/invalid-credentials"
    title = _l("Wrong username or passphrase")


class TokenInvalid(Unauthorized):
    type = "/problems/token-invalid"
    title = _l("The token is not valid or has expired")


class DeviceRevoked(Unauthorized):
    """PROTOCOL §3: a revoked device or user is told to wipe its local data."""

    type = "/problems/device-revoked"
    title = _l("This device has been revoked")

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "headers", {"WWW-Authenticate": "Bearer", "Clear-Site-Data": '"storage"'}
        )
        super().__init__(detail, **kwargs)


class Forbidden(Problem):
    status = 403
    type = "/problems/forbidden"
    title = _l("You may not do this")


class NotFound(Problem):
    status = 404
    type = "/problems/not-found"
    title = _l("Not found")


class Conflict(Problem):
    status = 409
    type = "/problems/conflict"
    title = _l("This conflicts with the current state")


class CursorExpired(Problem):
    status = 412
    type = "/problems/cursor-expired"
    title = _l("Sync again from the beginning")


class ServiceBusy(Problem):
    status = 503
    type = "/problems/busy"
    title = _l("The server is busy; try again shortly")


class RateLimited(Problem):
    status = 429
    type = "/problems/rate-limited"
    title = _l("Too many requests; try again later")


# Per-record problems of a push (PROTOCOL §3, the table in docs/protocol.md): each refuses one
# envelope inside the 200 answer of /sync, beside the results of the others; ``status`` is the
# one the problem would have on its own. Workers read title and detail in their receipts, in
# their own language. Types are the contract; a type may have several titles (who is meant).


class RecordProblem(Problem):
    """One envelope refused; never raised through a request, only reported in its result."""

    status = 422
    # The detail when the caller gives none; without either the title stands for it.
    detail_text: Any = None

    def __init__(self, detail: Any = None, **kwargs: Any) -> None:
        super().__init__(detail or self.detail_text, **kwargs)


class EnvelopeFormatRetired(RecordProblem):
    type = "/problems/envelope-format"
    title = _l("Envelope format 1 is no longer accepted.")
    detail_text = _l("Seal the record again in envelope format 2.")


class EnvelopeInvalid(RecordProblem):
    type = "/problems/validation"
    title = _l("The envelope is not valid.")


class MetaInvalid(RecordProblem):
    type = "/problems/validation"
    title = _l("The meta is not valid.")


class RecordMoved(RecordProblem):
    """Format 2 hides the case, so a revision is held to its record's team and type."""

    type = "/problems/validation"
    title = _l("A revision cannot move a record to another team or type.")


class EnvelopeTooLarge(RecordProblem):
    type = "/problems/too-large"
    title = _l("The envelope is too large.")


class NotTeamMember(RecordProblem):
    type = "/problems/forbidden-team"
    title = _l("You are not a member of this team.")


class AuthorNotTeamMember(NotTeamMember):
    """A relayed envelope: the device that carried it is a member, its author is not."""

    title = _l("The author is not a member of this team.")


class UnknownDevice(RecordProblem):
    type = "/problems/unknown-device"
    title = _l("The envelope names a device this server does not know.")


class SignerRevoked(RecordProblem):
    """Not "device-revoked": that type, at request level, tells the caller's own phone to wipe
    itself; this one is only about the device that signed one record."""

    status = 403
    type = "/problems/signer-revoked"
    title = _l("The device that signed this record was revoked.")


class RoleMayNotWrite(RecordProblem):
    status = 403
    type = "/problems/forbidden-record-type"
    title = _l("Your role may not write this type of record.")

    def __init__(self, record_type: str, roles: Iterable[str]) -> None:
        super().__init__(_l("Only these roles write %(type)s records: %(roles)s.",
                            type=record_type, roles=", ".join(sorted(roles))))


class AuthorRoleMayNotWrite(RoleMayNotWrite):
    title = _l("The author's role may not write this type of record.")


class ResealForbidden(RecordProblem):
    status = 403
    type = "/problems/forbidden-record-type"
    title = _l("Only the device that wrote it or a supervisor may seal a revision again.")


class BadSignature(RecordProblem):
    type = "/problems/bad-signature"
    title = _l("The signature does not verify.")


class IdReused(RecordProblem):
    status = 409
    type = "/problems/id-reuse"
    title = _l("This id was used for other content.")


class RecordErased(RecordProblem):
    type = "/problems/erased"
    title = _l("This record was erased.")


class UnknownKey(RecordProblem):
    """The team key and the recovery key must both be listed, in versions that exist."""

    type = "/problems/unknown-key"
    title = _l("The team key and the recovery key must both be listed.")


class ForeignTeamKey(UnknownKey):
    title = _l("A key of another team is listed.")


class UnknownTeamKeyVersion(UnknownKey):
    title = _l("No such team key version.")


class UnknownRecoveryKeyVersion(UnknownKey):
    title = _l("No such recovery key version.")


class PaperSerialOtherTeam(RecordProblem):
    status = 403
    type = "/problems/paper-serial-other-team"
    title = _l("This paper form was issued to another team.")


class PaperSerialUsed(RecordProblem):
    type = "/problems/paper-serial-used"
    title = _l("This paper form was already entered.")


def problem_response(problem: Problem) -> Response:
    response = Response(json.dumps(problem.to_dict()), status=problem.status, mimetype=PROBLEM_MIME)
    for key, value in problem.headers.items():
        response.headers[key] = value
    return response


def _http_problem(exc: HTTPException) -> Problem:
    status = exc.code or 500
    if status == 413:
        return PayloadTooLarge()
    if status == 429:
        from outreach.metrics import rate_limited

        rate_limited()
        problem = RateLimited()
        retry = exc.response.headers.get("Retry-After") if exc.response is not None else None
        problem.headers = {"Retry-After": retry or "60"}
        return problem
    other = Problem(exc.description)
    if status == 405 and getattr(exc, "valid_methods", None):
        # RFC 9110 §15.5.6: a 405 says which methods the resource does support (the attribute
        # exists on MethodNotAllowed only, checked just above).
        other.headers = {"Allow": ", ".join(exc.valid_methods)}  # type: ignore[attr-defined]
    # An HTTPException keeps its status; the type names it so clients can switch on it.
    other.status = status
    other.type = f"/problems/http-{status}"
    other.title = exc.name
    return other


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def handle_problem(exc: Problem) -> Response:
        log.info(
            "problem %s %s on %s %s", exc.status, exc.type, request.method, request.path
        )
        return problem_response(exc)

    @app.errorhandler(ValidationError)
    def handle_validation(exc: ValidationError) -> Response:
        return problem_response(ValidationProblem(errors=_flatten(exc.messages)))

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> Response:
        # flask-smorest raises 422 with marshmallow messages attached in exc.data.
        messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
        if exc.code == 422 and messages is not None:
            return problem_response(ValidationProblem(errors=_flatten(messages)))
        return problem_response(_http_problem(exc))

    @app.errorhandler(OperationalError)
    def handle_database_unavailable(exc: OperationalError) -> Response:
        # A locked SQLite file or an unreachable PostgreSQL passes: the client retries (its
        # outbox keeps everything, nothing was acknowledged). The class only, never the
        # message: it quotes the statement and its parameters.
        log.warning("database unavailable (%s) on %s %s", type(exc.orig).__name__,
                    request.method, request.path)
        from outreach.extensions import db

        db.session.rollback()
        problem = ServiceBusy("The database cannot be reached just now; nothing was stored.")
        problem.headers = {"Retry-After": "5"}
        return problem_response(problem)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        if app.testing:
            # Under test a bug must fail loudly, never hide behind a polite 500 (STYLE.md 9).
            raise exc
        # Log the exception class and where, not its message: messages may quote content.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.path)
        problem = Problem("An unexpected error occurred; nothing was stored.")
        problem.status = 500
        problem.type = "/problems/internal"
        problem.title = _l("Internal error")
        return problem_response(problem)


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into ``{"a.b.0": ["…"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "json" and not prefix:
                path = ""
            flat.update(_flatten(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_"] = [str(m) for m in messages]
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "_"] = [str(messages)]
    return flat
