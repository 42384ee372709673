"""Figures computed where the keys are (issue 13, part 3): the supervisor's phone counts the
team's figures from the decrypted records (static/pwa/src/figures/). Its suppression is the
server's rule, ported line for line; these tests run the JavaScript in node and the Python
reference (tests/fixtures/figures.py, over the server's own ``Table`` and ``suppress``) on the
same inputs and compare every figure and every withheld cell."""

from __future__ import annotations

import json
import random

import pytest

from outreach.reports.suppression import ALL, suppress
from tests.fixtures.figures import demo_input, team_figures
from tests.fixtures.pwa_js import run_js

AREAS = ["a", "b", "c", None]
SEXES = ["f", "m", None]


def _random_family(rng: random.Random) -> tuple[dict, list, dict]:
    """Finest cells of a two-axis family with an inner category and a sum, mostly small."""
    inner = ["x", "y", "z", "all"]
    sums = {"all": ["x", "y", "z"]}
    cells: dict = {}
    for area in AREAS:
        for sex in SEXES:
            parts = {p: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for p in ("x", "y", "z")}
            for part, count in parts.items():
                if count:
                    cells[(area, sex, part)] = count
            if sum(parts.values()):
                cells[(area, sex, "all")] = sum(parts.values())
    return cells, [AREAS, SEXES, inner], sums


def _as_json(figures, withheld) -> dict:
    mark = lambda key: [None if v is None else "*" if v is ALL else v for v in key]  # noqa: E731
    return {"figures": sorted(([mark(k), v] for k, v in figures.items() if v), key=json.dumps),
            "withheld": sorted(([mark(k), v] for k, v in withheld.items()), key=json.dumps)}


JS_SUPPRESS = """(input) => {
  const mark = (key) => key.map((v) => (v === m.ALL ? "*" : v));
  const cells = new m.KeyMap(input.cells);
  const { figures, withheld } = m.suppress(cells, input.domains, input.k, input.sums);
  return { figures: figures.entries().filter(([, v]) => v).map(([k, v]) => [mark(k), v]),
           withheld: withheld.entries().map(([k, v]) => [mark(k), v]) };
}"""


def test_the_phones_suppression_withholds_exactly_what_the_servers_does():
    rng = random.Random(13)  # noqa: S311 (test inputs, not secrets)
    families = [_random_family(rng) for _ in range(40)]
    families.append(({("a",): 3, ("b",): 9, ("c",): 6}, [AREAS], {}))
    families.append(({("a",): 1, ("b",): 1, ("c",): 9}, [AREAS], {}))
    inputs, expected = [], []
    for cells, domains, sums in families:
        figures, withheld = suppress(cells, domains, 5, sums)
        expected.append(_as_json(figures, withheld))
        inputs.append({"cells": [[list(k), v] for k, v in cells.items()], "domains": domains,
                       "k": 5, "sums": sums})
    answers = run_js("figures/suppression.js", f"inputs.map({JS_SUPPRESS})", inputs=inputs)
    got = [{name: sorted(answer[name], key=json.dumps) for name in ("figures", "withheld")}
           for answer in answers]
    assert any(e["withheld"] for e in expected)  # the inputs do exercise the rule
    assert any(w[1] == "complementary" for e in expected for w in e["withheld"])
    for want, have in zip(expected, got, strict=True):
        assert json.loads(json.dumps(want)) == have


@pytest.fixture(scope="module")
def demo_figures():
    data = demo_input()
    return data, team_figures(data), run_js("figures/count.js", "m.teamFigures(data)", data=data)


def test_figures_on_the_phone_equal_pythons_from_the_same_plaintexts(demo_figures):
    data, python, phone = demo_figures
    assert json.loads(json.dumps(python)) == phone
    tables = phone["tables"]
    # Every indicator of the issue is there: reach, target groups, needs, referrals, consent.
    assert {"consent", "people", "referral", "months"} <= set(tables)
    assert any(name.startswith("households:") for name in tables)
    assert any(name.startswith("level:") for name in tables)
    assert any(name.startswith("reassessed:") for name in tables)
    everyone = next(c for c in tables["consent"]["cells"]
                    if not c["group"] and c["inner"] == "households")
    records = lambda case: [case["household"], *case["people"], *case["visits"],  # noqa: E731
                            *case["assessments"], *case["referrals"], *case["consents"]]
    reached = [c for c in data["cases"]
               if any(data["from"] <= r["date"][:7] <= data["to"] for r in records(c))]
    assert len(reached) < len(data["cases"])  # one household was only seen before the period
    assert everyone["count"] == len(reached)  # each household counted once


def test_every_count_from_1_to_k_minus_1_is_withheld(demo_figures):
    data, _, phone = demo_figures
    k = data["k"]
    shown = [c["count"] for t in phone["tables"].values() for c in t["cells"]]
    assert None in shown  # the demo has small cells
    assert all(c is None or c == 0 or c >= k for c in shown)


def test_a_household_seen_twice_is_reached_once_and_its_members_once():
    data = demo_input(households=1)
    data["cases"] = data["cases"] * 1
    case = data["cases"][0]
    case["visits"] = case["visits"] * 3  # three visits in the period
    figures = run_js("figures/count.js", "m.teamFigures(data)", data={**data, "k": 1})
    households = next(c for c in figures["tables"]["consent"]["cells"]
                      if not c["group"] and c["inner"] == "households")
    people = next(c for c in figures["tables"]["people"]["cells"] if not c["group"])
    assert households["count"] == 1
    assert people["count"] == len(case["people"])


@pytest.mark.parametrize("seed", [7, 2027])
def test_what_the_phone_computes_passes_the_servers_check_on_publishing(seed):
    from outreach.reports.published import check_figures

    data = demo_input(households=60, seed=seed)
    tables = run_js("figures/count.js", "m.teamFigures(data)", data=data)["tables"]
    phone = run_js("figures/count.js", "m.publishable(tables)", tables=tables)
    assert check_figures(phone, data["k"], data["k"]) == {}
    # And the check does catch it when the other withheld figures of a table are shown.
    tables = json.loads(json.dumps(phone))
    name, table = next((n, t) for n, t in tables.items()
                       if any(c["count"] is None for c in t["cells"]))
    hidden = [c for c in table["cells"] if c["count"] is None]
    assert len(hidden) > 1  # one withheld figure alone would be its lines' only unknown
    for cell in hidden[1:]:
        cell["count"] = 0
    assert f"tables.{name}" in check_figures(tables, data["k"], data["k"])
