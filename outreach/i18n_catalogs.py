"""The translation pipeline: extract → update .po → compile (.mo for the server and PDFs,
JSON for the PWA) → status. Only .po files are committed; the rest is built."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from outreach.i18n import CLDR_PARENT, LOCALES

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "_n": (1, 2)}
# Whether a native speaker reviewed each catalog: translations made without one are shipped
# (better than English for a household) but listed as unreviewed by `flask i18n status`.
REVIEW_FILE = "review.json"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def extract(root: Path = ROOT) -> Catalog:
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="outreach", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def po_path(locale: str, directory: Path) -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str, directory: Path) -> Catalog:
    with po_path(locale, directory).open("rb") as handle:
        return read_po(handle, locale=CLDR_PARENT.get(locale, locale))


def update(template: Catalog, directory: Path) -> list[str]:
    """Create or update every locale's .po from the template; returns the locales written."""
    written = []
    for locale in LOCALES:
        if locale == "en":
            continue
        path = po_path(locale, directory)
        if path.exists():
            catalog = load(locale, directory)
            # No fuzzy guesses: a wrong guess ("No" → "Notitie") is worse than English.
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        else:
            catalog = Catalog(locale=CLDR_PARENT.get(locale, locale), project="outreach",
                              charset="utf-8")
            catalog.update(template)
        catalog.fuzzy = False
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        written.append(locale)
    return written


def reviewed(directory: Path) -> dict[str, bool]:
    path = directory / REVIEW_FILE
    data = json.loads(path.read_text()) if path.exists() else {}
    return {locale: bool(data.get(locale, {}).get("reviewed")) for locale in LOCALES}


def compile_all(directory: Path, json_dir: Path | None = None) -> dict[str, int]:
    """Write .mo next to each .po (and <locale>.json for the PWA); returns translated counts."""
    counts = {}
    for locale in LOCALES:
        if locale == "en" or not po_path(locale, directory).exists():
            continue
        catalog = load(locale, directory)
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        po_path(locale, directory).with_suffix(".mo").write_bytes(buffer.getvalue())
        messages = {m.id if isinstance(m.id, str) else m.id[0]: m.string
                    for m in catalog if m.id and m.string and not m.fuzzy}
        counts[locale] = len(messages)
        if json_dir is not None:
            json_dir.mkdir(parents=True, exist_ok=True)
            plural = get_plural(CLDR_PARENT.get(locale, locale))
            (json_dir / f"{locale}.json").write_text(json.dumps(
                {"locale": locale, "plural": {"count": plural.num_plurals,
                                              "rule": plural.plural_expr},
                 "messages": messages}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return counts


@dataclass(frozen=True)
class Status:
    locale: str
    translated: int
    total: int
    fuzzy: int
    reviewed: bool

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def status(directory: Path) -> list[Status]:
    rows = []
    review = reviewed(directory)
    for locale in LOCALES:
        if locale == "en":
            continue
        if not po_path(locale, directory).exists():
            rows.append(Status(locale, 0, 0, 0, False))
            continue
        catalog = load(locale, directory)
        messages = [m for m in catalog if m.id]
        rows.append(Status(
            locale,
            translated=sum(1 for m in messages if m.string and not m.fuzzy),
            total=len(messages),
            fuzzy=sum(1 for m in messages if m.fuzzy),
            reviewed=review[locale],
        ))
    return rows


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}
