"""Team key versions that phones can verify (issue 9; docs/threat-model.md, docs/protocol.md).

Each version of a team key is described by a *statement*: the team, the version, its public
key, the recovery key every record is also sealed to, the hash of the previous version's
statement, the supervisors who may sign the next version, and who signed this one. A supervisor
signs it with their user key (ECDSA P-256 over JCS, raw r‖s), so the versions form a chain a
phone checks back to a version it already trusts. The server cannot add a version of its own
making without a listed supervisor's private key, which it never holds.

Grants are signed the same way, over the grant ciphertext and the member it is sealed to.
"""

from __future__ import annotations

import hashlib
from typing import Any

from outreach.crypto.encoding import b64u_decode, b64u_encode, canonical_json
from outreach.crypto.keys import PrivateKey, load_public_key
from outreach.crypto.signatures import sign, verify

TEAM_KEY_STATEMENT = "outreach/v1 team-key"
GRANT_STATEMENT = "outreach/v1 grant"


def team_key_statement(
    *,
    team_id: str,
    version: int,
    public_key: str,
    previous: str | None,
    recovery_kid: str,
    recovery_public_key: str,
    supervisors: list[str],
    signer: str | None,
) -> dict[str, Any]:
    """The signed description of one team key version; ``previous`` is ``statement_hash`` of
    the version before (None for the first), ``signer`` the signing supervisor's user public
    key (None for a version the server made, which phones trust only on first sight)."""
    return {
        "type": TEAM_KEY_STATEMENT,
        "team_id": team_id,
        "version": version,
        "public_key": public_key,
        "previous": previous,
        "recovery": {"kid": recovery_kid, "public_key": recovery_public_key},
        "supervisors": sorted(set(supervisors)),
        "signer": signer,
    }


def grant_statement(
    *, team_id: str, version: int, user_id: str, user_public_key: str, grant: bytes
) -> dict[str, Any]:
    return {
        "type": GRANT_STATEMENT,
        "team_id": team_id,
        "version": version,
        "user_id": user_id,
        "user_public_key": user_public_key,
        "grant": b64u_encode(grant),
    }


def statement_hash(statement: dict[str, Any]) -> str:
    return b64u_encode(hashlib.sha256(canonical_json(statement)).digest())


def sign_statement(statement: dict[str, Any], user_private_key: PrivateKey) -> str:
    return b64u_encode(sign(canonical_json(statement), user_private_key))


def verify_statement(statement: dict[str, Any], signature: str, signer_public_key: str) -> None:
    """Raises ``CryptoError`` unless ``signature`` is the signer's over the statement."""
    verify(canonical_json(statement), b64u_decode(signature), load_public_key(signer_public_key))
