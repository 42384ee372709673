"""Push and pull (PROTOCOL §3). Plain functions over the session; the caller commits.

A push is decided in memory for the whole batch with a handful of bulk queries, then written in
one transaction. Nothing in here can read content: it checks shape, team, device, keys,
signature and ``meta``, and keeps the revision DAG.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Table, delete, func, text

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth.principal import Principal
from outreach.extensions import db
from outreach.forms.validation import validate_meta
from outreach.keys.models import RecoveryKey, TeamKey
from outreach.paper import service as paper
from outreach.sync import digest as drift
from outreach.sync import order
from outreach.sync.checks import RECOVERY_KID, TEAM_KID, check_structure, is_format_1
from outreach.sync.models import Envelope, ErasedRecord, RecordHead
from outreach.sync.signers import Signer, check_signer, load_signers
from outreach.teams.models import Area

Result = dict[str, Any]
# The status inside a per-record problem; the response itself is 200 (PROTOCOL §3).
MOVED = ("validation", "A revision cannot move a record to another team or type.")
STATUS = {"id-reuse": 409, "forbidden-record-type": 403, "signer-revoked": 403,
          "paper-serial-other-team": 403}


def rejected(env_id: Any, type_: str, title: str, errors: dict[str, list[str]] | None = None,
             *, detail: str | None = None) -> Result:
    problem: dict[str, Any] = {"type": f"/problems/{type_}", "title": title,
                               "status": STATUS.get(type_, 422), "detail": detail or title}
    if errors:
        problem["errors"] = errors
    return {"id": env_id if isinstance(env_id, str) and len(env_id) <= 64 else None,
            "status": "rejected", "problem": problem}


@dataclass(frozen=True)
class _Stored:
    """A revision already on the server under a pushed id."""

    content_hash: bytes
    record_id: str
    team_id: int
    format: int
    resealed: bool
    parents: str
    device_id: str
    author_id: str
    paper_serial: str | None


@dataclass
class _Batch:
    """What the database knows about the records a batch touches, fetched in bulk."""

    existing: dict[str, _Stored] = field(default_factory=dict)
    erased: dict[str, int] = field(default_factory=dict)  # record id → its team
    bindings: dict[str, tuple[int, str]] = field(default_factory=dict)
    key_versions: set[tuple[int, int]] = field(default_factory=set)
    recovery_versions: set[int] = field(default_factory=set)
    areas: set[tuple[int, str]] = field(default_factory=set)
    serials: dict[tuple[int, str], str] = field(default_factory=dict)
    foreign_serials: set[tuple[int, str]] = field(default_factory=set)


def _load_batch(principal: Principal, envs: Sequence[dict[str, Any]]) -> _Batch:
    batch = _Batch()
    ids = {e["id"] for e in envs}
    record_ids = {e["record_id"] for e in envs}
    team_pks = {principal.teams[e["team_id"]] for e in envs}
    serials = {e["meta"]["paper_serial"] for e in envs if "paper_serial" in e["meta"]}
    if ids:
        rows = db.session.execute(
            db.select(Envelope.id, Envelope.content_hash, Envelope.record_id, Envelope.team_id,
                      Envelope.format,
                      Envelope.resealed, Envelope.parents, Envelope.device_id,
                      Envelope.author_id, Envelope.paper_serial)
            .where(Envelope.id.in_(ids))
        )
        batch.existing = {r.id: _Stored(*r[1:]) for r in rows}
    if record_ids:
        batch.erased = {r.record_id: r.team_id for r in db.session.execute(
            db.select(ErasedRecord.record_id, ErasedRecord.team_id)
            .where(ErasedRecord.record_id.in_(record_ids)))}
        rows = db.session.execute(
            db.select(Envelope.record_id, Envelope.team_id, Envelope.type)
            .where(Envelope.record_id.in_(record_ids)).distinct()
        )
        batch.bindings = {r.record_id: (r.team_id, r.type) for r in rows}
    if team_pks:
        batch.key_versions = {(t, v) for t, v in db.session.execute(
            db.select(TeamKey.team_id, TeamKey.version).where(TeamKey.team_id.in_(team_pks))
        )}
        batch.areas = {(t, c) for t, c in db.session.execute(
            db.select(Area.team_id, Area.code).where(Area.team_id.in_(team_pks))
        )}
    batch.recovery_versions = set(db.session.execute(
        db.select(RecoveryKey.version)
        .where(RecoveryKey.organisation_id == principal.organisation_id)
    ).scalars())
    if serials:
        # Serials are the team's: another team's entry of the same text is not this one's.
        rows = db.session.execute(
            db.select(Envelope.team_id, Envelope.paper_serial, Envelope.record_id)
            .where(Envelope.paper_serial.in_(serials), Envelope.team_id.in_(team_pks))
        )
        batch.serials = {(r.team_id, r.paper_serial): r.record_id for r in rows}
        batch.foreign_serials = {
            (team_pk, serial) for team_pk in team_pks
            for serial in paper.issued_elsewhere(serials, team_pk)}
    return batch


def push(principal: Principal, envelopes: Sequence[Any]) -> list[Result]:
    """Decide every envelope, then store the accepted ones; returns one result per envelope."""
    config = current_app.config["OUTREACH"]
    results: list[Result | None] = [None] * len(envelopes)
    shaped: list[tuple[int, dict[str, Any], bytes]] = []
    for index, env in enumerate(envelopes):
        if is_format_1(env):
            # A clear case id must not be stored again; the phone keeps the record and seals
            # it in format 2 once its app is updated (docs/protocol.md).
            results[index] = rejected(env.get("id"), "envelope-format",
                                      "Envelope format 1 is no longer accepted.",
                                      detail="Seal the record again in envelope format 2.")
            continue
        errors = check_structure(env)
        if errors:
            results[index] = rejected(env.get("id") if isinstance(env, dict) else None,
                                      "validation", "The envelope is not valid.", errors)
            continue
        try:
            body = crypto.canonical_json(env)
        except crypto.MalformedEncodingError:
            # A lone surrogate from a \\ud800 escape: valid JSON, not text (issue 9).
            results[index] = rejected(env["id"], "validation", "The envelope is not valid.",
                                      {"_": ["Text must be valid Unicode."]})
            continue
        if len(body) > config.max_envelope_bytes:
            results[index] = rejected(env["id"], "too-large", "The envelope is too large.")
            continue
        if env["team_id"] not in principal.teams:
            results[index] = rejected(env["id"], "forbidden-team",
                                      "You are not a member of this team.")
            continue
        shaped.append((index, env, body))

    # Usually one device, the caller's own; a relayed file adds the devices it carries.
    signers = load_signers(principal, {env["device_id"] for _, env, _ in shaped})
    candidates: list[tuple[int, dict[str, Any], bytes, Signer]] = []
    for index, env, body in shaped:
        signer = signers.get(env["device_id"])
        if signer is None:
            results[index] = rejected(env["id"], "unknown-device",
                                      "The envelope names a device this server does not know.")
            continue
        problem = check_signer(principal, env, signer)
        if problem is not None:
            type_, title, detail = problem
            results[index] = rejected(env["id"], type_, title, detail=detail)
            continue
        meta_errors = validate_meta(env["schema"], env["type"], env["meta"])
        if meta_errors:
            results[index] = rejected(env["id"], "validation", "The meta is not valid.",
                                      meta_errors)
            continue
        candidates.append((index, env, body, signer))

    verified = []
    for index, env, body, signer in candidates:
        try:
            crypto.verify(_signing_bytes(body, env["sig"]), crypto.b64u_decode(env["sig"]),
                          signer.public_key)
        except crypto.CryptoError:
            results[index] = rejected(env["id"], "bad-signature",
                                      "The signature does not verify.")
            continue
        verified.append((index, env, body, signer))
    if verified:
        _decide_and_store(principal, verified, results)
    relayed = [(env, results[index]) for index, env, _ in shaped
               if env["device_id"] != principal.device_id]
    if relayed:
        _audit_relay(principal, relayed)
    return [r for r in results if r is not None]


def _signing_bytes(body: bytes, sig: str) -> bytes:
    """JCS of the envelope without "sig", cut out of JCS of the whole envelope.

    Same bytes as ``crypto.envelope_signing_bytes`` for a structurally checked envelope, at a
    fraction of the cost: "sig" is a top-level key that is never first (so a comma precedes
    it), its value is base64url (never escaped), and inside JSON strings quotes are always
    escaped, so the member text occurs exactly once. ``tests/sync`` checks the equivalence."""
    return body.replace(b',"sig":"' + sig.encode("ascii") + b'"', b"", 1)


def _decide_and_store(
    principal: Principal,
    verified: list[tuple[int, dict[str, Any], bytes, Signer]],
    results: list[Result | None],
) -> None:
    batch = _load_batch(principal, [env for _, env, _, _ in verified])
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    seen: dict[str, bytes] = {}
    touched: dict[str, int] = {}
    row_index: list[int] = []
    resealed: list[str] = []
    for index, env, body, signer in verified:
        env_id, record_id = env["id"], env["record_id"]
        digest = hashlib.sha256(body).digest()
        team_pk = principal.teams[env["team_id"]]
        known = batch.existing.get(env_id)
        earlier = seen.get(env_id)
        # Another team's format 1 id answers like any other id in use (no existence oracle).
        upgrade = (known is not None and earlier is None and known.format == 1
                   and known.team_id == team_pk)
        if known is not None and upgrade:
            problem = _check_reseal(principal, env, signer, known)
            if problem is not None:
                results[index] = rejected(env_id, *problem)
                continue
        elif known is not None or earlier is not None:
            same = (known.content_hash if known else earlier) == digest
            # Two phones re-sealed the same format 1 revision: the first one's stands.
            again = known is not None and known.resealed and digest != known.content_hash
            results[index] = (
                {"id": env_id, "status": "duplicate"} if same or again
                else rejected(env_id, "id-reuse", "This id was used for other content.")
            )
            continue
        if record_id in batch.erased:
            if batch.erased[record_id] == team_pk:
                results[index] = rejected(env_id, "erased", "This record was erased.")
            else:
                # Another team's erased record answers like its live records: "erased" would
                # tell this team that a household of theirs was erased (issue 9).
                results[index] = rejected(env_id, *MOVED)
            continue
        problem = _check_binding(env, team_pk, batch) or _check_keys(env, team_pk, batch)
        if problem is not None:
            results[index] = rejected(env_id, *problem)
            continue
        area = env["meta"].get("area")
        if area is not None and (team_pk, area) not in batch.areas:
            results[index] = rejected(env_id, "validation", "The meta is not valid.",
                                      {"meta.area": ["Not an area of this team."]})
            continue
        serial = env["meta"].get("paper_serial")
        stored_serial = known.paper_serial if upgrade and known else None
        if serial is not None and not upgrade:
            if (team_pk, serial) in batch.foreign_serials:
                # Printed for another team: entering it here would take it off that team's
                # list of forms never entered and refuse the real form later (issue 9).
                results[index] = rejected(env_id, "paper-serial-other-team",
                                          "This paper form was issued to another team.")
                continue
            owner = batch.serials.get((team_pk, serial))
            if owner is not None and owner != record_id:
                results[index] = rejected(env_id, "paper-serial-used",
                                          "This paper form was already entered.")
                continue
            if owner is None:
                # Unique per team: the serial is stored on its record's first revision.
                stored_serial = serial
                batch.serials[(team_pk, serial)] = record_id
        seen[env_id] = digest
        batch.bindings.setdefault(record_id, (team_pk, env["type"]))
        touched[record_id] = team_pk
        if upgrade:
            resealed.append(env_id)
        rows.append({
            "id": env_id, "record_id": record_id, "case_id": None, "format": 2,
            "resealed": upgrade,
            "team_id": team_pk, "type": env["type"], "schema": env["schema"],
            "parents": json.dumps(env["parents"]),
            "meta": json.dumps(env["meta"], sort_keys=True, separators=(",", ":")),
            "paper_serial": stored_serial,
            # The author is whoever signed, also when another device carried the file; a
            # re-sealed revision keeps the author the server verified the first time.
            "body": body, "content_hash": digest,
            "author_id": known.author_id if upgrade and known else signer.user_id,
            "device_id": signer.device_id, "received_at": now,
        })
        results[index] = {"id": env_id, "status": "accepted"}
        row_index.append(index)
    if not rows:
        return
    _serialise_writers()
    if resealed:
        # The format 1 rows go (secure_delete zeroes them on SQLite) and their format 2
        # versions come back under the same ids with new positions, so every phone pulls them.
        db.session.execute(delete(Envelope).where(Envelope.id.in_(resealed)))
        audit.record("envelopes_resealed", actor_id=principal.user_id,
                     device_id=principal.device_id, organisation_id=principal.organisation_id,
                     count=len(resealed))
    db.session.execute(cast(Table, Envelope.__table__).insert(), rows)
    added: dict[int, list[str]] = {}
    for row in rows:
        # A re-sealed revision keeps its id: the team's digest already holds it.
        if not row["resealed"]:
            added.setdefault(row["team_id"], []).append(row["id"])
    drift.apply(added, 1)
    heads = _recompute_heads(touched)
    for index, row in zip(row_index, rows, strict=True):
        record_heads = heads[row["record_id"]]
        if len(record_heads) > 1:
            results[index] = {"id": row["id"], "status": "conflict",
                              "heads": sorted(record_heads)}
    paper.mark_entered(((row["team_id"], row["paper_serial"], row["id"])
                        for row in rows if row["paper_serial"]), now)
    db.session.flush()


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
    audit.record("relay", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, **details)


def _serialise_writers() -> None:
    """Make sequence order equal commit order, so a pull cursor never skips a row.

    On PostgreSQL, two transactions can take seq 10 and 11 and commit 11 first; a device that
    pulled 11 would never see 10. A transaction-scoped advisory lock makes envelope writers
    take turns (SQLite already has a single writer)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7301)"))


