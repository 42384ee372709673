"""The envelope (PROTOCOL §2): a signed, encrypted revision of one record."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from outreach.crypto.encoding import b64u_decode, b64u_encode, canonical_json
from outreach.crypto.errors import (
    CryptoError,
    DecryptionError,
    InvalidSignatureError,
    MalformedEncodingError,
)
from outreach.crypto.hpke import DEK_INFO_PREFIX, hpke_open, hpke_seal
from outreach.crypto.keys import PrivateKey, PublicKey
from outreach.crypto.signatures import sign, verify

# Format 2 (docs/protocol.md, "Envelope format 2"): the household case id and the exact time
# travel inside the ciphertext, so a seized server cannot tell which records are one household.
# A format 2 envelope says so in ``v``; format 1 has no ``v`` and a clear ``case_id``.
FORMAT = 2
AAD_FIELDS = ("v", "id", "record_id", "type", "team_id", "schema")
AAD_FIELDS_V1 = ("id", "record_id", "type", "case_id", "team_id", "schema")
SERVER_FIELDS = ("seq", "received_at", "author_id")
# Plaintexts are forms and notes; a gzip that inflates past this is an attack, not a record.
MAX_PLAINTEXT = 4 * 1024 * 1024


@dataclass(frozen=True)
class OpenedRecord:
    """What a revision says once opened: its plaintext, and the fields format 2 seals."""

    plaintext: Any
    case_id: str
    created_at: str


def envelope_format(envelope: Mapping[str, Any]) -> int:
    """1 or 2; any other ``v`` is refused by the server's structural checks."""
    return 2 if envelope.get("v") == FORMAT else 1


def record_aad(envelope: Mapping[str, Any]) -> bytes:
    """Binds the ciphertext to its record: moving it to another record (or, in format 1,
    another case) breaks it. In format 2 the case id is inside the ciphertext itself."""
    names = AAD_FIELDS if envelope_format(envelope) == FORMAT else AAD_FIELDS_V1
    return canonical_json({name: envelope[name] for name in names})


def coarse_time(created_at: str) -> str:
    """The first instant of the month: all a format 2 envelope shows of when it was written."""
    return f"{created_at[:7]}-01T00:00:00Z"


def envelope_signing_bytes(envelope: Mapping[str, Any]) -> bytes:
    unsigned = {k: v for k, v in envelope.items() if k != "sig" and k not in SERVER_FIELDS}
    return canonical_json(unsigned)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seal_envelope(
    plaintext: Mapping[str, Any],
    *,
    id: str,
    record_id: str,
    type: str,
    case_id: str,
    team_id: str,
    schema: str,
    recipients: Sequence[tuple[str, PublicKey]],
    device_id: str,
    signing_key: PrivateKey,
    parents: Sequence[str] = (),
    created_at: str | None = None,
    meta: Mapping[str, Any] | None = None,
    format: int = FORMAT,
) -> dict[str, Any]:
    """Seal ``plaintext`` as a new revision. ``format=1`` exists only to build the databases
    the upgrade path starts from (tests, the upgrade drill): nothing writes it any more."""
    exact = created_at or _now()
    envelope: dict[str, Any] = {"v": FORMAT} if format == FORMAT else {}
    envelope.update({"id": id, "record_id": record_id, "parents": list(parents), "type": type})
    if format == FORMAT:
        sealed: Any = {"case_id": case_id, "created_at": exact, "record": plaintext}
        envelope.update({"team_id": team_id, "schema": schema,
                         "created_at": coarse_time(exact)})
    elif format == 1:
        sealed = plaintext
        envelope.update({"case_id": case_id, "team_id": team_id, "schema": schema,
                         "created_at": exact})
    else:
        raise ValueError(f"unknown envelope format {format}")
    envelope["meta"] = dict(meta or {})
    data = json.dumps(sealed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    payload: dict[str, str] = {}
    # Ciphertext does not compress; this is the only place where compression can help.
    packed = gzip.compress(data, mtime=0)
    if len(packed) < len(data):
        data = packed
        payload["z"] = "gzip"
    data_key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(12)
    ct = AESGCM(data_key).encrypt(iv, data, record_aad(envelope))
    envelope["payload"] = {"iv": b64u_encode(iv), "ct": b64u_encode(ct), **payload}
    info = DEK_INFO_PREFIX + id.encode("utf-8")
    envelope["keys"] = [
        {"kid": kid, "enc": b64u_encode(hpke_seal(public_key, data_key, info))}
        for kid, public_key in recipients
    ]
    envelope["device_id"] = device_id
    envelope["sig"] = b64u_encode(sign(envelope_signing_bytes(envelope), signing_key))
    return envelope


def open_envelope(envelope: Mapping[str, Any], kid: str, private_key: PrivateKey) -> Any:
    """The record's plaintext, in either format. Every failure is a DecryptionError."""
    return open_record(envelope, kid, private_key).plaintext


def open_record(envelope: Mapping[str, Any], kid: str, private_key: PrivateKey
                ) -> OpenedRecord:
    """Decrypt with the key listed under ``kid``; the case id and exact time come from inside
    (format 2) or from the clear fields (format 1)."""
    sealed = _decrypt(envelope, kid, private_key)
    if envelope_format(envelope) != FORMAT:
        return OpenedRecord(sealed, str(envelope["case_id"]), str(envelope["created_at"]))
    if not isinstance(sealed, dict) or sealed.keys() != {"case_id", "created_at", "record"}:
        raise DecryptionError("sealed content is not a format 2 record")
    return OpenedRecord(sealed["record"], str(sealed["case_id"]), str(sealed["created_at"]))


def _decrypt(envelope: Mapping[str, Any], kid: str, private_key: PrivateKey) -> Any:
    try:
        entry = next(k for k in envelope["keys"] if k["kid"] == kid)
        info = DEK_INFO_PREFIX + str(envelope["id"]).encode("utf-8")
        data_key = hpke_open(private_key, b64u_decode(entry["enc"]), info)
        payload = envelope["payload"]
        iv = b64u_decode(payload["iv"])
        data = AESGCM(data_key).decrypt(iv, b64u_decode(payload["ct"]), record_aad(envelope))
        if payload.get("z") == "gzip":
            data = _gunzip(data)
        elif "z" in payload:
            raise DecryptionError("unknown payload compression")
        return json.loads(data.decode("utf-8"))
    except DecryptionError:
        raise
    except (CryptoError, InvalidTag, KeyError, StopIteration, TypeError, ValueError) as exc:
        raise DecryptionError("envelope does not open with this key") from exc


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    out = inflater.decompress(data, MAX_PLAINTEXT + 1)
    if len(out) > MAX_PLAINTEXT or inflater.unconsumed_tail:
        raise DecryptionError("plaintext too large")
    return out


def verify_envelope_signature(envelope: Mapping[str, Any], public_key: PublicKey) -> None:
    try:
        signature = b64u_decode(envelope["sig"])
    except (KeyError, MalformedEncodingError) as exc:
        raise InvalidSignatureError("missing or malformed signature") from exc
    verify(envelope_signing_bytes(envelope), signature, public_key)
