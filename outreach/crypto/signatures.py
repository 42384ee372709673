"""ECDSA P-256 / SHA-256 with raw r‖s signatures (64 bytes, the WebCrypto form)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from outreach.crypto.errors import InvalidSignatureError
from outreach.crypto.keys import PrivateKey, PublicKey

_ALGORITHM = ec.ECDSA(hashes.SHA256())


def sign(data: bytes, private_key: PrivateKey) -> bytes:
    r, s = decode_dss_signature(private_key.sign(data, _ALGORITHM))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(data: bytes, signature: bytes, public_key: PublicKey) -> None:
    if len(signature) != 64:
        raise InvalidSignatureError("signature must be 64 bytes")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), data, _ALGORITHM)
    except (InvalidSignature, ValueError) as exc:
        raise InvalidSignatureError("signature does not verify") from exc
