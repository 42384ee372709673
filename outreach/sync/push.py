"""Push (PROTOCOL §3). Plain functions over the session; the caller commits.

An envelope is first judged alone (format, shape, size, team), then by the device that signed
it (signers.py) and its signature; the batch is then decided in memory against what the
database holds (decide.py) and written in one transaction. Nothing in here can read content:
it checks shape, team, device, keys, signature and ``meta``, and keeps the revision DAG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, delete

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth.principal import Principal
from outreach.bulk_insert import BulkInsert
from outreach.errors import (
    BadSignature,
    EnvelopeFormatRetired,
    EnvelopeInvalid,
    EnvelopeTooLarge,
    MetaInvalid,
    NotTeamMember,
    UnknownDevice,
)
from outreach.extensions import db
from outreach.forms.validation import validate_meta
from outreach.paper import service as paper
from outreach.sync import digest as drift
from outreach.sync import order
from outreach.sync.candidate import Candidate, Result, Signed, Verified, rejected
from outreach.sync.checks import canonical_envelope, check_structure, is_format_1
from outreach.sync.decide import Accepted, decide
from outreach.sync.heads import store_heads
from outreach.sync.models import Envelope
from outreach.sync.signers import check_signer, load_signers

_INSERT_ENVELOPES = BulkInsert(cast(Table, Envelope.__table__))


@dataclass(frozen=True)
class Pushed:
    results: list[Result]  # one per envelope, in the batch's order
    # (count, xor) of the drift digest after the push, for the caller's teams, when the push
    # stored something (read and written under the writers' turn; ``drift.digests`` uses it).
    digests: dict[int, tuple[int, bytes]]


def push(principal: Principal, envelopes: Sequence[Any]) -> Pushed:
    """Decide every envelope, then store the accepted ones."""
    results: list[Result | None] = [None] * len(envelopes)
    shaped = _judge_alone(principal, envelopes, results)
    verified = _verified(_judge_signers(principal, shaped, results), results)
    digests: dict[int, tuple[int, bytes]] = {}
    if verified:
        now = datetime.now(UTC)
        # Before the batch is read: what decides it must not change until it is written.
        order.serialise_writers()
        digests = _store(principal, decide(principal, verified, results, now), results, now)
    relayed = [(c.env, results[c.index]) for c in shaped
               if c.env["device_id"] != principal.device_id]
    if relayed:
        _audit_relay(principal, relayed)
    return Pushed([r for r in results if r is not None], digests)


def _judge_alone(principal: Principal, envelopes: Sequence[Any],
                 results: list[Result | None]) -> list[Candidate]:
    """What each envelope shows by itself: its format, shape, size and team."""
    max_bytes = current_app.config["OUTREACH"].max_envelope_bytes
    shaped: list[Candidate] = []
    for index, env in enumerate(envelopes):
        if is_format_1(env):
            # A clear case id must not be stored again; the phone keeps the record and seals
            # it in format 2 once its app is updated (docs/protocol.md).
            results[index] = rejected(env.get("id"), EnvelopeFormatRetired())
            continue
        errors = check_structure(env)
        if errors:
            results[index] = rejected(env.get("id") if isinstance(env, dict) else None,
                                      EnvelopeInvalid(errors=errors))
            continue
        try:
            body = canonical_envelope(env)
        except crypto.MalformedEncodingError:
            # A lone surrogate from a \\ud800 escape: valid JSON, not text (issue 9).
            results[index] = rejected(env["id"], EnvelopeInvalid(
                errors={"_": ["Text must be valid Unicode."]}))
            continue
        if len(body) > max_bytes:
            results[index] = rejected(env["id"], EnvelopeTooLarge())
            continue
        if env["team_id"] not in principal.teams:
            results[index] = rejected(env["id"], NotTeamMember())
            continue
        shaped.append(Candidate(index, env, body))
    return shaped


def _judge_signers(principal: Principal, shaped: list[Candidate],
                   results: list[Result | None]) -> list[Signed]:
    """The device each envelope names: known, allowed to write it; then its meta."""
    # Usually one device, the caller's own; a relayed file adds the devices it carries.
    signers = load_signers(principal, {c.env["device_id"] for c in shaped})
    signed: list[Signed] = []
    for candidate in shaped:
        env = candidate.env
        signer = signers.get(env["device_id"])
        if signer is None:
            results[candidate.index] = rejected(candidate.id, UnknownDevice())
            continue
        problem = check_signer(principal, env, signer)
        if problem is None:
            meta_errors = validate_meta(env["schema"], env["type"], env["meta"])
            problem = MetaInvalid(errors=meta_errors) if meta_errors else None
        if problem is not None:
            results[candidate.index] = rejected(candidate.id, problem)
            continue
        signed.append(candidate.signed_by(signer))
    return signed


def _verified(signed: list[Signed], results: list[Result | None]) -> list[Verified]:
    """The candidates whose signature is their device's, over JCS of the envelope less "sig"."""
    verified: list[Verified] = []
    for candidate in signed:
        try:
            crypto.verify(signing_bytes(candidate.body, candidate.env["sig"]),
                          crypto.b64u_decode(candidate.env["sig"]), candidate.signer.public_key)
        except crypto.CryptoError:
            results[candidate.index] = rejected(candidate.id, BadSignature())
            continue
        verified.append(candidate.verified())
    return verified


