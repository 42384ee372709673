"""Plural forms: the PWA picks the same form as the server's gettext, for every shipped locale."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from outreach.i18n import CLDR_PARENT, LOCALES, catalogs
from outreach.i18n.plurals import compile_rule, evaluate
from tests.fixtures.pwa_js import run_js

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "translations"
SHIPPED = [locale for locale in LOCALES if locale != "en"]
COUNTS = range(201)
VISITS = ("{count} visit", "{count} visits")


def write_catalog(directory: Path, locale: str, catalog: Catalog) -> None:
    path = catalogs.po_path(locale, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def shipped_with_plural(locale: str, directory: Path) -> None:
    """The shipped catalog (its own Plural-Forms header) plus one plural message whose form i
    reads "form i", so the chosen form is visible in the output."""
    catalog = catalogs.load(locale, DIRECTORY)
    catalog.add(VISITS, tuple(f"form {i}: {{count}}" for i in range(catalog.num_plurals)))
    write_catalog(directory, locale, catalog)


def server(directory: Path, locale: str) -> gettext.GNUTranslations:
    with catalogs.po_path(locale, directory).with_suffix(".mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def node_ngettext(catalog: dict[str, object] | None, calls: list[int]) -> object:
    return run_js("i18n/index.js", """(() => {
        m.useCatalog(catalog);
        return { forms: calls.map((n) => m.ngettext(visits[0], visits[1], n)),
                 alias: m._n === m.ngettext, singular: m._(visits[0], { count: 7 }) };
    })()""", catalog=catalog, calls=calls, visits=VISITS)


@pytest.mark.parametrize("locale", SHIPPED)
def test_pwa_picks_the_same_plural_form_as_server_gettext(locale, tmp_path):
    directory, json_dir = tmp_path / "translations", tmp_path / "json"
    shipped_with_plural(locale, directory)
    catalogs.compile_all(directory, json_dir)
    compiled = json.loads((json_dir / f"{locale}.json").read_text())
    rule, forms = compiled["plural"]["rule"], compiled["messages"][VISITS[0]]
    gnu = server(directory, locale)
    cldr = gettext.c2py(get_plural(CLDR_PARENT.get(locale, locale)).plural_expr)

    for n in COUNTS:
        index = evaluate(rule, n)  # what plural.js computes, step for step
        assert index == gnu.plural(n) == cldr(n), (locale, n)
        assert forms[index] == gnu.ngettext(*VISITS, n)

    # The JavaScript itself, when node is there to run it.
    result = node_ngettext(compiled, list(COUNTS))
    assert result["forms"] == [gnu.ngettext(*VISITS, n).format(count=n) for n in COUNTS]
    assert result["alias"] is True
    # gettext() of a plural message gives the msgid, as Python's gettext does.
    assert result["singular"] == "7 visit"


def test_english_and_untranslated_plurals_use_the_english_rule():
    result = node_ngettext(None, [0, 1, 2, 21])
    assert result["forms"] == ["0 visits", "1 visit", "2 visits", "21 visits"]


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_shipped_json_carries_a_working_plural_rule(locale, tmp_path):
    catalogs.compile_all(DIRECTORY, tmp_path)
    plural = json.loads((tmp_path / f"{locale}.json").read_text())["plural"]
    # The JSON carries the catalog's own Plural-Forms header, read here by Babel directly...
    with (DIRECTORY / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        header = read_po(handle)
    assert plural["expr"] == header.plural_expr
    assert plural["count"] == header.num_plurals
    # ...and a tree that chooses what Python's own C-expression evaluator chooses for it.
    python = gettext.c2py(header.plural_expr)
    assert [evaluate(plural["rule"], n) for n in COUNTS] == [python(n) for n in COUNTS]
    assert {evaluate(plural["rule"], n) for n in COUNTS} == set(range(plural["count"]))


def test_romani_json_uses_the_romanian_rule_and_holds_its_own_messages(tmp_path):
    directory, json_dir = tmp_path / "translations", tmp_path / "json"
    romanian = Catalog(locale="ro")
    romanian.add("Save", "Salvează")
    romanian.add(VISITS, ("o vizită", "{count} vizite", "{count} de vizite"))
    write_catalog(directory, "ro", romanian)
    romani = Catalog(locale=CLDR_PARENT["rom"])
    romani.add("Save", "")
    romani.add("Household", "Kher")
    write_catalog(directory, "rom", romani)
    catalogs.compile_all(directory, json_dir)

    compiled = json.loads((json_dir / "rom.json").read_text())
    assert compiled["plural"]["rule"] == compile_rule(get_plural("ro").plural_expr)
    # Its own strings only: the PWA looks each string up along the reader's chain
    # (rom → ro → en), every plural message under its own catalog's rule.
    assert compiled["messages"] == {"Household": "Kher"}
    languages = json.loads((json_dir / "languages.json").read_text())
    assert next(x for x in languages["locales"] if x["code"] == "rom")["chain"] == [
        "rom", "ro", "en"]


def test_an_untranslated_plural_is_neither_shipped_nor_counted(tmp_path):
    directory, json_dir = tmp_path / "translations", tmp_path / "json"
    catalog = Catalog(locale="cs")
    catalog.add(VISITS, ("{count} návštěva", "", ""))
    catalog.add("Save", "Uložit")
    write_catalog(directory, "cs", catalog)
    assert catalogs.compile_all(directory, json_dir) == {"cs": 1}
    assert json.loads((json_dir / "cs.json").read_text())["messages"] == {"Save": "Uložit"}
    row = next(row for row in catalogs.status(directory) if row.locale == "cs")
    assert (row.translated, row.total) == (1, 2)


@pytest.mark.parametrize("expr", [
    "__import__('os').system('x')", "n; alert(1)", "(n != 1", "n ? 1", "m == 1", "n == 1 2",
])
def test_a_plural_expression_is_data_not_code(expr):
    with pytest.raises(ValueError, match="plural"):
        compile_rule(expr)


def test_plural_rules_follow_c_semantics():
    assert compile_rule("(n != 1);") == ["!=", "n", 1]
    rule = compile_rule("n%10==1 && n%100!=11 ? 0 : !(n/10 - 1) ? 1 : 2")
    assert [evaluate(rule, n) for n in (1, 11, 21, 15, 2)] == [0, 1, 0, 1, 2]
