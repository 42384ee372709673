"""What ``checks.check_structure`` answers for each kind of malformed envelope, field by field.

The checks run for every pushed envelope and were tuned for speed (issue 18: the path of an
error is spelled out only when there is one, field sets are compared once); what they say must
not move with that."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from outreach import crypto
from outreach.sync.checks import check_structure


def sealed() -> dict[str, Any]:
    signing = crypto.generate_private_key()
    return crypto.seal_envelope(
        {"n": 1}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
        case_id=crypto.new_uuid7(), team_id="east", schema="note@1",
        recipients=[("team:east:1", signing.public_key()),
                    ("recovery:1", signing.public_key())],
        device_id=crypto.new_uuid7(), signing_key=signing)


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    envelope = copy.deepcopy(sealed())
    change(envelope)
    return envelope


CASES: list[tuple[str, Callable[[dict[str, Any]], Any], dict[str, list[str]]]] = [
    ("an unknown field and a missing one",
     lambda e: (e.pop("sig"), e.update(extra=1)),
     {"extra": ["Unknown field."], "sig": ["Missing."]}),
    ("a payload with a field of its own",
     lambda e: e["payload"].update(x="y"), {"payload": ["Must hold iv, ct and optionally z."]}),
    ("a payload without ct",
     lambda e: e["payload"].pop("ct"), {"payload": ["Must hold iv, ct and optionally z."]}),
    ("a payload that is not an object",
     lambda e: e.update(payload=[]), {"payload": ["Must be an object."]}),
    ("an unknown compression",
     lambda e: e["payload"].update(z="br"), {"payload.z": ["Only gzip is known."]}),
    ("a key entry with a field of its own",
     lambda e: e["keys"][1].update(x=1), {"keys.1": ["Must be an object with kid and enc."]}),
    ("a key entry that is not an object",
     lambda e: e["keys"].__setitem__(0, "k"), {"keys.0": ["Must be an object with kid and enc."]}),
    ("an enc of the wrong size",
     lambda e: e["keys"][1].update(enc=crypto.b64u_encode(bytes(112))),
     {"keys.1.enc": ["Must decode to 113 bytes."]}),
    ("an enc that is not text",
     lambda e: e["keys"][0].update(enc=113), {"keys.0.enc": ["Must be a base64url string."]}),
    ("an enc with padding",
     lambda e: e["keys"][0].update(enc=e["keys"][0]["enc"][:-1] + "="),
     {"keys.0.enc": ["Not base64url without padding."]}),
    ("a kid listed twice",
     lambda e: e["keys"][1].update(kid=e["keys"][0]["kid"]), {"keys.1.kid": ["Listed twice."]}),
    ("a kid of no known form",
     lambda e: e["keys"][0].update(kid="team:East:1"),
     {"keys.0.kid": ["Must be team:<slug>:<version> or recovery:<version>."]}),
    ("no keys",
     lambda e: e.update(keys=[]), {"keys": ["Must be a list of 1 to 8 keys."]}),
    ("a short signature",
     lambda e: e.update(sig=crypto.b64u_encode(bytes(63))), {"sig": ["Must decode to 64 bytes."]}),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in CASES],
                         ids=[name for name, _, _ in CASES])
def test_each_defect_is_named_at_its_field(change, expected):
    assert check_structure(changed(change)) == expected


def test_a_well_formed_envelope_has_no_errors():
    assert check_structure(sealed()) == {}


def test_every_defect_of_an_envelope_is_named_at_once():
    envelope = changed(lambda e: (e["keys"][0].update(enc="!"), e["payload"].update(iv="AA"),
                                  e.update(sig=1)))
    assert check_structure(envelope) == {
        "keys.0.enc": ["Not base64url without padding."],
        "payload.iv": ["Must decode to 12 bytes."],
        "sig": ["Must be a base64url string."],
    }
