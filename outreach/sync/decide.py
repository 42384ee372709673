"""A verified batch decided against what the database holds (PROTOCOL §3): duplicates, reused
ids, erased records, a record's team and type, key versions, areas and paper serials. Nothing
here can read content; nothing is written but the rows handed back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from outreach.auth.principal import Principal
from outreach.errors import (
    ForeignTeamKey,
    IdReused,
    MetaInvalid,
    PaperSerialOtherTeam,
    PaperSerialUsed,
    RecordErased,
    RecordMoved,
    RecordProblem,
    ResealForbidden,
    UnknownKey,
    UnknownRecoveryKeyVersion,
    UnknownTeamKeyVersion,
)
from outreach.sync.batch import Batch, Stored, load_batch
from outreach.sync.candidate import Result, Signed, Verified, rejected
from outreach.sync.checks import RECOVERY_KID, TEAM_KID
from outreach.sync.heads import heads_of


@dataclass
class Accepted:
    """What the batch writes: a row per accepted envelope and where its result is."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    touched: dict[str, int] = field(default_factory=dict)  # record id → its team: heads to redo
    resealed: list[str] = field(default_factory=list)  # format 1 rows their row replaces
    # The heads of every touched record after the batch, and which of those records had heads
    # stored before it (to be replaced).
    heads: dict[str, set[str]] = field(default_factory=dict)
    replaced_heads: set[str] = field(default_factory=set)


def decide(principal: Principal, signed: Sequence[Verified], results: list[Result | None],
           now: datetime) -> Accepted:
    """Set the result of each candidate; the accepted ones' rows are returned to be stored.

    The caller holds the writers' lock: what is read here stays true until the rows are
    written, so the heads computed from it are the heads after the batch."""
    batch = load_batch(principal, [c.env for c in signed])
    accepted = Accepted()
    seen: dict[str, bytes] = {}
    for candidate in signed:
        env, env_id, record_id = candidate.env, candidate.id, candidate.env["record_id"]
        digest = candidate.content_hash
        team_pk = principal.teams[env["team_id"]]
        known = batch.existing.get(env_id)
        earlier = seen.get(env_id)
        # Another team's format 1 id answers like any other id in use (no existence oracle).
        upgrade = (known is not None and earlier is None and known.format == 1
                   and known.team_id == team_pk)
        problem: RecordProblem | None = None
        if known is not None and upgrade:
            problem = _check_reseal(principal, candidate, known)
        elif known is not None or earlier is not None:
            same = (known.content_hash if known else earlier) == digest
            # Two phones re-sealed the same format 1 revision: the first one's stands.
            again = known is not None and known.resealed and digest != known.content_hash
            results[candidate.index] = (
                {"id": env_id, "status": "duplicate"} if same or again
                else rejected(env_id, IdReused())
            )
            continue
        serial = env["meta"].get("paper_serial")
        problem = problem or _check_record(env, team_pk, batch) or (
            _check_serial(serial, record_id, team_pk, batch)
            if serial is not None and not upgrade else None)
        if problem is not None:
            results[candidate.index] = rejected(env_id, problem)
            continue
        stored_serial = known.paper_serial if upgrade and known else None
        if serial is not None and not upgrade and (team_pk, serial) not in batch.serials:
            # Unique per team: the serial is stored on its record's first revision.
            stored_serial = serial
            batch.serials[(team_pk, serial)] = record_id
        seen[env_id] = digest
        batch.bindings.setdefault(record_id, (team_pk, env["type"]))
        accepted.touched[record_id] = team_pk
        if upgrade:
            accepted.resealed.append(env_id)
        accepted.rows.append(_row(candidate, team_pk, now, stored_serial,
                                  known if upgrade else None))
        accepted.indexes.append(candidate.index)
        results[candidate.index] = {"id": env_id, "status": "accepted"}
    accepted.replaced_heads = {r for r in accepted.touched if r in batch.revisions}
    for row in accepted.rows:
        batch.revisions.setdefault(row["record_id"], {})[row["id"]] = row["parents"]
    accepted.heads = {r: heads_of(batch.revisions[r]) for r in accepted.touched}
    return accepted


