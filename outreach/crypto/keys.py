"""P-256 keys in the encodings of the wire: SEC1 uncompressed public keys, PKCS#8 private keys."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from outreach.crypto.encoding import b64u_decode, b64u_encode
from outreach.crypto.errors import MalformedEncodingError, MalformedKeyError

PrivateKey = ec.EllipticCurvePrivateKey
PublicKey = ec.EllipticCurvePublicKey

_CURVE = ec.SECP256R1()


def generate_private_key() -> PrivateKey:
    return ec.generate_private_key(_CURVE)


def public_key_bytes(public_key: PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def public_key_to_b64u(public_key: PublicKey) -> str:
    return b64u_encode(public_key_bytes(public_key))


@lru_cache(maxsize=4096)
def load_public_key(text: str) -> PublicKey:
    """Parse and validate (on the curve, uncompressed, 65 bytes); cached, since the server
    verifies thousands of signatures a second with the same few device keys."""
    try:
        raw = b64u_decode(text)
    except MalformedEncodingError as exc:
        raise MalformedKeyError("public key is not base64url") from exc
    if len(raw) != 65 or raw[0] != 4:
        raise MalformedKeyError("public key must be an uncompressed P-256 point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, raw)
    except ValueError as exc:
        raise MalformedKeyError("public key is not on P-256") from exc


def _private_bytes(private_key: PrivateKey, encoding: serialization.Encoding) -> bytes:
    return private_key.private_bytes(
        encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_private(data: bytes, loader: Any, what: str) -> PrivateKey:
    try:
        key = loader(data, password=None)
    except (ValueError, TypeError) as exc:
        raise MalformedKeyError(f"not a {what} private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != _CURVE.name:
        raise MalformedKeyError("not a P-256 private key")
    return key


def private_key_to_pkcs8(private_key: PrivateKey) -> bytes:
    return _private_bytes(private_key, serialization.Encoding.DER)


def load_private_key_pkcs8(der: bytes) -> PrivateKey:
    return _load_private(der, serialization.load_der_private_key, "PKCS#8")


def private_key_to_pem(private_key: PrivateKey) -> bytes:
    return _private_bytes(private_key, serialization.Encoding.PEM)


def load_private_key_pem(pem: bytes) -> PrivateKey:
    return _load_private(pem, serialization.load_pem_private_key, "PEM")


def private_scalar(private_key: PrivateKey) -> bytes:
    return private_key.private_numbers().private_value.to_bytes(32, "big")


def private_key_from_scalar(scalar: bytes) -> PrivateKey:
    try:
        return ec.derive_private_key(int.from_bytes(scalar, "big"), _CURVE)
    except ValueError as exc:
        raise MalformedKeyError("not a valid P-256 scalar") from exc
