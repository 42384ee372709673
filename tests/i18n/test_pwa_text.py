"""The PWA's strings go through the same catalogs: `_()`/`ngettext()`/`_n()` are extracted from
its JavaScript, and no view writes user-visible text from a bare literal (see pwa_text.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from outreach.i18n import catalogs
from tests.i18n.pwa_text import scan, scan_tree

ROOT = Path(__file__).resolve().parents[2]
PWA_SRC = ROOT / "static" / "pwa" / "src"


def test_pwa_views_set_no_user_visible_text_from_a_literal():
    findings = scan_tree(PWA_SRC)
    assert [str(finding) for finding in findings] == []


@pytest.mark.parametrize(("snippet", "text"), [
    ('title.textContent = "Households";', "Households"),
    ("title.textContent = 'Households';", "Households"),
    ("status.textContent = `${count} waiting`;", " waiting"),
    ('error.textContent = online ? "Try again" : _("No connection");', "Try again"),
    ('form.querySelector("h1").textContent = "Log in";', "Log in"),
    ('document.title = "Outreach";', "Outreach"),
    ('select.append(new Option("Client", "client"));', "Client"),
    ('button.setAttribute("aria-label", "Close");', "Close"),
    ('search.placeholder = "Find a household";', "Find a household"),
    ('icon.title = "Waiting";', "Waiting"),
    ('h("button", { type: "button" }, "Save");', "Save"),
    ('h("input", { "aria-label": "Name" });', "Name"),
    ('h("input", { placeholder: "Name" });', "Name"),
    ('Object.assign(item, { textContent: "Approved" });', "Approved"),
    ('list.append(item, "Waiting");', "Waiting"),
    ('form.innerHTML = `<h1>Log in</h1>`;', "Log in"),
    ('form.innerHTML = `<input placeholder="Passphrase">`;', "Passphrase"),
])
def test_a_literal_that_bypasses_gettext_is_found(snippet, text):
    assert [finding.text for finding in scan(snippet)] == [text]


@pytest.mark.parametrize("snippet", [
    'title.textContent = _("Households");',
    'count.textContent = ngettext("{count} visit", "{count} visits", n);',
    'count.textContent = _n("{count} visit", "{count} visits", n);',
    'text.textContent = `${anchor.level} · ${_(anchor.label)}: ${_("Barriers")}`;',
    'item.append(open, " · ", plan, " — ", 3);',
    'h("label", { htmlFor: id, className: "check" }, _(field.label), required ? " *" : "");',
    'name.textContent = code === "rom" ? _("Romani") : names.of(code);',
    'if (icon.title === "Waiting") icon.hidden = true;',
    'params.append("team", team);',
    'select.append(new Option("—", ""));',
    'form.innerHTML = `<h1 id="title"></h1><input name="pin" pattern="[0-9]{4,12}">`;',
    '// title.textContent = "an old comment";',
    'open.textContent = household.display_name;',
])
def test_gettext_calls_separators_and_comparisons_are_not_flagged(snippet):
    assert scan(snippet) == []


def test_the_check_fails_on_a_view_with_a_bare_literal(tmp_path):
    views = tmp_path / "views"
    views.mkdir()
    (views / "good.js").write_text('heading.textContent = _("Households");\n')
    (views / "bad.js").write_text('import { _ } from "../i18n/index.js";\n\n'
                                  'heading.textContent = "Households";\n')
    findings = scan_tree(tmp_path)
    assert [(Path(f.path).name, f.line, f.text) for f in findings] == [
        ("bad.js", 3, "Households")]
    assert "bypasses _()" in str(findings[0])


def test_javascript_gettext_and_plural_calls_are_extracted(tmp_path):
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    views = tmp_path / "static" / "pwa" / "src" / "views"
    views.mkdir(parents=True)
    (views / "visits.js").write_text(
        'title.textContent = _("Visits");\n'
        'count.textContent = ngettext("{count} visit", "{count} visits", visits.length);\n'
        'queue.textContent = _n("{count} waiting", "{count} waiting to sync", queued.length);\n')
    template = catalogs.extract(tmp_path)
    assert {message.id for message in template if message.id} == {
        "Visits", ("{count} visit", "{count} visits"),
        ("{count} waiting", "{count} waiting to sync")}
    assert template["Visits"].locations == [("static/pwa/src/views/visits.js", 1)]


def test_the_real_pwa_is_in_the_catalog_template():
    template = catalogs.extract()
    sources = {filename for message in template for filename, _line in message.locations}
    assert any(name.startswith("static/pwa/src/views/") for name in sources)
