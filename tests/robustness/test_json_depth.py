"""The request's nesting depth check (``http_json.json_depth``) against the definition.

It walks level by level without recursion, for speed on a 100-envelope push (issue 18); the
definition is recursive: a scalar is 0 deep, a container one more than its deepest child."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from outreach.http_json import json_depth, strict_loads


def depth_by_definition(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_by_definition(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_by_definition(v) for v in value), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=60)


@given(json_values)
def test_json_depth_is_the_nesting_depth(value):
    assert json_depth(value) == depth_by_definition(value)


@given(json_values)
def test_a_parsed_body_is_as_deep_as_the_value_it_was_made_from(value):
    parsed = strict_loads(json.dumps(value).encode(), max_depth=10_000)
    assert json_depth(parsed) == depth_by_definition(value)


def test_deep_and_wide_at_once():
    wide = {"push": [{"meta": {"a": [1, {"b": []}]}, "x": "y"} for _ in range(100)]}
    assert json_depth(wide) == depth_by_definition(wide) == 7
    chain: Any = []
    for _ in range(500):
        chain = [chain, {}]
    assert json_depth(chain) == 501
