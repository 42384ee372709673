"""The envelope's shape is declared twice, for speed and for the OpenAPI document: the
hand-written checks (``outreach.sync.checks``) and ``EnvelopeSchema``. They must agree."""

from __future__ import annotations

from outreach import crypto
from outreach.sync.checks import REQUIRED, check_structure
from outreach.sync.schemas import EnvelopeSchema, PulledEnvelopeSchema


def test_the_schema_and_the_checks_name_the_same_fields():
    assert set(EnvelopeSchema().fields) == set(REQUIRED)
    assert set(PulledEnvelopeSchema().fields) == set(REQUIRED) | set(crypto.SERVER_FIELDS)


def test_what_the_crypto_seals_is_what_the_checks_accept():
    signing = crypto.generate_private_key()
    envelope = crypto.seal_envelope(
        {"n": 1}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
        case_id=crypto.new_uuid7(), team_id="east", schema="note@1",
        recipients=[("team:east:1", signing.public_key())], device_id=crypto.new_uuid7(),
        signing_key=signing)
    assert set(envelope) == set(REQUIRED)
    assert check_structure(envelope) == {}
    assert set(crypto.AAD_FIELDS) <= set(REQUIRED)
