"""The one door to ``cryptography``: the envelope format of PROTOCOL.md in Python.

The server uses it to verify signatures and structure; the CLI, the demo and the tests use it to
seal and open. Nothing else in the code base imports ``cryptography`` (ruff TID251 enforces it).
"""

from outreach.crypto.chain import (
    grant_statement,
    sign_statement,
    statement_hash,
    team_key_statement,
    verify_statement,
)
from outreach.crypto.encoding import b64u_decode, b64u_encode, b64u_length, canonical_json
from outreach.crypto.envelope import (
    AAD_FIELDS,
    AAD_FIELDS_V1,
    FORMAT,
    SERVER_FIELDS,
    OpenedRecord,
    coarse_time,
    envelope_format,
    envelope_signing_bytes,
    open_envelope,
    open_record,
    record_aad,
    seal_envelope,
    verify_envelope_signature,
)
from outreach.crypto.errors import (
    CryptoError,
    DecryptionError,
    InvalidSignatureError,
    MalformedEncodingError,
    MalformedKeyError,
)
from outreach.crypto.hpke import GRANT_INFO, grant_team_key, hpke_open, hpke_seal, open_grant
from outreach.crypto.ids import new_uuid7
from outreach.crypto.keys import (
    PrivateKey,
    PublicKey,
    generate_private_key,
    load_private_key_pem,
    load_private_key_pkcs8,
    load_public_key,
    private_key_to_pem,
    private_key_to_pkcs8,
    public_key_to_b64u,
)
from outreach.crypto.passphrase import (
    DEFAULT_KDF_ITERATIONS,
    LoginKeys,
    derive_login_keys,
    unwrap_private_key,
    wrap_private_key,
)
from outreach.crypto.recovery import (
    random_words,
    recovery_key_from_words,
    recovery_key_to_words,
)
from outreach.crypto.signatures import sign, verify

__all__ = [
    "AAD_FIELDS",
    "AAD_FIELDS_V1",
    "DEFAULT_KDF_ITERATIONS",
    "FORMAT",
    "GRANT_INFO",
    "SERVER_FIELDS",
    "CryptoError",
    "DecryptionError",
    "InvalidSignatureError",
    "LoginKeys",
    "MalformedEncodingError",
    "MalformedKeyError",
    "OpenedRecord",
    "PrivateKey",
    "PublicKey",
    "b64u_decode",
    "b64u_encode",
    "b64u_length",
    "canonical_json",
    "coarse_time",
    "derive_login_keys",
    "envelope_format",
    "envelope_signing_bytes",
    "generate_private_key",
    "grant_statement",
    "grant_team_key",
    "hpke_open",
    "hpke_seal",
    "load_private_key_pem",
    "load_private_key_pkcs8",
    "load_public_key",
    "new_uuid7",
    "open_envelope",
    "open_grant",
    "open_record",
    "private_key_to_pem",
    "private_key_to_pkcs8",
    "public_key_to_b64u",
    "random_words",
    "record_aad",
    "recovery_key_from_words",
    "recovery_key_to_words",
    "seal_envelope",
    "sign",
    "sign_statement",
    "statement_hash",
    "team_key_statement",
    "unwrap_private_key",
    "verify",
    "verify_envelope_signature",
    "verify_statement",
    "wrap_private_key",
]