def _row(candidate: Verified, team_pk: int, now: datetime,
         paper_serial: str | None, replaced: Stored | None) -> dict[str, Any]:
    env = candidate.env
    return {
        "id": env["id"], "record_id": env["record_id"], "case_id": None, "format": 2,
        "resealed": replaced is not None,
        "team_id": team_pk, "type": env["type"], "schema": env["schema"],
        "parents": candidate.parents_json,
        "meta": candidate.meta_json,
        "paper_serial": paper_serial,
        # The author is whoever signed, also when another device carried the file; a
        # re-sealed revision keeps the author the server verified the first time.
        "body": candidate.body, "content_hash": candidate.content_hash,
        "author_id": replaced.author_id if replaced else candidate.signer.user_id,
        "device_id": candidate.signer.device_id, "received_at": now,
    }


def _check_record(env: dict[str, Any], team_pk: int, batch: Batch) -> RecordProblem | None:
    """The record itself: not erased, kept in its team and type, sealed to known keys, in an
    area of the team."""
    erased_by = batch.erased.get(env["record_id"])
    if erased_by is not None:
        # Another team's erased record answers like its live records: "erased" would tell
        # this team that a household of theirs was erased (issue 9).
        return RecordErased() if erased_by == team_pk else RecordMoved()
    # Format 2 hides the case, so only the team and type are held; the AAD binds the rest.
    bound = batch.bindings.get(env["record_id"])
    if bound is not None and bound != (team_pk, env["type"]):
        return RecordMoved()
    problem = _check_keys(env, team_pk, batch)
    if problem is not None:
        return problem
    area = env["meta"].get("area")
    if area is not None and (team_pk, area) not in batch.areas:
        return MetaInvalid(errors={"meta.area": ["Not an area of this team."]})
    return None


def _check_serial(serial: str, record_id: str, team_pk: int, batch: Batch
                  ) -> RecordProblem | None:
    if (team_pk, serial) in batch.foreign_serials:
        # Printed for another team: entering it here would take it off that team's list of
        # forms never entered and refuse the real form later (issue 9).
        return PaperSerialOtherTeam()
    owner = batch.serials.get((team_pk, serial))
    if owner is not None and owner != record_id:
        return PaperSerialUsed()
    return None


def _check_reseal(principal: Principal, candidate: Signed, known: Stored) -> RecordProblem | None:
    """A format 2 envelope under the id of a stored format 1 revision replaces it, when it is
    the same revision (record, parents) and comes from the device that wrote it or from a
    supervisor of the team: nobody else may rewrite a revision's history."""
    env, signer = candidate.env, candidate.signer
    if env["record_id"] != known.record_id or json.loads(known.parents) != env["parents"]:
        return IdReused()
    if signer.device_id != known.device_id and not (
            signer.role == "supervisor" and principal.teams[env["team_id"]] in signer.teams):
        return ResealForbidden()
    return None


def _check_keys(env: dict[str, Any], team_pk: int, batch: Batch) -> RecordProblem | None:
    """Every envelope carries a team key of its own team and the recovery key (PROTOCOL §2).

    Any existing version is accepted: a phone offline during a rotation still writes with the
    version it holds, and its records stay readable by everyone who holds that version."""
    team_ok = recovery_ok = False
    for entry in env["keys"]:
        if match := TEAM_KID.fullmatch(entry["kid"]):
            if match.group(1) != env["team_id"]:
                return ForeignTeamKey()
            if (team_pk, int(match.group(2))) not in batch.key_versions:
                return UnknownTeamKeyVersion()
            team_ok = True
        elif match := RECOVERY_KID.fullmatch(entry["kid"]):
            if int(match.group(1)) not in batch.recovery_versions:
                return UnknownRecoveryKeyVersion()
            recovery_ok = True
    if not (team_ok and recovery_ok):
        return UnknownKey()
    return None