def signing_bytes(body: bytes, sig: str) -> bytes:
    """JCS of the envelope without "sig", cut out of JCS of the whole envelope.

    Same bytes as ``crypto.envelope_signing_bytes`` for a structurally checked envelope, at a
    fraction of the cost: "sig" is a top-level key that is never first (so a comma precedes
    it), its value is base64url (never escaped), and inside JSON strings quotes are always
    escaped, so the member text occurs exactly once. ``tests/sync`` checks the equivalence."""
    return body.replace(b',"sig":"' + sig.encode("ascii") + b'"', b"", 1)


def _store(principal: Principal, accepted: Accepted, results: list[Result | None],
           now: datetime) -> dict[int, tuple[int, bytes]]:
    rows = accepted.rows
    if not rows:
        return {}
    if accepted.resealed:
        # The format 1 rows go (secure_delete zeroes them on SQLite) and their format 2
        # versions come back under the same ids with new positions, so every phone pulls them.
        db.session.execute(delete(Envelope).where(Envelope.id.in_(accepted.resealed)))
        audit.record("envelopes_resealed", actor_id=principal.user_id,
                     device_id=principal.device_id, organisation_id=principal.organisation_id,
                     count=len(accepted.resealed))
    _INSERT_ENVELOPES.execute(db.session.connection(), rows)
    added: dict[int, list[str]] = {}
    for row in rows:
        # A re-sealed revision keeps its id: the team's digest already holds it.
        if not row["resealed"]:
            added.setdefault(row["team_id"], []).append(row["id"])
    digests = drift.apply(added, 1, also=principal.teams.values())
    store_heads(accepted.heads, accepted.touched, accepted.replaced_heads)
    for index, row in zip(accepted.indexes, rows, strict=True):
        record_heads = accepted.heads[row["record_id"]]
        if len(record_heads) > 1:
            results[index] = {"id": row["id"], "status": "conflict",
                              "heads": sorted(record_heads)}
    paper.mark_entered(((row["team_id"], row["paper_serial"], row["id"])
                        for row in rows if row["paper_serial"]), now)
    db.session.flush()
    return digests


def _audit_relay(principal: Principal, relayed: list[tuple[dict[str, Any], Result | None]]
                 ) -> None:
    """Who carried whose records: counts by outcome and the devices that signed the stored
    ones, never content."""
    outcomes: dict[str, int] = {}
    for _, result in relayed:
        status = result["status"] if result is not None else "rejected"
        outcomes[status] = outcomes.get(status, 0) + 1
    details: dict[str, Any] = {
        **outcomes,
        "devices": sorted({env["device_id"] for env, result in relayed
                           if result is not None and result["status"] != "rejected"}),
    }
    audit.write("relay", actor_id=principal.user_id, device_id=principal.device_id,
                organisation_id=principal.organisation_id, **details)
