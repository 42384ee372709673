"""One pushed envelope on its way through the checks of a push, and the per-record result of
one refused (PROTOCOL §3: one bad envelope never sinks the batch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outreach.errors import RecordProblem
from outreach.sync.signers import Signer

Result = dict[str, Any]


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


def rejected(env_id: Any, problem: RecordProblem) -> Result:
    # An id is echoed only when it could be one: a refused envelope's id may be anything.
    return {"id": env_id if isinstance(env_id, str) and len(env_id) <= 64 else None,
            "status": "rejected", "problem": problem.to_dict()}
