"""The sync request's ``push`` field against the straightforward one it replaced.

``schemas.EnvelopeList`` hands the parsed list on as it is instead of passing every envelope
through marshmallow's ``Raw`` field (~3 µs an envelope, issue 18); envelopes are checked per
record by ``checks``. Whatever the body holds, the two must load it alike or refuse it alike."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

from outreach.sync.schemas import EnvelopeList, SyncRequestSchema


class StraightforwardRequest(SyncRequestSchema):
    push = fields.List(fields.Raw(), load_default=list)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=30)


def outcome(schema: Schema, body: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "loaded", schema.load(body)
    except ValidationError as exc:
        return "refused", exc.messages


@given(st.one_of(json_values, st.lists(json_values, max_size=6)))
def test_push_loads_and_refuses_as_a_list_of_raw_values_does(push):
    body = {"push": push, "since": None}
    assert outcome(SyncRequestSchema(), body) == outcome(StraightforwardRequest(), body)


def test_the_envelopes_are_handed_on_as_they_were_parsed():
    envelopes = [{"id": "a"}, {"id": "b"}]
    loaded = SyncRequestSchema().load({"push": envelopes})
    assert loaded["push"] is envelopes
    assert SyncRequestSchema().load({})["push"] == []


@pytest.mark.parametrize("push", [{"id": "a"}, "abc", 5, [None], [{"id": "a"}, None]])
def test_what_is_not_a_list_of_envelopes_is_refused_for_the_request(push):
    with pytest.raises(ValidationError) as caught:
        SyncRequestSchema().load({"push": push})
    assert "push" in caught.value.messages


def test_the_openapi_document_still_names_the_envelope_schema():
    field = SyncRequestSchema().fields["push"]
    assert isinstance(field, EnvelopeList)
    assert field.metadata["items"] == {"$ref": "#/components/schemas/Envelope"}
