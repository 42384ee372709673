"""Drift digest (PROTOCOL §3 guidance): per team, an order-independent digest of the envelope
ids a member may hold: their count and the XOR of SHA-256 of each id.

Kept incrementally in ``team_digest`` (one row per team) by every insert and erasure, so a sync
reads one row per team and never scans the envelopes. A device computes the same over what it
holds; a difference after a complete pull means one side lost something (cleared storage, a
server restored from a backup), and the device repairs it (static/pwa/src/sync/drift.js).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from outreach.crypto import b64u_encode
from outreach.extensions import db
from outreach.sync.models import TeamDigest

EMPTY = bytes(32)


def fold(ids: Iterable[str]) -> tuple[int, bytes]:
    """(count, XOR of SHA-256) of the ids: XOR is its own inverse, so adding and removing are
    the same operation and the order never matters."""
    count, acc = 0, 0
    for env_id in ids:
        count += 1
        acc ^= int.from_bytes(hashlib.sha256(env_id.encode()).digest(), "big")
    return count, acc.to_bytes(32, "big")


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(32, "big")


def apply(team_ids: Mapping[int, list[str]], sign: int) -> None:
    """Add (sign 1) or remove (sign -1) envelope ids, per team. The caller holds the writers'
    lock (``service._serialise_writers``) on PostgreSQL; SQLite has one writer."""
    for team_pk, ids in team_ids.items():
        if not ids:
            continue
        count, folded = fold(ids)
        row = db.session.get(TeamDigest, team_pk)
        if row is None:
            row = TeamDigest(team_id=team_pk, count=0, xor=EMPTY)
            db.session.add(row)
        row.count = (row.count or 0) + sign * count
        row.xor = _xor(row.xor or EMPTY, folded)
    db.session.flush()


def digests(teams: Mapping[str, int]) -> dict[str, dict[str, object]]:
    """The answer's ``digests``: {team slug: {"count": n, "xor": b64u}} for the caller's teams."""
    rows = {r.team_id: r for r in db.session.execute(
        db.select(TeamDigest).where(TeamDigest.team_id.in_(list(teams.values())))).scalars()}
    out: dict[str, dict[str, object]] = {}
    for slug, team_pk in teams.items():
        row = rows.get(team_pk)
        out[slug] = {"count": row.count if row else 0,
                     "xor": b64u_encode(row.xor if row else EMPTY)}
    return out
