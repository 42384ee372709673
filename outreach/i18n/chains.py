"""Languages as data: which locales exist, what each is called in itself, and the chains a
reader's strings fall back along (translations/languages.json, one line per locale).

A household reads ``chain(first, second)``: its first language, the standard that language is
a dialect of (``parent``), its second language (with that one's own chain), the organisation's
``next`` languages for the first, then English (the msgid). Every string is looked up along it,
string by string, so a partial catalog shows what it has and the next language fills the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from outreach.schema_fields import LANGUAGE_RE

CONFIG_FILE = "languages.json"
SHIPPED_DIRECTORY = Path(__file__).resolve().parents[2] / "translations"
SOURCE = "en"
# BCP 47 as far as we need it (schema_fields.LANGUAGE_RE): a 2-3 letter language and subtags,
# including private use (rom-x-vlax) for varieties that have no code of their own.
TAG = LANGUAGE_RE


class BrokenLanguagesError(RuntimeError):
    """A languages file that cannot be used; the message names the file and the fault."""


def cldr_known(tag: str) -> bool:
    """Whether CLDR (Babel's copy) has data for the tag: dates, numbers, plural categories."""
    if "-x-" in tag or tag.startswith("x-"):
        return False
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, so anyone finds their own
    direction: str
    parent: str | None
    next: tuple[str, ...]


@dataclass(frozen=True)
class Languages:
    locales: dict[str, Language]
    household_unreviewed: bool

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.locales)

    def _family(self, code: str) -> list[str]:
        """The locale and the standards it is a dialect of (rom-x-vlax, rom)."""
        family: list[str] = []
        while code and code not in family and code in self.locales:
            family.append(code)
            code = self.locales[code].parent or ""
        return family

    def _own(self, code: str, seen: list[str]) -> None:
        seen.extend(c for c in self._family(code) if c not in seen)

    def _walk(self, code: str, seen: list[str], visiting: frozenset[str] = frozenset()) -> None:
        """code, its parents, then each of its (and its parents') next languages' chains."""
        family = self._family(code)
        self._own(code, seen)
        for own in family:
            for following in self.locales[own].next:
                if following not in visiting:
                    self._walk(following, seen, visiting | {code})

    def chain(self, first: str | None, second: str | None = None) -> tuple[str, ...]:
        """The locales a reader's strings are looked up in, best first, ending in English."""
        seen: list[str] = []
        if first in self.locales:
            self._own(first, seen)
        if second in self.locales:
            self._walk(second, seen)
        if first in self.locales:
            self._walk(first, seen)
        if SOURCE not in seen:
            seen.append(SOURCE)
        # English is the msgid: nothing after it is ever looked up.
        return tuple(seen[:seen.index(SOURCE) + 1])

    def cldr(self, chain: tuple[str, ...]) -> str:
        """Dates and numbers: the first locale of the chain that CLDR knows."""
        return next((code for code in chain if cldr_known(code)), SOURCE)

    def direction(self, code: str) -> str:
        language = self.locales.get(code)
        return language.direction if language else "ltr"


def _language(path: Path, code: str, entry: object, codes: set[str]) -> Language:
    if not TAG.match(code):
        raise BrokenLanguagesError(f"{path}: {code!r} is not a BCP 47 tag (e.g. rom, rmy, "
                                   "rom-x-vlax)")
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise BrokenLanguagesError(f"{path}: locales.{code} needs a name")
    unknown = set(entry) - {"name", "dir", "parent", "next"}
    if unknown:
        raise BrokenLanguagesError(f"{path}: locales.{code}: unknown keys {sorted(unknown)}")
    parent = entry.get("parent")
    following = tuple(entry.get("next", ()))
    for other in (*following, *([parent] if parent else [])):
        if other not in codes:
            raise BrokenLanguagesError(f"{path}: locales.{code} falls back to {other!r}, "
                                       "which is not configured")
    direction = entry.get("dir", "ltr")
    if direction not in ("ltr", "rtl"):
        raise BrokenLanguagesError(f"{path}: locales.{code}.dir must be ltr or rtl")
    return Language(code, entry["name"], direction, parent, following)


@cache
def load_languages(directory: Path) -> Languages:
    """The languages configured beside the catalogs in ``directory``, validated once; a
    directory without its own configuration uses the shipped one."""
    path = Path(directory) / CONFIG_FILE
    if not path.exists():
        path = SHIPPED_DIRECTORY / CONFIG_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["locales"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BrokenLanguagesError(f"{path}: {exc}") from exc
    if SOURCE not in entries:
        raise BrokenLanguagesError(f"{path}: English ({SOURCE}), the source, must be listed")
    locales = {code: _language(path, code, entry, set(entries))
               for code, entry in entries.items()}
    return Languages(locales, bool(document.get("household_unreviewed", True)))