def _check_binding(env: dict[str, Any], team_pk: int, batch: _Batch) -> tuple[str, str] | None:
    # Format 2 hides the case, so only the team and type are held; the AAD binds the rest.
    bound = batch.bindings.get(env["record_id"])
    if bound is not None and bound != (team_pk, env["type"]):
        return MOVED
    return None


def _check_reseal(principal: Principal, env: dict[str, Any], signer: Signer,
                  known: _Stored) -> tuple[str, str] | None:
    """A format 2 envelope under the id of a stored format 1 revision replaces it, when it is
    the same revision (record, parents) and comes from the device that wrote it or from a
    supervisor of the team: nobody else may rewrite a revision's history."""
    if env["record_id"] != known.record_id or json.loads(known.parents) != env["parents"]:
        return ("id-reuse", "This id was used for other content.")
    if signer.device_id != known.device_id and not (
            signer.role == "supervisor" and principal.teams[env["team_id"]] in signer.teams):
        return ("forbidden-record-type",
                "Only the device that wrote it or a supervisor may seal a revision again.")
    return None


def _check_keys(env: dict[str, Any], team_pk: int, batch: _Batch) -> tuple[str, str] | None:
    """Every envelope carries a team key of its own team and the recovery key (PROTOCOL §2).

    Any existing version is accepted: a phone offline during a rotation still writes with the
    version it holds, and its records stay readable by everyone who holds that version."""
    team_ok = recovery_ok = False
    for entry in env["keys"]:
        if match := TEAM_KID.fullmatch(entry["kid"]):
            if match.group(1) != env["team_id"]:
                return ("unknown-key", "A key of another team is listed.")
            if (team_pk, int(match.group(2))) not in batch.key_versions:
                return ("unknown-key", "No such team key version.")
            team_ok = True
        elif match := RECOVERY_KID.fullmatch(entry["kid"]):
            if int(match.group(1)) not in batch.recovery_versions:
                return ("unknown-key", "No such recovery key version.")
            recovery_ok = True
    if not (team_ok and recovery_ok):
        return ("unknown-key", "The team key and the recovery key must both be listed.")
    return None


