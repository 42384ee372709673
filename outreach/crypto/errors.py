"""Exceptions of ``outreach.crypto``. Messages never include key material or plaintext."""


class CryptoError(Exception):
    """Base class: anything that went wrong inside the crypto door."""


class MalformedEncodingError(CryptoError):
    """Not base64url without padding, or not the expected length."""


class MalformedKeyError(CryptoError):
    """Not a valid P-256 key in the expected encoding."""


class InvalidSignatureError(CryptoError):
    """The signature does not verify with the given public key."""


class DecryptionError(CryptoError):
    """AEAD or HPKE opening failed: wrong key, tampered data, or data moved to another record."""
