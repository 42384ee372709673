"""One household once: likely matches offered before saving, and merges that count one
(static/pwa/src/cases/match.js and merge.js, run under node as the phone runs them)."""

from __future__ import annotations

from tests.fixtures.pwa_js import run_js

TEAM = [
    {
        "caseId": "balan",
        "name": "Stefan Balan",
        "people": [{"name": "Stefan Balan", "birthYear": 1984}],
        "areas": ["EAST-01"],
    },
    {
        "caseId": "lakatos",
        "name": "Familia Lakatos",
        "people": [{"name": "Maria Lakatos", "birthYear": 1950}],
        "areas": ["EAST-07"],
    },
    {"caseId": "horvath", "name": "Horváth Lőrinc", "people": [], "areas": []},
]


def matches(candidate: dict) -> list[dict]:
    return run_js("cases/match.js", "m.likelyMatches(c, team)", c=candidate, team=TEAM)


def test_a_household_written_another_way_is_offered():
    for name in ("Ștefan Bălan", "Штефан Балан", "stefan  balan", "Balan Stefan", "Stefan Ballan"):
        assert [m["caseId"] for m in matches({"name": name})] == ["balan"], name


def test_birth_year_and_area_strengthen_a_match_and_a_far_birth_year_rules_a_person_out():
    (strong,) = matches({"name": "Ștefan Bălan", "birthYear": 1985, "area": "EAST-01"})
    assert strong["reasons"] == ["name", "birth_year", "area"]
    assert matches({"name": "Maria Lakatos", "birthYear": 2010}) == []
    assert [m["caseId"] for m in matches({"name": "Maria Lakatoš", "birthYear": 1951})] == [
        "lakatos"
    ]


def test_different_names_are_not_offered():
    for name in ("Familia Rostaș", "Familia Dinu", "Ion Popescu", "Lorand"):
        assert matches({"name": name}) == [], name
    assert [m["caseId"] for m in matches({"name": "Horvath Lorinc"})] == ["horvath"]


def test_merges_point_to_one_survivor_and_opposite_merges_agree():
    chain = run_js(
        "cases/merge.js",
        "Object.fromEntries(m.survivors(h))",
        h=[
            {"caseId": "a", "data": {}},
            {"caseId": "b", "data": {"merged_into": "a"}},
            {"caseId": "c", "data": {"merged_into": "b"}},
        ],
    )
    assert chain == {"a": "a", "b": "a", "c": "a"}
    loop = run_js(
        "cases/merge.js",
        "Object.fromEntries(m.survivors(h))",
        h=[
            {"caseId": "y", "data": {"merged_into": "x"}},
            {"caseId": "x", "data": {"merged_into": "y"}},
        ],
    )
    assert loop == {"x": "x", "y": "x"}
