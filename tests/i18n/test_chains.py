"""Fallback chains as data: a household's strings come, one by one, from the first locale of
its chain that has them; a new dialect is a catalog and a line of configuration."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from pypdf import PdfReader

from outreach.i18n import catalogs
from outreach.i18n.chains import BrokenLanguagesError, load_languages
from outreach.i18n.negotiation import translate_document, translator
from tests.fixtures.pwa_js import run_js
from tests.fixtures.world import build_world

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "translations"
# Strings of the printed consent sheet the Vlax catalog translates; everything else it lacks.
VLAX = {"Consent": "Mukhipe (vlax)", "Date": "Datumo (vlax)", "Photos": "Fotografiji (vlax)"}


def configure(directory: Path, extra: dict[str, dict]) -> None:
    config = json.loads((SHIPPED / "languages.json").read_text())
    config["locales"].update(extra)
    (directory / "languages.json").write_text(json.dumps(config, ensure_ascii=False))


def write_catalog(directory: Path, locale: str, strings: dict[str, str], cldr: str) -> None:
    catalog = Catalog(locale=cldr, project="outreach", charset="utf-8")
    for msgid, text in strings.items():
        catalog.add(msgid, text)
    path = catalogs.po_path(locale, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture
def vlax(tmp_path) -> Path:
    """Hungarian as shipped and a partial Vlax Romani catalog: rom-x-vlax → hu → en."""
    directory = tmp_path / "translations"
    shutil.copytree(SHIPPED / "hu", directory / "hu")
    configure(directory, {"rom-x-vlax": {"name": "Romani (Vlax)", "next": ["hu"]}})
    write_catalog(directory, "rom-x-vlax", VLAX, "hu")
    catalogs.compile_all(directory)
    return directory


def hungarian() -> dict[str, str]:
    with (SHIPPED / "hu" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


def test_the_household_chain_is_dialect_standard_second_language_then_the_organisations():
    shipped = load_languages(SHIPPED)
    assert shipped.chain("rom") == ("rom", "ro", "en")
    assert shipped.chain("rom", "hu") == ("rom", "hu", "ro", "en")  # a Romani household in Hungary
    assert shipped.chain("ar", "nl") == ("ar", "nl", "en")
    assert shipped.chain("en", "ro") == ("en",)  # English is the msgid: nothing after it
    assert shipped.cldr(shipped.chain("rom", "hu")) == "hu"  # CLDR has no Romani


def test_every_printed_string_comes_from_the_first_locale_of_the_chain_that_has_it(vlax):
    languages = load_languages(vlax)
    chain = languages.chain("rom-x-vlax")
    assert chain == ("rom-x-vlax", "hu", "en")
    _ = translator(chain, vlax)
    magyar = hungarian()
    from outreach.forms.registry import load_registry

    consent = translate_document(load_registry().get("consent@1").document, chain, vlax)
    labels = [consent["title"], *(f["label"] for f in consent["fields"])]
    english = [load_registry().get("consent@1").document["title"],
               *(f["label"] for f in load_registry().get("consent@1").document["fields"])]
    for source, shown in zip(english, labels, strict=True):
        expected = VLAX.get(source) or magyar.get(source) or source
        assert shown == expected, source
    assert _("Photos") == VLAX["Photos"]
    assert _("Our goals, in our own words") == magyar["Our goals, in our own words"]
    # No English where Hungarian has the string.
    assert not [s for s in english if s in magyar and s in labels]


def test_the_printed_consent_sheet_follows_the_chain_string_by_string(make_app, vlax):
    world = build_world(make_app(translations_dir=vlax))
    response = world.client.get("/paper/forms/consent.pdf",
                                query_string={"team": "east", "lang": "rom-x-vlax"},
                                headers=world.login("worker1").headers)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    magyar = hungarian()
    assert VLAX["Consent"] in text
    assert magyar["How consent was given"] in text
    assert "How consent was given" not in text


def test_a_new_dialect_is_a_catalog_and_a_line_of_configuration(make_app, tmp_path):
    directory = tmp_path / "translations"
    shutil.copytree(SHIPPED, directory)
    configure(directory, {"rmc": {"name": "Romani (Karpatiko)", "parent": "rom", "next": ["sk"]}})
    write_catalog(directory, "rmc", {"Action plan": "Plano (karpatiko)", "Consent": "Mukľiben"},
                  "sk")
    json_dir = tmp_path / "json"
    catalogs.compile_all(directory, json_dir)
    # The PWA's language choices and chains are this file: the dialect is offered by its name.
    offered = json.loads((json_dir / "languages.json").read_text())["locales"]
    carpathian = next(x for x in offered if x["code"] == "rmc")
    assert carpathian["name"] == "Romani (Karpatiko)"
    # Its own next (Slovak) before the standard's (Romanian).
    assert carpathian["chain"] == ["rmc", "rom", "sk", "ro", "en"]
    assert (json_dir / "rmc.json").exists()
    world = build_world(make_app(translations_dir=directory))
    assert world.client.get("/api/v1/forms?lang=rmc").status_code == 200
    response = world.client.get("/paper/forms/consent.pdf",
                                query_string={"team": "east", "lang": "rmc"},
                                headers=world.login("worker1").headers)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "Mukľiben" in text


def test_a_chain_to_an_unconfigured_locale_is_refused_naming_it(tmp_path):
    configure(tmp_path, {"rmy": {"name": "Romani", "next": ["xx"]}})
    load_languages.cache_clear()
    with pytest.raises(BrokenLanguagesError, match="'xx'"):
        load_languages(tmp_path)


def test_the_pwa_computes_the_same_chains_as_the_server():
    languages = load_languages(SHIPPED)
    rows = catalogs.pwa_languages(SHIPPED)["locales"]
    pairs = [(a, b) for a in languages.codes for b in (None, *languages.codes)]
    chains = run_js("i18n/chain.js", "pairs.map(([a, b]) => m.chainOf(rows, a, b))",
                    rows=rows, pairs=pairs)
    assert chains == [list(languages.chain(a, b)) for a, b in pairs]
