"""Languages: negotiation, fallback chains, text direction, and the household's language.

The worker's interface language and the household's output language are separate choices:
``select_locale`` negotiates the first (explicit choice, then Accept-Language, then the
organisation default); ``translator(locale)`` serves the second, e.g. for a printout.
"""

from __future__ import annotations

import copy
import gettext
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import current_app, g, request

from outreach.config import data_dir
from outreach.i18n.chains import Languages, cldr_known, load_languages
from outreach.i18n.extraction import TEXT_KEYS

# The shipped configuration (translations/languages.json); an app configured with another
# translations directory reads its own with `languages()`.
SHIPPED = load_languages(data_dir("translations", "translations"))
LOCALES = SHIPPED.codes
RTL = frozenset(code for code, lang in SHIPPED.locales.items() if lang.direction == "rtl")
# Derived views of the same file: where CLDR has no data (Romani), the locale whose dates,
# numbers and plural rules are used; and each locale's chain between itself and English.
CLDR_PARENT = {code: SHIPPED.cldr(SHIPPED.chain(code)) for code in LOCALES
               if not cldr_known(code)}
FALLBACKS = {code: SHIPPED.chain(code)[1:-1] for code in LOCALES if SHIPPED.chain(code)[1:-1]}


def languages(directory: Path | None = None) -> Languages:
    if directory is None:
        directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return load_languages(Path(directory))


def available_locales() -> list[str]:
    return list(languages().codes)


def select_locale() -> str:
    codes = languages().codes
    explicit = getattr(g, "user_locale", None)
    if explicit in codes:
        return str(explicit)
    return request.accept_languages.best_match(codes) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def text_direction(locale: str) -> str:
    return SHIPPED.direction(locale) if locale in SHIPPED.locales else (
        "rtl" if locale in RTL else "ltr")


def cldr_locale(locale: str, directory: Path | None = None) -> Locale:
    """Dates, numbers and language names: the first locale of the chain that CLDR knows."""
    config = SHIPPED if directory is None and not current_app else languages(directory)
    return Locale.parse(config.cldr(config.chain(locale)), sep="-")


def language_name(code: str, in_locale: str) -> str:
    """The name of a language as a reader of ``in_locale`` calls it (CLDR); in itself, its
    configured name (a Romani reader finds "Romani", not a Romanian word for it)."""
    config = languages() if current_app else SHIPPED
    own = config.locales[code].name if code in config.locales else code
    if in_locale == code:
        return own
    try:
        name = cldr_locale(in_locale).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or own


def _mo_file(directory: Path, locale: str) -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.mo"


@cache
def _translations(directory: Path, chain: tuple[str, ...]) -> gettext.NullTranslations:
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


def translator(locale: str | Sequence[str],
               directory: Path | None = None) -> Callable[[str], str]:
    """gettext along a chain (a locale's configured one, or a household's), string by string;
    for household-facing output."""
    if directory is None:
        directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    chain = (languages(directory).chain(locale) if isinstance(locale, str)
             else tuple(locale))
    return _translations(Path(directory), chain).gettext


def translate_document(document: Any, locale: str | Sequence[str],
                       directory: Path | None = None) -> Any:
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