def _recompute_heads(touched: dict[str, int]) -> dict[str, set[str]]:
    """Heads = revisions that no other revision of the record names as a parent."""
    revisions: dict[str, list[tuple[str, list[str]]]] = {r: [] for r in touched}
    for row in db.session.execute(
        db.select(Envelope.record_id, Envelope.id, Envelope.parents)
        .where(Envelope.record_id.in_(touched))
    ):
        revisions[row.record_id].append((row.id, json.loads(row.parents)))
    heads: dict[str, set[str]] = {}
    for record_id, revs in revisions.items():
        superseded = {p for _, parents in revs for p in parents}
        heads[record_id] = {rev_id for rev_id, _ in revs if rev_id not in superseded}
    db.session.execute(delete(RecordHead).where(RecordHead.record_id.in_(touched)))
    db.session.execute(cast(Table, RecordHead.__table__).insert(), [
        {"record_id": record_id, "envelope_id": head, "team_id": touched[record_id]}
        for record_id, record_heads in heads.items() for head in record_heads
    ])
    return heads


@dataclass
class Pull:
    items: list[bytes]
    position: int
    # The id of the envelope at ``position``, for the cursor's anchor; None: unchanged.
    position_id: str | None
    more: bool
    erased: list[str]
    # Envelopes after ``position`` still to pull: the device shows "n of m" (docs/protocol.md).
    remaining: int = 0


