"""POST /api/v1/sync: push and pull in one round trip (PROTOCOL §3)."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, request
from sqlalchemy.exc import IntegrityError, OperationalError

from outreach import metrics
from outreach.audit import service as audit
from outreach.auth.principal import Principal, current_principal
from outreach.errors import CursorExpired, PayloadTooLarge, ValidationProblem
from outreach.extensions import db
from outreach.http_json import Blueprint, unicode_checked_per_record
from outreach.sync import digest as drift
from outreach.sync import order
from outreach.sync.cursor import decode_cursor, encode_cursor
from outreach.sync.pull import Pull, pull
from outreach.sync.push import push
from outreach.sync.schemas import EnvelopeSchema, SyncRequestSchema, SyncResponseSchema

log = logging.getLogger(__name__)
blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Push and pull envelopes")
ATTEMPTS = 3
GZIP_ABOVE = 1024


@blp.post("/sync")
# An instance, not the class: webargs would build a schema per request.
@blp.arguments(SyncRequestSchema())
@blp.response(200, SyncResponseSchema)
@unicode_checked_per_record
def sync(body: dict[str, Any]) -> Response:
    principal = current_principal()
    config = current_app.config["OUTREACH"]
    envelopes = body["push"]
    if len(envelopes) > config.max_push:
        raise PayloadTooLarge(f"Push at most {config.max_push} envelopes at a time.")
    limit = body["limit"] or min(500, config.max_pull)
    if limit > config.max_pull:
        raise ValidationProblem(errors={"limit": [f"At most {config.max_pull}."]})
    since = decode_cursor(body["since"])
    generation = order.generation()
    if since.position and (since.generation != generation
                           or not order.position_holds(since.position, since.anchor)):
        # The cursor describes another database (a restored backup): checked before the
        # push, so the device re-syncs from scratch and pushes again what this copy lacks.
        raise CursorExpired()
    results, pulled, digests = _sync_committed(principal, envelopes, since.position, limit)
    anchor = since.anchor if pulled.position_id is None else order.anchor(pulled.position_id)
    cursor = encode_cursor(generation, pulled.position, anchor)
    response = _respond(results, pulled, cursor, digests)
    metrics.record_sync(results, len(pulled.items), response.content_length or 0)
    return response


def _sync_committed(principal: Principal, envelopes: list[Any], since: int, limit: int
                    ) -> tuple[list[dict[str, Any]], Pull, dict[str, dict[str, object]]]:
    """Push, pull and the pull's audit row in one transaction, committed before anything is
    acknowledged (PROTOCOL §3): one commit, so one fsync, for a sync that does both.

    A concurrent request can insert the same id (a retry racing its original) or hold the
    database past the busy timeout; the unique constraint or the driver says so and the
    whole sync is done again, when it sees the other request's rows as duplicates."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            pushed = push(principal, envelopes)
            results = pushed.results
            pulled = pull(principal, since, limit, exclude=[
                r["id"] for r in results if r["status"] in ("accepted", "conflict")])
            digests = drift.digests(principal.teams, pushed.digests)
            if pulled.items:
                # Who took how many records onto which device: the trail of where ciphertext
                # went.
                audit.write("pull", actor_id=principal.user_id, device_id=principal.device_id,
                            organisation_id=principal.organisation_id,
                            records=len(pulled.items))
            db.session.commit()
            return results, pulled, digests
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            log.warning("sync retry %d after %s", attempt, type(exc).__name__)
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _respond(results: list[dict[str, Any]], pulled: Pull, cursor: str,
             digests: dict[str, dict[str, object]]) -> Response:
    head = json.dumps({"results": results}, separators=(",", ":"))[:-1]
    tail = json.dumps(
        {
            "erased": pulled.erased,
            "cursor": cursor,
            "more": pulled.more,
            "remaining": pulled.remaining,
            "remaining_exact": pulled.remaining_exact,
            "digests": digests,
            "server_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        separators=(",", ":"),
    )[1:]
    data = b"".join(
        [head.encode(), b',"pull":[', b",".join(pulled.items), b"],", tail.encode()]
    )
    response = Response(data, mimetype="application/json")
    response.vary.add("Accept-Encoding")
    # werkzeug types Accept as a container of (value, quality) pairs; `in` takes a bare value.
    if len(data) > GZIP_ABOVE and "gzip" in request.accept_encodings:  # type: ignore[comparison-overlap]
        response.set_data(gzip.compress(data, compresslevel=5, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    return response


def register_schemas(api: Any) -> None:
    api.spec.components.schema("Envelope", schema=EnvelopeSchema)
