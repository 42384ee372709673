"""Property tests: round trips work, and every tampering is rejected."""

from __future__ import annotations

import copy
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach import crypto

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20,
)


@cache
def keys() -> dict[str, crypto.PrivateKey]:
    return {name: crypto.generate_private_key() for name in ("team", "recovery", "device",
                                                             "other")}


def seal(plaintext: object) -> dict:
    k = keys()
    return crypto.seal_envelope(
        {"content": plaintext},
        id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
        case_id=crypto.new_uuid7(), team_id="east", schema="note@1",
        recipients=[("team:east:1", k["team"].public_key()),
                    ("recovery:1", k["recovery"].public_key())],
        device_id=crypto.new_uuid7(), signing_key=k["device"],
        meta={"area": "EAST-01"},
    )


def flip(text: str, bit: int) -> str:
    raw = bytearray(crypto.b64u_decode(text))
    raw[(bit // 8) % len(raw)] ^= 1 << (bit % 8)
    return crypto.b64u_encode(bytes(raw))


@SETTINGS
@given(json_values)
def test_sealed_envelope_opens_with_team_and_recovery_keys(plaintext):
    env = seal(plaintext)
    assert crypto.open_envelope(env, "team:east:1", keys()["team"]) == {"content": plaintext}
    assert crypto.open_envelope(env, "recovery:1", keys()["recovery"]) == {"content": plaintext}
    crypto.verify_envelope_signature(env, keys()["device"].public_key())


@SETTINGS
@given(st.sampled_from(["iv", "ct"]), st.integers(0, 10_000))
def test_any_bit_flip_in_the_payload_is_rejected(field, bit):
    env = seal("Ana Lakatos, house 12")
    env["payload"][field] = flip(env["payload"][field], bit)
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(env, "team:east:1", keys()["team"])


@SETTINGS
@given(st.integers(0, 8 * 113 - 1))
def test_any_bit_flip_in_the_wrapped_data_key_is_rejected(bit):
    env = seal("x")
    env["keys"][0]["enc"] = flip(env["keys"][0]["enc"], bit)
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(env, "team:east:1", keys()["team"])


@pytest.mark.parametrize("field", ["v", "id", "record_id", "type", "team_id", "schema"])
def test_moving_a_ciphertext_to_another_record_breaks_it(field):
    env = seal("secret note")
    moved = copy.deepcopy(env)
    moved[field] = {"v": 1, "id": crypto.new_uuid7(), "record_id": crypto.new_uuid7(),
                    "type": "visit", "team_id": "west", "schema": "note@2"}[field]
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(moved, "team:east:1", keys()["team"])


def test_format_2_keeps_the_case_and_the_exact_time_inside():
    k = keys()
    case_id = crypto.new_uuid7()
    env = crypto.seal_envelope(
        {"name": "Ana"}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="person",
        case_id=case_id, team_id="east", schema="person@1",
        recipients=[("team:east:1", k["team"].public_key())], device_id=crypto.new_uuid7(),
        signing_key=k["device"], created_at="2026-03-17T09:14:03Z")
    assert env["v"] == 2
    assert "case_id" not in env
    assert case_id not in crypto.canonical_json(env).decode()
    assert env["created_at"] == "2026-03-01T00:00:00Z"
    opened = crypto.open_record(env, "team:east:1", k["team"])
    assert (opened.plaintext, opened.case_id, opened.created_at) == (
        {"name": "Ana"}, case_id, "2026-03-17T09:14:03Z")


def test_format_1_envelopes_still_open_and_bind_their_case():
    """Phones and the recovery export read what was stored before the upgrade."""
    k = keys()
    env = crypto.seal_envelope(
        {"name": "Ana"}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="person",
        case_id="0192f1a0-0000-7000-8000-000000000001", team_id="east", schema="person@1",
        recipients=[("team:east:1", k["team"].public_key())], device_id=crypto.new_uuid7(),
        signing_key=k["device"], format=1)
    assert "v" not in env
    opened = crypto.open_record(env, "team:east:1", k["team"])
    assert (opened.plaintext, opened.case_id) == ({"name": "Ana"}, env["case_id"])
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope({**env, "case_id": crypto.new_uuid7()}, "team:east:1", k["team"])


@SETTINGS
@given(st.sampled_from(["ct", "enc"]), st.integers(1, 40))
def test_truncation_is_rejected(where, cut):
    env = seal("truncate me")
    if where == "ct":
        raw = crypto.b64u_decode(env["payload"]["ct"])
        env["payload"]["ct"] = crypto.b64u_encode(raw[:-cut])
    else:
        raw = crypto.b64u_decode(env["keys"][0]["enc"])
        env["keys"][0]["enc"] = crypto.b64u_encode(raw[:-cut])
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(env, "team:east:1", keys()["team"])


def test_wrong_private_key_is_rejected():
    env = seal("x")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(env, "team:east:1", keys()["other"])
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope(env, "team:west:1", keys()["team"])


SIGNED_CHANGES = {
    "id": crypto.new_uuid7(), "record_id": crypto.new_uuid7(), "parents": [crypto.new_uuid7()],
    "type": "visit", "v": 3, "team_id": "west", "schema": "note@2",
    "created_at": "2020-01-01T00:00:00Z", "meta": {"area": "EAST-07"},
    "device_id": crypto.new_uuid7(),
}


@pytest.mark.parametrize("field", sorted(SIGNED_CHANGES))
def test_changing_any_signed_field_breaks_the_signature(field):
    env = seal("x")
    env[field] = SIGNED_CHANGES[field]
    with pytest.raises(crypto.InvalidSignatureError):
        crypto.verify_envelope_signature(env, keys()["device"].public_key())


def test_changing_payload_or_keys_breaks_the_signature():
    for mutate in (lambda e: e["payload"].update(iv=flip(e["payload"]["iv"], 3)),
                   lambda e: e["keys"].reverse(),
                   lambda e: e["keys"].pop()):
        env = seal("x")
        mutate(env)
        with pytest.raises(crypto.InvalidSignatureError):
            crypto.verify_envelope_signature(env, keys()["device"].public_key())


@SETTINGS
@given(st.integers(0, 511))
def test_any_bit_flip_in_the_signature_is_rejected(bit):
    env = seal("x")
    env["sig"] = flip(env["sig"], bit)
    with pytest.raises(crypto.InvalidSignatureError):
        crypto.verify_envelope_signature(env, keys()["device"].public_key())


def test_server_added_fields_do_not_break_the_signature():
    env = seal("x")
    env.update(seq=42, received_at="2026-11-23T00:00:00Z", author_id="someone")
    crypto.verify_envelope_signature(env, keys()["device"].public_key())


def test_another_devices_key_does_not_verify():
    with pytest.raises(crypto.InvalidSignatureError):
        crypto.verify_envelope_signature(seal("x"), keys()["other"].public_key())


def test_large_plaintexts_are_compressed_before_encryption():
    env = seal("the same words again " * 200)
    assert env["payload"]["z"] == "gzip"
    assert len(crypto.b64u_decode(env["payload"]["ct"])) < 1000
