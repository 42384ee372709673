"""Languages: which locales and chains (``chains``, from translations/languages.json),
negotiation (``negotiation``), the translation pipeline
(``catalogs``), the Babel extractor for form definitions (``extraction``) and the PWA's plural
rules (``plurals``).

The negotiation API is re-exported here because most of the server only needs that:
``from outreach.i18n import LOCALES, translator``.
"""

from outreach.i18n.negotiation import (
    CLDR_PARENT,
    FALLBACKS,
    LOCALES,
    RTL,
    available_locales,
    cldr_locale,
    language_name,
    languages,
    select_locale,
    text_direction,
    translate_document,
    translator,
)

__all__ = [
    "CLDR_PARENT",
    "FALLBACKS",
    "LOCALES",
    "RTL",
    "available_locales",
    "cldr_locale",
    "language_name",
    "languages",
    "select_locale",
    "text_direction",
    "translate_document",
    "translator",
]
