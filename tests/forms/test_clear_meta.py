"""What a form lets the server see in the clear (`reportable`) describes no person and nothing
of the categories a seized server must never hold (docs/threat-model.md, "Clear meta, field by
field"). The test reads every definition file, every version, and fails on any of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from outreach.forms.registry import load_registry
from outreach.forms.validation import COMMON

# GDPR art. 9 categories and what this project's households are hurt by, as the words a form
# would use for them in a field name, an enum value or a map key (matched per word: "age" in
# "age_band", never in "language").
FORBIDDEN = {
    "ethnicity": ("ethnic", "ethnicity", "roma", "romani", "race", "racial", "traveller",
                  "sinti"),
    "nationality": ("nationality", "national", "citizen", "citizenship", "country", "origin"),
    "residence or migration status": ("migrant", "migration", "refugee", "asylum", "residence",
                                      "resident", "permit", "visa", "undocumented", "irregular",
                                      "foreigner", "immigrant"),
    "religion": ("religion", "religious", "faith", "belief", "church", "mosque"),
    "health": ("health", "medical", "illness", "disease", "mental", "psychological",
               "psychiatric", "addiction", "pregnant", "care", "diagnosis", "treatment"),
    "disability": ("disability", "disabled", "handicap", "impairment"),
    "sexual life": ("sexual", "sexuality", "orientation", "lgbt", "lgbtq"),
    "homelessness": ("homeless", "homelessness", "rough", "roofless", "shelter", "houseless"),
    "identity-document status": ("document", "documents", "passport", "identity", "id",
                                 "papers"),
    "per-person age or sex": ("age", "sex", "gender", "birth", "born"),
}
WORDS = {word: category for category, words in FORBIDDEN.items() for word in words}
DEFINITIONS = Path(__file__).parents[2] / "outreach" / "forms" / "definitions"
THREAT_MODEL = Path(__file__).parents[2] / "docs" / "threat-model.md"


def words_of(definition: object, name: str) -> list[str]:
    """The field name and every value or key a reportable field can take, split into words."""
    texts = [name]
    if isinstance(definition, dict):
        texts += [str(v) for v in definition.get("values", [])]
        texts += [str(k) for k in definition.get("keys", [])]
        for inner in ("items", "values"):
            if isinstance(definition.get(inner), dict):
                texts += words_of(definition[inner], "")
    return [w for text in texts for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def forbidden_in(reportable: dict) -> dict[str, str]:
    return {f"{name}: {word}": WORDS[word] for name, definition in reportable.items()
            for word in words_of(definition, name) if word in WORDS}


@pytest.mark.parametrize("path", sorted(DEFINITIONS.glob("*.json")), ids=lambda p: p.name)
def test_no_form_makes_a_forbidden_category_reportable(path):
    form = load_registry().get(path.stem)
    assert forbidden_in(dict(form.reportable)) == {}
    assert forbidden_in(COMMON) == {}


def test_the_check_sees_what_the_first_definitions_exposed():
    """The definitions as first written, which the check must refuse (issue 13)."""
    first = {
        "target_groups": {"type": "list", "items": {"type": "enum",
                                                     "values": ["roma", "single_parent"]}},
        "age_band": {"type": "enum", "values": ["0-5"]},
        "sex": {"type": "enum", "values": ["female"]},
        "scores": {"type": "map", "keys": ["income", "documents", "health"],
                   "values": {"type": "integer"}},
        "not_taken_up_reason": {"type": "enum", "values": ["cost", "documents"]},
        "service_type": {"type": "enum", "values": ["energy", "long_term_care"]},
        "homeless": {"type": "boolean"},
    }
    found = set(forbidden_in(first).values())
    assert found == {"ethnicity", "per-person age or sex", "health",
                     "identity-document status", "homelessness"}
    assert forbidden_in({"contact_type": {"type": "enum", "values": ["home_visit", "street"]},
                         "language": {"type": "enum", "values": ["ro"]}}) == {}


def test_people_and_households_report_nothing_about_themselves():
    forms = load_registry().latest()
    assert forms["person"].reportable == {}
    assert forms["household"].reportable == {}


def test_every_clear_field_is_reviewed_in_the_threat_model():
    """The per-field review names each field the server may see, with its reason."""
    text = THREAT_MODEL.read_text(encoding="utf-8")
    review = text.split("## Clear meta, field by field", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip().strip("`"): line for line in review.splitlines()
            if line.startswith("| `")}
    for name in COMMON:
        assert f"*.{name}" in rows or name in rows, name
    for form in load_registry().all():
        for name in form.reportable:
            assert f"{form.id}.{name}" in rows, f"{form.schema}: {name}"


def test_a_small_area_reports_as_its_parent_and_a_big_one_as_itself():
    from outreach.forms.meta import reported_area

    parents = {"EAST-01": "EAST", "EAST-07": "EAST", "EAST": None, "WEST-01": None}
    known = {"EAST-01": 12, "EAST-07": 3, "WEST-01": 2}
    assert reported_area("EAST-01", known, parents, 10) == "EAST-01"
    assert reported_area("EAST-07", known, parents, 10) == "EAST"  # 15 households under EAST
    assert reported_area("WEST-01", known, parents, 10) is None  # no parent: not named at all
    assert reported_area("EAST-07", known, parents, 20) is None
    assert reported_area(None, known, parents, 10) is None
