from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outreach import crypto


@settings(max_examples=100)
@given(st.binary(max_size=200))
def test_b64u_round_trips_without_padding(data):
    text = crypto.b64u_encode(data)
    assert not set(text) & set("=+/")
    assert crypto.b64u_decode(text) == data


@pytest.mark.parametrize("bad", ["YQ==", "YQ=", "a+b/", "a b", "A", "YR", "Y\u00e9", "", None, 12])
def test_b64u_rejects_padding_junk_and_non_canonical_text(bad):
    if bad == "":
        assert crypto.b64u_decode("") == b""
        return
    with pytest.raises(crypto.MalformedEncodingError):
        crypto.b64u_decode(bad)


def test_canonical_json_follows_rfc_8785():
    # RFC 8785 §3.2.2/3.2.3: keys sorted by UTF-16 code units, numbers in ES6 form, no spaces.
    value = {"b": [1e30, 4.5, 0.002, -0.0], "a": "\u20ac$\u000f\nA'B\"\\\\\"/", "\u00e9": True}
    assert crypto.canonical_json(value) == (
        '{"a":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/","b":[1e+30,4.5,0.002,0],"\u00e9":true}'
    ).encode()


def test_login_keys_are_deterministic_separate_and_nfkc_normalised():
    salt = b"s" * 16
    a = crypto.derive_login_keys("\ufb01sh and chips", salt, 1000)
    b = crypto.derive_login_keys("fish and chips", salt, 1000)
    assert a == b
    assert a.auth_key != a.wrap_key
    assert len(a.auth_key) == len(a.wrap_key) == 32
    assert crypto.derive_login_keys("fish and chips", b"t" * 16, 1000) != a
    assert a.auth_key.hex() not in repr(a)


def test_default_kdf_iterations_meet_the_protocol():
    assert crypto.DEFAULT_KDF_ITERATIONS >= 600_000


def test_wrapped_private_key_unwraps_only_with_the_wrap_key():
    keys = crypto.derive_login_keys("passphrase", b"0" * 16, 1000)
    other = crypto.derive_login_keys("passphrasf", b"0" * 16, 1000)
    private = crypto.generate_private_key()
    iv, wrapped = crypto.wrap_private_key(keys.wrap_key, private)
    assert crypto.unwrap_private_key(keys.wrap_key, iv, wrapped).private_numbers() == \
        private.private_numbers()
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_private_key(other.wrap_key, iv, wrapped)


def test_team_key_grant_opens_only_for_its_member():
    team, member, outsider = (crypto.generate_private_key() for _ in range(3))
    grant = crypto.grant_team_key(team, member.public_key())
    assert crypto.open_grant(grant, member).private_numbers() == team.private_numbers()
    with pytest.raises(crypto.DecryptionError):
        crypto.open_grant(grant, outsider)


def test_recovery_words_round_trip_and_catch_a_typo():
    key = crypto.generate_private_key()
    words = crypto.recovery_key_to_words(key)
    assert len(words) == 24
    assert crypto.recovery_key_from_words(words).private_numbers() == key.private_numbers()
    typo = list(words)
    typo[5] = "abandon" if typo[5] != "abandon" else "ability"
    with pytest.raises(crypto.MalformedKeyError):
        crypto.recovery_key_from_words(typo)


@pytest.mark.parametrize("bad", ["", "AAAA", crypto.b64u_encode(b"\x04" + b"\x00" * 64),
                                 crypto.b64u_encode(b"\x02" + b"\x01" * 32)])
def test_invalid_public_keys_are_rejected(bad):
    with pytest.raises(crypto.MalformedKeyError):
        crypto.load_public_key(bad)


def test_raw_signature_is_64_bytes_and_verifies():
    key = crypto.generate_private_key()
    sig = crypto.sign(b"data", key)
    assert len(sig) == 64
    crypto.verify(b"data", sig, key.public_key())
    with pytest.raises(crypto.InvalidSignatureError):
        crypto.verify(b"data", sig[:63], key.public_key())


def test_uuid7_is_time_ordered_and_versioned():
    ids = [crypto.new_uuid7() for _ in range(50)]
    assert all(i[14] == "7" and i[19] in "89ab" for i in ids)
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=5),
    max_leaves=30,
)


@settings(max_examples=300)
@given(json_like)
def test_fast_canonical_json_agrees_with_rfc8785(value):
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError):
        with pytest.raises(crypto.MalformedEncodingError):
            crypto.canonical_json(value)
        return
    assert crypto.canonical_json(value) == expected
