"""Form definitions load, the instrument is complete, and `meta` validation is strict."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outreach.forms.registry import FORM_IDS, load_registry
from outreach.forms.serials import is_valid_paper_serial, make_paper_serial
from outreach.forms.validation import validate_meta

DOMAINS = {"income", "debt", "food", "housing", "energy", "mobility", "digital", "documents",
           "education", "language", "work", "childcare", "health", "mental", "social", "safety"}


def test_every_form_of_the_protocol_has_a_definition():
    registry = load_registry()
    assert set(registry.latest()) == set(FORM_IDS)
    for form in registry.all():
        assert form.document["title"]
        assert form.document["fields"]


def test_assessment_has_16_domains_with_5_distinct_anchored_levels():
    assessment = load_registry().get("assessment@1").document
    assert {d["code"] for d in assessment["domains"]} == DOMAINS
    for domain in assessment["domains"]:
        assert domain["label"]
        assert domain["icon"]
        levels = [a["level"] for a in domain["anchors"]]
        assert levels == [1, 2, 3, 4, 5]
        descriptions = [a["description"] for a in domain["anchors"]]
        assert len(set(descriptions)) == 5
        assert all(len(text) > 20 for text in descriptions)
    # Scores are sealed: the needs profile is computed on the supervisor's phone.
    assert assessment["reportable"] == {}


GOOD = {
    "household": {},
    "person": {},
    "visit": {"contact_type": "street"},
    "assessment": {},
    "note": {},
    "plan": {},
    "referral": {"status": "not_taken_up"},
    "consent": {"status": "given"},
    "review": {},
}


@pytest.mark.parametrize("form", sorted(GOOD))
def test_good_meta_is_accepted(form):
    meta = {**GOOD[form], "area": "EAST-07", "date": "2026-02", "source": "paper",
            "paper_serial": make_paper_serial("VIS", 7)}
    assert validate_meta(f"{form}@1", form, meta) == {}


BAD = [
    ("visit", {"colour": "red"}, "meta.colour"),
    ("visit", {"present_count": 3}, "meta.present_count"),
    ("visit", {"anonymous": True}, "meta.anonymous"),
    ("visit", {"date": "2026-02-28"}, "meta.date"),  # a day is finer than the indicators need
    ("visit", {"date": "2026-13"}, "meta.date"),
    ("visit", {"date": "202602"}, "meta.date"),
    ("visit", {"contact_type": "telepathy"}, "meta.contact_type"),
    ("visit", {"area": "east 7"}, "meta.area"),
    ("visit", {"area": "E" * 40}, "meta.area"),
    ("visit", {"source": "fax"}, "meta.source"),
    ("visit", {"paper_serial": "VIS-000007-0"}, "meta.paper_serial"),
    ("assessment", {"scores": {"income": 3}}, "meta.scores"),
    ("household", {"target_groups": ["roma"]}, "meta.target_groups"),
    ("household", {"size_band": "3-4"}, "meta.size_band"),
    ("person", {"age_band": "65+"}, "meta.age_band"),
    ("person", {"sex": "female"}, "meta.sex"),
    ("referral", {"not_taken_up_reason": "documents"}, "meta.not_taken_up_reason"),
    ("referral", {"service_type": "health"}, "meta.service_type"),
    ("referral", {"status": "lost"}, "meta.status"),
    ("consent", {"status": ["given"]}, "meta.status"),
    ("review", {"decision": "approved"}, "meta.decision"),
    ("review", {"comment": "looks fine"}, "meta.comment"),
]


@pytest.mark.parametrize(("form", "meta", "field"), BAD)
def test_bad_meta_is_rejected_under_its_field_path(form, meta, field):
    errors = validate_meta(f"{form}@1", form, meta)
    assert field in errors
    assert all(str(v) not in " ".join(errors[field]) for v in meta.values() if isinstance(v, str))


def test_review_reports_nothing_and_needs_a_visit():
    review = load_registry().get("review@1").document
    # The decision and the comment travel only inside the ciphertext.
    assert review["reportable"] == {}
    fields = {f["id"]: f for f in review["fields"]}
    assert fields["visit_id"]["type"] == "record_ref"
    assert fields["visit_id"]["required"] is True
    assert [c["value"] for c in fields["decision"]["choices"]] == [
        "approved", "comment", "changes_requested"]


def test_schema_must_exist_and_match_the_record_type():
    assert "schema" in validate_meta("visit@9", "visit", {})
    assert "schema" in validate_meta("visit@1", "note", {})


@settings(max_examples=200)
@given(st.dictionaries(st.text(max_size=12), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3), max_leaves=8)),
    st.sampled_from(sorted(GOOD)))
def test_arbitrary_meta_never_raises(meta, form):
    result = validate_meta(f"{form}@1", form, meta)
    assert isinstance(result, dict)


def test_paper_serial_check_digit_catches_typos():
    serial = make_paper_serial("ASM", 1234)
    assert is_valid_paper_serial(serial)
    body, check = serial.rsplit("-", 1)
    assert not is_valid_paper_serial(f"{body}-{(int(check) + 1) % 10}")
    swapped = serial.replace("1234", "1324")
    assert not is_valid_paper_serial(swapped)
