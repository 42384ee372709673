"""Login without revealing the passphrase (PROTOCOL §1): PBKDF2, then HKDF key separation."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from outreach.crypto.errors import DecryptionError
from outreach.crypto.keys import PrivateKey, load_private_key_pkcs8, private_key_to_pkcs8

DEFAULT_KDF_ITERATIONS = 600_000
AUTH_INFO = b"outreach/v1 auth"
WRAP_INFO = b"outreach/v1 wrap"


@dataclass(frozen=True)
class LoginKeys:
    auth_key: bytes
    wrap_key: bytes

    def __repr__(self) -> str:  # keys never end up in a log line or a traceback
        return "LoginKeys(<redacted>)"


def _hkdf(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def derive_login_keys(passphrase: str, salt: bytes, iterations: int) -> LoginKeys:
    normalised = unicodedata.normalize("NFKC", passphrase).encode("utf-8")
    master = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations
    ).derive(normalised)
    return LoginKeys(auth_key=_hkdf(master, AUTH_INFO), wrap_key=_hkdf(master, WRAP_INFO))


def wrap_private_key(wrap_key: bytes, private_key: PrivateKey) -> tuple[bytes, bytes]:
    """AES-256-GCM(wrap_key, iv, PKCS#8), no AAD, as PROTOCOL §1 specifies. Returns (iv, ct)."""
    iv = os.urandom(12)
    return iv, AESGCM(wrap_key).encrypt(iv, private_key_to_pkcs8(private_key), None)


def unwrap_private_key(wrap_key: bytes, iv: bytes, wrapped: bytes) -> PrivateKey:
    try:
        der = AESGCM(wrap_key).decrypt(iv, wrapped, None)
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("cannot unwrap the private key") from exc
    return load_private_key_pkcs8(der)
