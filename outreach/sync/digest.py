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
from typing import cast

from sqlalchemy import Table, bindparam, select

from outreach.crypto import b64u_encode
from outreach.extensions import db
from outreach.prepared import Query, one_of
from outreach.sync.models import TeamDigest

EMPTY = bytes(32)
# Statements compiled once, run on the driver's cursor: every sync reads these rows and every
# push writes one; ORM objects here cost more than the statements themselves
# (outreach/prepared.py, docs/performance.md).
_TABLE = cast(Table, TeamDigest.__table__)
_READ = Query(select(_TABLE.c.team_id, _TABLE.c.count, _TABLE.c.xor).where(
    one_of(_TABLE.c.team_id, "team_ids")))
_UPDATE = Query(_TABLE.update().where(_TABLE.c.team_id == bindparam("pk"))
                .values(count=bindparam("new_count"), xor=bindparam("new_xor")))


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


def apply(team_ids: Mapping[int, list[str]], sign: int, also: Iterable[int] = ()
          ) -> dict[int, tuple[int, bytes]]:
    """Add (sign 1) or remove (sign -1) envelope ids, per team. The caller holds the writers'
    lock (``order.serialise_writers``). Returns (count, xor) after the change of every team it
    read: the changed ones and ``also`` (a push reads its caller's other teams in the same
    statement, so its answer's ``digests`` needs no second read)."""
    changes = {team_pk: fold(ids) for team_pk, ids in team_ids.items() if ids}
    if not changes:
        return {}
    connection = db.session.connection()
    wanted = sorted(set(changes) | set(also))
    stored = {team_pk: (count or 0, xor or EMPTY) for team_pk, count, xor
              in _READ.rows(connection, {"team_ids": wanted})}
    after = {team_pk: stored.get(team_pk, (0, EMPTY)) for team_pk in wanted}
    for team_pk, (count, folded) in changes.items():
        row = stored.get(team_pk)
        new_count = (row[0] if row is not None else 0) + sign * count
        new_xor = _xor(row[1] if row is not None else EMPTY, folded)
        if row is None:
            connection.execute(_TABLE.insert(), {"team_id": team_pk, "count": new_count,
                                                 "xor": new_xor})
        else:
            _UPDATE.execute(connection, {"pk": team_pk, "new_count": new_count,
                                         "new_xor": new_xor})
        after[team_pk] = (new_count, new_xor)
    return after


def digests(teams: Mapping[str, int], known: Mapping[int, tuple[int, bytes]] | None = None
            ) -> dict[str, dict[str, object]]:
    """The answer's ``digests``: {team slug: {"count": n, "xor": b64u}} for the caller's teams.
    ``known``: rows this transaction already read (``apply``); only the others are read."""
    known = known or {}
    missing = [team_pk for team_pk in teams.values() if team_pk not in known]
    stored = dict(known)
    if missing:
        stored.update({team_pk: (count, xor) for team_pk, count, xor
                       in _READ.rows(db.session.connection(), {"team_ids": missing})})
    out: dict[str, dict[str, object]] = {}
    for slug, team_pk in teams.items():
        count, xor = stored.get(team_pk, (0, EMPTY))
        out[slug] = {"count": count or 0, "xor": b64u_encode(xor or EMPTY)}
    return out
