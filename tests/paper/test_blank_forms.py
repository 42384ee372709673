"""Numbered blank forms: every form renders, QR codes decode to their serials, serials are
registered, unique, entered once, and the unentered ones are listed for the supervisor."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from outreach.forms.registry import FORM_IDS, load_registry
from outreach.forms.serials import is_valid_paper_serial
from outreach.paper.service import PAPER_FORMS


def qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=2.5).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    return found


def fetch(world, session, form, **params):
    query = {"team": "east", **params}
    return world.client.get(f"/paper/forms/{form}.pdf", query_string=query,
                            headers=session.headers)


def test_every_form_is_on_paper_except_the_app_only_ones():
    # A new form must decide whether it has a paper version (and a serial prefix). A review is a
    # supervisor's decision made in the app, over a visit already synced. A change of phase, a
    # street contact and a right's take-up happen where there is no phone, too (issue 15).
    assert set(FORM_IDS) - set(PAPER_FORMS) == {"review"}
    assert set(PAPER_FORMS) <= set(FORM_IDS)


def sheet_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_assessment_sheet_asks_the_households_confidence_and_coping_on_a_scale(world):
    definition = load_registry().get("assessment@1").document
    text = sheet_text(fetch(world, world.login("worker1"), "assessment").get_data())
    assert definition["empowerment"], "the assessment asks for self-reported empowerment"
    for question in definition["empowerment"]:
        assert question["label"] in text
    # The scale's levels follow the last question: 1 … 5 to tick.
    tail = text.split(definition["empowerment"][-1]["label"], 1)[1]
    assert tail.split()[:5] == ["1", "2", "3", "4", "5"]


def test_right_sheet_lists_the_regions_rights_in_the_households_language(world):
    from outreach.paper.service import right_choices
    from outreach.teams.catalogue import load_rights
    from tests.api.test_teams import DEFAULT

    rights = load_rights(DEFAULT)
    assert rights
    english = sheet_text(fetch(world, world.login("worker1"), "right").get_data())
    romanian = sheet_text(fetch(world, world.login("worker1"), "right", lang="ro").get_data())
    for right in rights:
        assert " ".join(right["name"].split()) in english
    for choice in right_choices(rights, "ro"):
        assert " ".join(choice["label"].split()) in romanian
    assert "Alocația pentru copii" in romanian  # the catalogue's own Romanian name


@pytest.mark.parametrize("form", PAPER_FORMS)
def test_every_form_renders_with_labels_and_a_decodable_serial(world, form):
    supervisor = world.login("supervisor1")
    response = fetch(world, supervisor, form, copies=2)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = response.get_data()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    definition = load_registry().latest()[form].document
    assert definition["title"] in text
    for field in definition["fields"][:3]:
        if field["type"] not in ("domain_scores", "domain_barriers"):
            assert field["label"] in text
    codes = qr_codes(pdf)
    serials = [code.rsplit(":", 1)[1] for code in codes]
    assert len(set(serials)) == 2
    assert all(code.startswith(f"outreach:1:{definition['schema']}:en:") for code in codes)
    assert all(is_valid_paper_serial(s) and s in text for s in serials)


def test_assessment_sheet_has_every_domain_and_anchor(world):
    pdf = fetch(world, world.login("worker1"), "assessment").get_data()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for domain in load_registry().get("assessment@1").document["domains"]:
        assert domain["label"] in text
        for anchor in domain["anchors"]:
            assert " ".join(anchor["description"].split()) in text


def test_kit_serials_are_unique_registered_and_listed_until_entered(world):
    supervisor = world.login("supervisor1")
    pdf = fetch(world, supervisor, "kit", copies=3, size="letter", large="true").get_data()
    serials = [code.rsplit(":", 1)[1] for code in qr_codes(pdf)]
    assert len(serials) == len(set(serials)) == 12
    again = fetch(world, supervisor, "visit", copies=2).get_data()
    assert not set(serials) & {code.rsplit(":", 1)[1] for code in qr_codes(again)}
    open_list = world.client.get("/api/v1/teams/east/paper-serials",
                                 headers=supervisor.headers).get_json()["serials"]
    assert len(open_list) == 14
    visit_serial = next(s for s in serials if s.startswith("VIS-"))
    worker = world.login("worker1")
    env = worker.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                     "paper_serial": visit_serial})
    assert worker.sync(push=[env]).get_json()["results"][0]["status"] == "accepted"
    twice = worker.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                       "paper_serial": visit_serial})
    (result,) = worker.sync(push=[twice]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/paper-serial-used"
    open_list = world.client.get("/api/v1/teams/east/paper-serials",
                                 headers=supervisor.headers).get_json()["serials"]
    assert visit_serial not in {s["serial"] for s in open_list}
    assert len(open_list) == 13
    pulled = world.login("supervisor1").pull_all()
    assert [e["meta"]["source"] for e in pulled] == ["paper"]


def test_other_teams_and_workers_are_refused(world):
    worker3 = world.login("worker3")
    assert fetch(world, worker3, "visit").status_code == 403
    worker1 = world.login("worker1")
    assert world.client.get("/api/v1/teams/east/paper-serials",
                            headers=worker1.headers).status_code == 403
    assert fetch(world, worker1, "diary").status_code == 404
    assert fetch(world, world.login("supervisor1"), "review").status_code == 404
    response = fetch(world, worker1, "visit", copies=500)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_cli_writes_a_kit(world, tmp_path):
    out = tmp_path / "kit.pdf"
    result = world.app.test_cli_runner().invoke(
        args=["paper", "kit", "--team", "west", "--copies", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(qr_codes(out.read_bytes())) == 8


def test_init_prints_a_recovery_sheet_whose_qr_restores_the_key(app, tmp_path):
    from outreach import crypto

    key_file = tmp_path / "recovery.pem"
    result = app.test_cli_runner().invoke(args=[
        "init", "--slug", "o", "--name", "Ștefan's outreach", "--recovery-key-file",
        str(key_file)])
    assert result.exit_code == 0, result.output
    sheet = (tmp_path / "recovery.pdf").read_bytes()
    (code,) = qr_codes(sheet)
    private = crypto.load_private_key_pem(key_file.read_bytes())
    assert crypto.recovery_key_from_words(code).private_numbers() == private.private_numbers()
    text = PdfReader(io.BytesIO(sheet)).pages[0].extract_text()
    assert "Ștefan's outreach" in text
    assert all(word in text for word in code.split())


ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parents[1] / "artifacts"


def test_romanian_kit_page_is_rendered_for_the_readme(world):
    """Renders the first assessment page of a Romanian kit to tests/artifacts/ (the README's
    picture is a copy of it, made by this test rather than drawn)."""
    pdf = fetch(world, world.login("worker1"), "assessment", lang="ro").get_data()
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=1.2).to_pil()
    ARTIFACTS.mkdir(exist_ok=True)
    page.save(ARTIFACTS / "paper-assessment-ro.png")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Evaluarea nevoilor" in text
    assert len(qr_codes(pdf)) == 1


def test_plan_sheet_asks_satisfaction_confidence_and_coping_on_a_scale(world):
    """The paper follow-up (the plan's review) has a way in for the household's own view: the
    same questions as the app's plan screen, each with its levels to tick."""
    plan = load_registry().latest()["plan"].document
    satisfaction = next(f for f in plan["fields"] if f["id"] == "satisfaction")
    questions = load_registry().get("assessment@1").document["empowerment"]
    text = sheet_text(fetch(world, world.login("worker1"), "plan").get_data())
    for label in [satisfaction["label"], *(q["label"] for q in questions)]:
        assert label in text
        assert text.split(label, 1)[1].split()[:5] == ["1", "2", "3", "4", "5"], label
