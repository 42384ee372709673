"""One pushed envelope on its way through the checks of a push, and the per-record result of
one refused (PROTOCOL §3: one bad envelope never sinks the batch)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from outreach.errors import RecordProblem
from outreach.sync.signers import Signer

Result = dict[str, Any]
# json.dumps with options builds an encoder per call; one built once encodes ~2x faster.
_META_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """An envelope of the batch that passed every check so far."""

    index: int  # its place in the batch: where its result goes
    env: dict[str, Any]
    body: bytes  # its canonical JSON (JCS): stored as it is, hashed, and cut for the signature

    @property
    def id(self) -> str:
        return str(self.env["id"])

    def signed_by(self, signer: Signer) -> Signed:
        return Signed(self.index, self.env, self.body, signer)


@dataclass(frozen=True, slots=True)
class Signed(Candidate):
    """A candidate whose named device is known: the signer whose key and role judge it."""

    signer: Signer

    def verified(self) -> Verified:
        """What its stored row needs that no stored row decides, worked out before the
        writers' turn so the turn holds only what must be serial (docs/performance.md)."""
        return Verified(self.index, self.env, self.body, self.signer,
                        hashlib.sha256(self.body).digest(), json.dumps(self.env["parents"]),
                        _META_JSON.encode(self.env["meta"]))


@dataclass(frozen=True, slots=True)
class Verified(Signed):
    """A signed candidate whose signature is its device's."""

    content_hash: bytes  # SHA-256 of ``body``: a resend is the same revision when equal
    parents_json: str
    meta_json: str  # ``meta`` with sorted keys, as stored


def rejected(env_id: Any, problem: RecordProblem) -> Result:
    # An id is echoed only when it could be one: a refused envelope's id may be anything.
    return {"id": env_id if isinstance(env_id, str) and len(env_id) <= 64 else None,
            "status": "rejected", "problem": problem.to_dict()}
