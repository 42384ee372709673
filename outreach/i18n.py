"""Locale negotiation: the user's explicit choice, then Accept-Language, then the default."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g, request


def available_locales() -> list[str]:
    directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    found = [p.name for p in directory.iterdir() if (p / "LC_MESSAGES").is_dir()]
    return sorted({"en", *found})


def select_locale() -> str | None:
    explicit = getattr(g, "user_locale", None)
    locales = available_locales()
    if explicit and explicit in locales:
        return explicit
    return request.accept_languages.best_match(locales) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]
