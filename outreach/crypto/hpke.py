"""HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM."""

from __future__ import annotations

from cryptography.hazmat.primitives import hpke as _hpke

from outreach.crypto.errors import DecryptionError, MalformedKeyError
from outreach.crypto.keys import PrivateKey, PublicKey, load_private_key_pkcs8, private_key_to_pkcs8

SUITE = _hpke.Suite(_hpke.KEM.P256, _hpke.KDF.HKDF_SHA256, _hpke.AEAD.AES_128_GCM)
GRANT_INFO = b"outreach/v1 grant"
DEK_INFO_PREFIX = b"outreach/v1 dek "
# enc (65-byte uncompressed point) + the 16-byte AES-GCM tag.
MIN_SEALED = 65 + 16


def hpke_seal(public_key: PublicKey, plaintext: bytes, info: bytes) -> bytes:
    """Single-shot HPKE; the output is enc ‖ ciphertext (PROTOCOL §1)."""
    return SUITE.encrypt(plaintext, public_key, info=info)


def hpke_open(private_key: PrivateKey, sealed: bytes, info: bytes) -> bytes:
    if len(sealed) < MIN_SEALED:
        raise DecryptionError("sealed data too short")
    try:
        return SUITE.decrypt(sealed, private_key, info=info)
    except Exception as exc:  # the binding raises several types; all mean "does not open"
        raise DecryptionError("HPKE open failed") from exc


def grant_team_key(team_private_key: PrivateKey, member_public_key: PublicKey) -> bytes:
    return hpke_seal(member_public_key, private_key_to_pkcs8(team_private_key), GRANT_INFO)


def open_grant(grant: bytes, member_private_key: PrivateKey) -> PrivateKey:
    der = hpke_open(member_private_key, grant, GRANT_INFO)
    try:
        return load_private_key_pkcs8(der)
    except MalformedKeyError as exc:
        raise DecryptionError("grant does not hold a P-256 key") from exc
