"""The catalogs on disk: where each locale's .po is, which locales have one, how to read it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from outreach.i18n.chains import load_languages

# Whether a native speaker reviewed each catalog, or each string (outreach/i18n/review.py):
# translations made without one are shipped (better than English for a household) but listed
# as unreviewed by `flask i18n status` and marked on household printouts.
REVIEW_FILE = "review.json"


def po_path(locale: str, directory: Path) -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.po"


def catalog_locales(directory: Path) -> tuple[str, ...]:
    """The configured locales that have (or get) a catalog: all but English, the source."""
    return tuple(code for code in load_languages(directory).codes if code != "en")


def cldr_for(locale: str, directory: Path) -> str:
    """The locale whose CLDR data (plural rules) a catalog uses: itself, or the first of its
    chain that CLDR knows (Romani has no CLDR data)."""
    config = load_languages(directory)
    return config.cldr(config.chain(locale)).replace("-", "_")


def load(locale: str, directory: Path) -> Catalog:
    with po_path(locale, directory).open("rb") as handle:
        return read_po(handle, locale=cldr_for(locale, directory))


def translated(message: Message) -> bool:
    """Whether a reader sees this message translated: not fuzzy, every plural form filled."""
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(message.id) and not message.fuzzy and all(strings)


