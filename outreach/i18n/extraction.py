"""Babel extractor for form definitions: their user-facing strings go into the same catalogs as
the server's and the app's, so one command (`flask i18n status`) shows what is missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

# Keys whose string values are shown to workers or households.
TEXT_KEYS = frozenset({"title", "description", "label", "help"})


def form_strings(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every translatable string of a form definition, in document order."""
    if isinstance(document, dict):
        for key, value in document.items():
            where = f"{path}.{key}" if path else key
            if key in TEXT_KEYS and isinstance(value, str) and value:
                yield where, value
            else:
                yield from form_strings(value, where)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from form_strings(value, f"{path}[{index}]")


def extract_form_definition(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    document = json.load(fileobj)
    for where, text in form_strings(document):
        yield 0, "", text, [f"form {document.get('schema', '?')}: {where}"]