def pull(principal: Principal, since: int, limit: int, exclude: Iterable[str] = ()) -> Pull:
    """Envelopes of the caller's teams after ``since``, as stored bytes with server fields.

    Two steps: positions first (narrow rows, so the caller's own pushes can be skipped without
    reading their bodies), then the bodies of the chosen rows."""
    team_pks = list(principal.teams.values())
    if not team_pks:
        return Pull([], since, None, False, [])
    excluded = set(exclude)
    positions = db.session.execute(
        db.select(Envelope.seq, Envelope.id)
        .where(Envelope.team_id.in_(team_pks), Envelope.seq > since)
        .order_by(Envelope.seq)
        .limit(limit + len(excluded) + 1)
    ).all()
    chosen: list[int] = []
    position, position_id, more = since, None, False
    for seq, env_id in positions:
        if len(chosen) == limit:
            more = True
            break
        position, position_id = seq, env_id
        if env_id not in excluded:
            chosen.append(seq)
    items: list[bytes] = []
    if chosen:
        rows = db.session.execute(
            db.select(Envelope.seq, Envelope.body, Envelope.author_id, Envelope.received_at)
            .where(Envelope.seq.in_(chosen))
            .order_by(Envelope.seq)
        )
        items = [with_server_fields(r.body, r.seq, r.received_at, r.author_id) for r in rows]
    erased = list(db.session.execute(
        db.select(ErasedRecord.record_id)
        # ">=": a device whose cursor stands exactly at the erasure point may hold the record.
        .where(ErasedRecord.team_id.in_(team_pks), ErasedRecord.erased_seq >= since)
    ).scalars())
    remaining = 0
    if more:
        # A range count on ix_envelope_team_seq; only asked while there is more to pull.
        remaining = db.session.execute(
            db.select(func.count()).select_from(Envelope)
            .where(Envelope.team_id.in_(team_pks), Envelope.seq > position)
        ).scalar_one()
    return Pull(items, position, position_id, more, erased, remaining)


