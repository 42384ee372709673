"""Review by a native speaker, string by string: what is unreviewed goes out as a .po file for a
translator, comes back with the entries they confirmed, and those are marked reviewed.

translations/review.json keeps, per locale, each reviewed msgid with a digest of the
translation the reviewer saw: a translation changed later is unreviewed again.
``{"ro": {"entries": {"Action plan": "3f2a…"}}}``; ``"reviewed": true`` on a locale marks the
whole catalog (every translation in it) reviewed.

The exchange file is ordinary gettext: every exported entry is flagged ``fuzzy`` ("needs
review", as Poedit and Weblate show it); the reviewer corrects the translation if needed and
clears the flag on each entry they confirm. Entries still fuzzy are not imported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from outreach.i18n.po import REVIEW_FILE, catalog_locales, cldr_for, load, po_path, translated

# Where strings that households read come from: the print views of the app, the paper forms
# and the form definitions printed on paper (everything but the app-only forms: the
# supervisor's review, the case's phase, the street contact and the take-up of a right, which
# the team writes in the app and no household reads).
HOUSEHOLD_SOURCES = ("static/pwa/src/print/", "outreach/paper/", "outreach/forms/definitions/")
NOT_HOUSEHOLD = ("outreach/forms/definitions/review@", "outreach/forms/definitions/phase@",
                 "outreach/forms/definitions/contact@", "outreach/forms/definitions/right@")


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def digest(message: Message) -> str:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return hashlib.sha256(json.dumps(list(strings), ensure_ascii=False).encode()).hexdigest()[:16]


def for_households(message: Message) -> bool:
    """Whether a household reads this string (on a printout, a paper form, consent)."""
    files = [filename for filename, _ in message.locations]
    return any(f.startswith(HOUSEHOLD_SOURCES) and not f.startswith(NOT_HOUSEHOLD)
               for f in files)


def load_review(directory: Path) -> dict[str, Any]:
    path = directory / REVIEW_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_review(directory: Path, data: dict[str, Any]) -> None:
    (directory / REVIEW_FILE).write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def is_reviewed(message: Message, locale_review: dict[str, Any]) -> bool:
    if not translated(message):
        return False
    if locale_review.get("reviewed"):
        return True
    return locale_review.get("entries", {}).get(key(message)) == digest(message)


def reviewed_keys(locale: str, directory: Path) -> list[str]:
    """The msgids of ``locale`` a native speaker confirmed, as they are translated now."""
    review = load_review(directory).get(locale, {})
    return sorted(key(m) for m in load(locale, directory) if m.id and is_reviewed(m, review))


def export_unreviewed(locale: str, directory: Path, out: IO[bytes],
                      households_only: bool = False) -> int:
    """Write every entry not yet reviewed (translated or not) as a .po file; returns how many."""
    catalog = load(locale, directory)
    review = load_review(directory).get(locale, {})
    exported = Catalog(locale=cldr_for(locale, directory), project="outreach",
                       charset="utf-8")
    count = 0
    for message in catalog:
        if not message.id or is_reviewed(message, review):
            continue
        if households_only and not for_households(message):
            continue
        exported.add(message.id, message.string, list(message.locations),
                     auto_comments=[*message.auto_comments,
                                    *(["read by households"] if for_households(message) else [])],
                     flags={"fuzzy"})
        count += 1
    write_po(out, exported, width=100, omit_header=False)
    return count


@dataclass(frozen=True)
class Imported:
    reviewed: int  # entries confirmed and marked reviewed
    changed: int  # of those, translations the reviewer corrected
    skipped: int  # still fuzzy, empty, or not in the catalog


def import_reviewed(locale: str, directory: Path, source: IO[bytes]) -> Imported:
    """Take the reviewer's file back: every confirmed entry (not fuzzy, translated) replaces
    the catalog's translation and is marked reviewed with the translation it confirms."""
    incoming = read_po(source, locale=cldr_for(locale, directory))
    catalog = load(locale, directory)
    data = load_review(directory)
    entries = data.setdefault(locale, {}).setdefault("entries", {})
    reviewed = changed = skipped = 0
    for message in incoming:
        if not message.id:
            continue
        existing = catalog.get(message.id)
        if existing is None or message.fuzzy or not translated(message):
            skipped += 1
            continue
        if existing.string != message.string:
            existing.string = message.string
            changed += 1
        existing.flags.discard("fuzzy")
        entries[key(existing)] = digest(existing)
        reviewed += 1
    with po_path(locale, directory).open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
    save_review(directory, data)
    return Imported(reviewed, changed, skipped)


@dataclass(frozen=True)
class Counts:
    total: int
    translated: int
    reviewed: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


@dataclass(frozen=True)
class ReviewStatus:
    locale: str
    interface: Counts
    households: Counts


def _counts(messages: Iterable[Message], review: dict[str, Any]) -> Counts:
    rows = list(messages)
    return Counts(len(rows), sum(1 for m in rows if translated(m)),
                  sum(1 for m in rows if is_reviewed(m, review)))


def review_status(directory: Path) -> list[ReviewStatus]:
    """Per locale: translated, reviewed and missing, for the interface (what workers read)
    and for household outputs (printouts, paper forms, consent) separately."""
    data = load_review(directory)
    rows = []
    for locale in catalog_locales(directory):
        if not po_path(locale, directory).exists():
            rows.append(ReviewStatus(locale, Counts(0, 0, 0), Counts(0, 0, 0)))
            continue
        messages = [m for m in load(locale, directory) if m.id]
        review = data.get(locale, {})
        rows.append(ReviewStatus(
            locale,
            interface=_counts((m for m in messages if not for_households(m)), review),
            households=_counts((m for m in messages if for_households(m)), review)))
    return rows
