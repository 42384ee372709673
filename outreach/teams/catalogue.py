"""The referral catalogue: the services a region's teams refer households to.

It is data, not code: a JSON file (``catalogues/default.json`` is a fictional demo), chosen per
deployment with ``OUTREACH_REFERRAL_CATALOGUE``. Every ``service_type`` must be one the referral
form reports, so a referral made from the catalogue always has valid ``meta``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from outreach.forms.registry import load_registry
from outreach.teams.schemas import CatalogueFileSchema


class BrokenCatalogueError(RuntimeError):
    """A catalogue file that cannot be used; the message names the file and the fault."""


def referral_service_types() -> frozenset[str]:
    # The form's choices, not its clear meta: the kind of service stays inside the ciphertext.
    referral = load_registry().latest()["referral"]
    field = next(f for f in referral.document["fields"] if f["id"] == "service_type")
    return frozenset(choice["value"] for choice in field["choices"])


@cache
def load_catalogue(path: Path) -> tuple[dict[str, Any], ...]:
    """The services of the catalogue at ``path``, validated once and cached per path."""
    return _load(path)[0]


@cache
def load_rights(path: Path) -> tuple[dict[str, Any], ...]:
    """The region's rights and benefits from the same file (none when it lists none)."""
    return _load(path)[1]


@cache
def _load(path: Path) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    try:
        document = CatalogueFileSchema().load(json.loads(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise BrokenCatalogueError(f"{path}: {exc.messages}") from exc
    except (OSError, ValueError) as exc:
        raise BrokenCatalogueError(f"{path}: {exc}") from exc
    services = document["services"]
    allowed = referral_service_types()
    for index, service in enumerate(services):
        if service["service_type"] not in allowed:
            raise BrokenCatalogueError(
                f"{path}: services.{index}.service_type is not a service_type of the "
                f"referral form ({', '.join(sorted(allowed))})")
    ids = [s["id"] for s in services]
    if len(set(ids)) != len(ids):
        raise BrokenCatalogueError(f"{path}: service ids must be unique")
    rights = document["rights"]
    if len({r["id"] for r in rights}) != len(rights):
        raise BrokenCatalogueError(f"{path}: right ids must be unique")
    return tuple(services), tuple(rights)