def with_server_fields(body: bytes, seq: int, received_at: datetime, author_id: str) -> bytes:
    # The stored body is the canonical JSON object as signed; the unsigned server fields are
    # appended without re-parsing it (PROTOCOL §2: they are removed again before verifying).
    stamp = received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    extra = json.dumps({"seq": seq, "received_at": stamp, "author_id": author_id},
                       separators=(",", ":"))
    return body[:-1] + b"," + extra[1:].encode()


def erase_record(record_id: str, *, actor_id: str | None = None) -> int:
    """GDPR art. 17: remove every revision of a record; remember only its id. Returns the
    number of revisions removed."""
    team_id = db.session.execute(
        db.select(Envelope.team_id).where(Envelope.record_id == record_id).limit(1)
    ).scalar_one_or_none()
    if team_id is None:
        return 0
    # The last position handed out, not the highest still stored: after an earlier erasure of
    # the newest envelope, devices may stand beyond the highest stored one.
    position = order.last_issued()
    _serialise_writers()
    ids = list(db.session.execute(
        db.select(Envelope.id).where(Envelope.record_id == record_id)).scalars())
    drift.apply({team_id: ids}, -1)
    removed = cast(CursorResult[Any],
                   db.session.execute(delete(Envelope).where(Envelope.record_id == record_id)))
    db.session.execute(delete(RecordHead).where(RecordHead.record_id == record_id))
    db.session.add(ErasedRecord(record_id=record_id, team_id=team_id, erased_seq=position))
    audit.record("erasure", actor_id=actor_id, team_id=team_id, target_type="record",
                 target_id=record_id,
                 revisions=removed.rowcount)
    db.session.flush()
    return int(removed.rowcount)
