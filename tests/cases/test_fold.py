"""Names folded for search and for the likely-match check (static/pwa/src/cases/fold.js)."""

from __future__ import annotations

from tests.fixtures.pwa_js import run_js


def test_search_folds_case_and_diacritics():
    found = run_js(
        "cases/fold.js",
        "pairs.map(([h, n]) => m.foldedIncludes(h, n))",
        pairs=[
            ["Ștefan Bălan", "Stefan"],
            ["Ştefan Bălan", "stefan bal"],
            ["Familia Rostaș", "ROSTAS"],
            ["Horváth Lőrinc", "lorinc"],
            ["Stefan Balan", "Ștefan"],
            ["Łukasz", "lukasz"],
        ],
    )
    assert found == [True] * 6
    assert run_js("cases/fold.js", "m.foldedIncludes('Familia Lakatos', 'Stefan')") is False


def test_cyrillic_folds_to_the_latin_spelling():
    keys = run_js(
        "cases/fold.js",
        "names.map(m.nameKey)",
        names=["Штефан Балан", "Ștefan Bălan", "Shtefan Balan", "Stefan  Balan"],
    )
    assert keys == ["stefan balan"] * 4
