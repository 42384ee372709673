"""Languages: negotiation, fallback chains, text direction, and the household's language.

The worker's interface language and the household's output language are separate choices:
``select_locale`` negotiates the first (explicit choice, then Accept-Language, then the
organisation default); ``translator(locale)`` serves the second, e.g. for a printout.
"""

from __future__ import annotations

import copy
import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import current_app, g, request

from outreach.i18n.extraction import TEXT_KEYS

LOCALES = ("en", "nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom")
RTL = frozenset({"ar"})
# CLDR has no data for Romani: dates, numbers and language names follow a parent locale.
CLDR_PARENT = {"rom": "ro"}
# A dialect falls back to a standard, then to a second language, then to English (the msgid).
FALLBACKS: dict[str, tuple[str, ...]] = {"rom": ("ro",)}
ENDONYMS = {"rom": "Romani"}


def available_locales() -> list[str]:
    return list(LOCALES)


def select_locale() -> str:
    explicit = getattr(g, "user_locale", None)
    if explicit in LOCALES:
        return str(explicit)
    return request.accept_languages.best_match(LOCALES) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL else "ltr"


def cldr_locale(locale: str) -> Locale:
    try:
        return Locale.parse(CLDR_PARENT.get(locale, locale))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def language_name(code: str, in_locale: str) -> str:
    """The name of a language as a reader of ``in_locale`` calls it (CLDR)."""
    if code in ENDONYMS and in_locale == code:
        return ENDONYMS[code]
    try:
        name = cldr_locale(in_locale).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or ENDONYMS.get(code, code)


def _mo_file(directory: Path, locale: str) -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.mo"


@cache
def _translations(directory: Path, locale: str) -> gettext.NullTranslations:
    chain = [locale, *FALLBACKS.get(locale, ())]
    result: gettext.NullTranslations = gettext.NullTranslations()
    for name in reversed(chain):
        path = _mo_file(directory, name)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            loaded = gettext.GNUTranslations(handle)
        loaded.add_fallback(result)
        result = loaded
    return result


def translator(locale: str, directory: Path | None = None) -> Callable[[str], str]:
    """gettext for one locale, following its fallback chain; for household-facing output."""
    if directory is None:
        directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return _translations(Path(directory), locale).gettext


def translate_document(document: Any, locale: str, directory: Path | None = None) -> Any:
    """A copy of a form definition with every user-facing string in ``locale``."""
    _ = translator(locale, directory)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (_(v) if k in TEXT_KEYS and isinstance(v, str) and v else walk(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(copy.deepcopy(document))
