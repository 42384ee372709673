"""RFC 9180 Appendix A.3.1 against our HPKE door, as far as the library's API lets vectors in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from outreach import crypto
from outreach.crypto.keys import private_key_from_scalar, public_key_bytes
from tests.crypto import hpke_reference as ref

VECTOR = json.loads((Path(__file__).parent / "vectors" / "rfc9180_a3_1.json").read_text())


def h(name: str) -> bytes:
    return bytes.fromhex(VECTOR[name])


def test_recipient_private_key_gives_the_vector_public_key():
    sk = private_key_from_scalar(h("skRm"))
    assert public_key_bytes(sk.public_key()) == h("pkRm")


def test_reference_key_schedule_reproduces_the_vector():
    sk = private_key_from_scalar(h("skRm"))
    shared = ref.decap(h("enc"), sk)
    assert shared == h("shared_secret")
    key, nonce = ref.key_schedule(shared, h("info"))
    assert key == h("key")
    assert nonce == h("base_nonce")


@pytest.mark.parametrize("index", [0, 1])
def test_vector_ciphertexts_open_with_the_derived_key(index):
    sk = private_key_from_scalar(h("skRm"))
    key, base_nonce = ref.key_schedule(ref.decap(h("enc"), sk), h("info"))
    item = VECTOR["encryptions"][index]
    # RFC 9180 §5.2: the nonce for sequence number seq is base_nonce XOR seq.
    nonce = (int.from_bytes(base_nonce, "big") ^ item["seq"]).to_bytes(12, "big")
    plaintext = AESGCM(key).decrypt(nonce, bytes.fromhex(item["ct"]), bytes.fromhex(item["aad"]))
    assert plaintext == bytes.fromhex(item["pt"])


def test_our_seal_opens_with_the_vector_checked_reference():
    sk = private_key_from_scalar(h("skRm"))
    message = b"data key bytes go here, 32 of them"
    sealed = crypto.hpke_seal(sk.public_key(), message, h("info"))
    assert ref.open_single_shot(sealed, sk, h("info")) == message
    assert crypto.hpke_open(sk, sealed, h("info")) == message


def test_reference_seal_opens_with_our_hpke_open():
    """The other direction: a ciphertext made by the reference (fixed ephemeral key from the
    vector, empty AAD, sequence 0) opens with the production code."""
    sk_r = private_key_from_scalar(h("skRm"))
    key, nonce = ref.key_schedule(h("shared_secret"), h("info"))
    sealed = h("enc") + AESGCM(key).encrypt(nonce, b"hello household", b"")
    assert crypto.hpke_open(sk_r, sealed, h("info")) == b"hello household"


def test_wrong_info_does_not_open():
    sk = private_key_from_scalar(h("skRm"))
    sealed = crypto.hpke_seal(sk.public_key(), b"x" * 32, b"outreach/v1 dek a")
    with pytest.raises(crypto.DecryptionError):
        crypto.hpke_open(sk, sealed, b"outreach/v1 dek b")
