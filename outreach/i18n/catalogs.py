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
from babel.messages.pofile import write_po

from outreach.i18n.chains import cldr_known, load_languages
from outreach.i18n.plurals import compile_rule
from outreach.i18n.po import REVIEW_FILE, catalog_locales, cldr_for, load, po_path, translated
from outreach.i18n.review import reviewed_keys

__all__ = ["REVIEW_FILE", "catalog_locales", "cldr_for", "load", "po_path", "translated"]

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "_n": (1, 2)}
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


def update(template: Catalog, directory: Path) -> list[str]:
    """Create or update every locale's .po from the template; returns the locales written."""
    written = []
    for locale in catalog_locales(directory):
        path = po_path(locale, directory)
        if path.exists():
            catalog = load(locale, directory)
            # No fuzzy guesses: a wrong guess ("No" → "Notitie") is worse than English.
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        else:
            catalog = Catalog(locale=cldr_for(locale, directory), project="outreach",
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
    return {locale: bool(data.get(locale, {}).get("reviewed"))
            for locale in catalog_locales(directory)}


def pwa_messages(catalog: Catalog) -> dict[str, str | list[str]]:
    """msgid → translation; a plural message is keyed by its singular and holds every form."""
    messages: dict[str, str | list[str]] = {}
    for message in catalog:
        if not translated(message):
            continue
        string = message.string or ""
        if isinstance(message.id, (list, tuple)):
            messages[message.id[0]] = list(string)
        else:
            messages[message.id] = string if isinstance(string, str) else list(string)
    return messages


def pwa_catalog(locale: str, catalogs: dict[str, Catalog]) -> dict[str, object]:
    """The PWA's JSON for ``locale``: its own messages and its plural rule as a tree (see
    plurals). The PWA looks a string up along the reader's chain, catalog by catalog, as
    the server's `translator` does, each plural message under its own catalog's rule."""
    catalog = catalogs[locale]
    return {"locale": locale,
            "plural": {"count": catalog.num_plurals, "expr": catalog.plural_expr,
                       "rule": compile_rule(catalog.plural_expr)},
            "messages": pwa_messages(catalog)}


def pwa_languages(directory: Path) -> dict[str, object]:
    """languages.json for the PWA: every configured locale with its own name, direction,
    chain, the locale for its dates and numbers, and whether a native speaker reviewed it."""
    config = load_languages(directory)
    review = reviewed(directory)
    return {"household_unreviewed": config.household_unreviewed,
            "locales": [{"code": code, "name": lang.name, "dir": lang.direction,
                         "parent": lang.parent, "next": list(lang.next),
                         "chain": list(config.chain(code)),
                         "cldr": config.cldr(config.chain(code)),
                         "cldr_known": cldr_known(code),
                         "catalog": code == "en" or po_path(code, directory).exists(),
                         "reviewed": code == "en" or review.get(code, False)}
                        for code, lang in config.locales.items()]}


def compile_all(directory: Path, json_dir: Path | None = None) -> dict[str, int]:
    """Write .mo next to each .po (and <locale>.json for the PWA); returns translated counts."""
    catalogs = {locale: load(locale, directory) for locale in catalog_locales(directory)
                if po_path(locale, directory).exists()}
    counts = {}
    for locale, catalog in catalogs.items():
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        po_path(locale, directory).with_suffix(".mo").write_bytes(buffer.getvalue())
        counts[locale] = sum(1 for message in catalog if translated(message))
        if json_dir is not None:
            json_dir.mkdir(parents=True, exist_ok=True)
            compiled = pwa_catalog(locale, catalogs)
            # What a native speaker confirmed: a household printout marks the rest.
            compiled["reviewed"] = reviewed_keys(locale, directory)
            (json_dir / f"{locale}.json").write_text(json.dumps(
                compiled, ensure_ascii=False, sort_keys=True),
                encoding="utf-8")
    if json_dir is not None:
        json_dir.mkdir(parents=True, exist_ok=True)
        (json_dir / "languages.json").write_text(json.dumps(
            pwa_languages(directory), ensure_ascii=False, sort_keys=True), encoding="utf-8")
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
    for locale in catalog_locales(directory):
        if not po_path(locale, directory).exists():
            rows.append(Status(locale, 0, 0, 0, False))
            continue
        catalog = load(locale, directory)
        messages = [m for m in catalog if m.id]
        rows.append(Status(
            locale,
            translated=sum(1 for m in messages if translated(m)),
            total=len(messages),
            fuzzy=sum(1 for m in messages if m.fuzzy),
            reviewed=review[locale],
        ))
    return rows


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@dataclass(frozen=True)
class Missing:
    """A string a locale's readers see in English (or in a fallback language)."""

    msgid: str
    plural: str | None
    where: tuple[str, ...]
    in_catalog: bool  # False: extracted from the source, not yet in the .po (run extract)


def missing(template: Catalog, directory: Path,
            locales: tuple[str, ...] = ()) -> dict[str, list[Missing]]:
    """Per locale, every string of the current source (server, form definitions, PWA) that
    its .po does not translate, in extraction order."""
    result = {}
    for locale in locales or catalog_locales(directory):
        path = po_path(locale, directory)
        catalog = (load(locale, directory) if path.exists()
                   else Catalog(locale=cldr_for(locale, directory)))
        rows = []
        for message in template:
            if not message.id:
                continue
            existing = catalog.get(message.id)
            plural = isinstance(message.id, (list, tuple))
            if (existing is not None and translated(existing)
                    and isinstance(existing.id, (list, tuple)) == plural):
                continue
            # Code says file and line; a form definition's string (line 0) which form and field.
            where = (*message.auto_comments,
                     *(f"{filename}:{lineno}" for filename, lineno in message.locations if lineno))
            ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
            rows.append(Missing(ids[0], ids[1] if plural else None, where,
                                in_catalog=existing is not None))
        result[locale] = rows
    return result
