"""The clear ``meta`` of a record, as the PWA builds it (``static/pwa/src/forms/definitions.js``,
``metaFor``): the common fields and the form's reportable fields, nothing else. Used where
Python seals records (the demo, the tests); the server never builds meta, it only checks it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from outreach.forms.registry import FormDefinition


def clear_meta(form: FormDefinition, plaintext: Mapping[str, Any], *, area: str | None,
               day: str, source: str = "app") -> dict[str, Any]:
    """``day`` is the form's date (YYYY-MM-DD); only its month travels in the clear."""
    meta: dict[str, Any] = {"source": source, "date": day[:7]}
    if area:
        meta["area"] = area
    for name in form.reportable:
        value = plaintext.get(name)
        if value not in (None, "", [], {}):
            meta[name] = value
    return meta


def reported_area(area: str | None, households: Mapping[str, int],
                  parents: Mapping[str, str | None], minimum: int) -> str | None:
    """The area a record writes in the clear: ``area`` itself when the team knows at least
    ``minimum`` households in it (its sub-areas included), else the nearest parent that does,
    else none. The PWA's ``reportedArea`` (``static/pwa/src/forms/areas.js``) is the same rule.

    ``households`` counts households per area they were last seen in; ``parents`` maps an area
    code to its parent's code."""
    sizes: dict[str, int] = {}
    for place, count in households.items():
        seen: set[str] = set()
        node: str | None = place
        while node is not None and node not in seen:  # an area counts its sub-areas
            seen.add(node)
            sizes[node] = sizes.get(node, 0) + count
            node = parents.get(node)
    node, seen = area, set()
    while node is not None and sizes.get(node, 0) < minimum and node not in seen:
        seen.add(node)
        node = parents.get(node)
    return node
