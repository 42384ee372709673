"""``checks.canonical_envelope`` against ``crypto.canonical_json`` (RFC 8785).

A push canonicalises every envelope it keeps. Once ``check_structure`` has passed it, only two
members can hold a value on which json.dumps and JCS could differ (a float, a non-ASCII key, an
integer past 2^53): ``v`` (2 and 2.0 compare equal) and the free-form ``meta``. The fast path
walks those two instead of the whole envelope (issue 18); it must give the same bytes, or the
same refusal, for any envelope the checks pass."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outreach import crypto
from outreach.sync.checks import canonical_envelope, check_structure

SIGNING = crypto.generate_private_key()
SEALED = crypto.seal_envelope(
    {"n": 1}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
    case_id=crypto.new_uuid7(), team_id="east", schema="note@1",
    recipients=[("team:east:1", SIGNING.public_key()), ("recovery:1", SIGNING.public_key())],
    device_id=crypto.new_uuid7(), signing_key=SIGNING)

leaves = (st.none() | st.booleans() | st.integers() | st.text(max_size=6)
          | st.floats(allow_nan=False, allow_infinity=False))
json_like = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=4),
    max_leaves=20)


def outcome(function: Any, envelope: dict[str, Any]) -> tuple[str, bytes | None]:
    try:
        return "bytes", function(envelope)
    except crypto.MalformedEncodingError:
        return "refused", None


@settings(max_examples=300)
@given(meta=st.dictionaries(st.text(max_size=8), json_like, max_size=5),
       v=st.sampled_from([2, 2.0]))
def test_a_checked_envelope_canonicalises_as_canonical_json_does(meta, v):
    envelope = copy.deepcopy(SEALED)
    envelope.update(meta=meta, v=v)
    envelope["payload"]["z"] = "gzip"
    envelope["schema"] = "note@1"
    assert check_structure(envelope) == {}
    assert outcome(canonical_envelope, envelope) == outcome(crypto.canonical_json, envelope)


def test_meta_nested_to_the_walks_limit_takes_the_same_path_as_in_the_whole_envelope():
    deep: Any = "leaf"
    for _ in range(64):
        deep = {"d": deep}
    for meta in (deep, deep["d"]):
        envelope = {**SEALED, "meta": meta}
        assert outcome(canonical_envelope, envelope) == outcome(crypto.canonical_json, envelope)


@pytest.mark.parametrize("meta", [
    {"n": 1.5}, {"é": "x"}, {"big": 2**60}, {"s": "\ud800"}, {"nested": [{"ü": 1}]}, {},
    {"area": "EAST-01", "date": "2026-11"}])
def test_the_values_json_dumps_and_jcs_write_differently(meta):
    envelope = {**SEALED, "meta": meta}
    assert outcome(canonical_envelope, envelope) == outcome(crypto.canonical_json, envelope)


def test_a_float_format_number_takes_the_jcs_path():
    envelope = {**SEALED, "v": 2.0}
    assert canonical_envelope(envelope) == crypto.canonical_json(envelope)
    assert b'"v":2' in canonical_envelope(envelope)
