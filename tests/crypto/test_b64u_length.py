"""The push's base64url check without decoding agrees with the strict decoder on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outreach import crypto

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def decoded_length_or_none(text: str) -> int | None:
    try:
        return len(crypto.b64u_decode(text))
    except crypto.MalformedEncodingError:
        return None


def checked_length_or_none(text: str) -> int | None:
    try:
        return crypto.b64u_length(text)
    except crypto.MalformedEncodingError:
        return None


texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=200),  # mostly valid; some with stray low bits
    st.binary(max_size=150).map(crypto.b64u_encode),  # always valid
    st.text(alphabet=ALPHABET + "=+/ \n.é\x00", max_size=40),  # padding, std alphabet, junk
    st.text(max_size=20),
)


@given(texts)
def test_length_check_agrees_with_the_strict_decoder(text):
    assert checked_length_or_none(text) == decoded_length_or_none(text)


@given(st.binary(max_size=150))
def test_every_encoding_has_the_length_of_its_bytes(data):
    assert crypto.b64u_length(crypto.b64u_encode(data)) == len(data)
