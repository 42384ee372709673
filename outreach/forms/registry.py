"""Form definitions are data: versioned JSON files in ``definitions/``, loaded once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DEFINITIONS = Path(__file__).parent / "definitions"
FORM_IDS = ("household", "person", "visit", "assessment", "note", "plan", "referral", "consent",
            "review", "phase", "contact", "right")


class UnknownFormError(LookupError):
    pass


class BrokenFormError(RuntimeError):
    """A definition file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    schema: str
    reportable: Mapping[str, Any]
    document: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, eq=False)  # hashed by identity: validators are cached per registry
class FormRegistry:
    forms: Mapping[str, FormDefinition]

    def get(self, schema: str) -> FormDefinition:
        try:
            return self.forms[schema]
        except KeyError:
            raise UnknownFormError(schema) from None

    def all(self) -> list[FormDefinition]:
        return sorted(self.forms.values(), key=lambda f: (f.id, f.version))

    def latest(self) -> dict[str, FormDefinition]:
        newest: dict[str, FormDefinition] = {}
        for form in self.all():
            newest[form.id] = form
        return newest


def _load_file(path: Path) -> FormDefinition:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        schema = f"{document['id']}@{document['version']}"
        if document["schema"] != schema or path.stem != schema:
            raise BrokenFormError(f"{path.name}: schema must be {path.stem}")
        if not isinstance(document["version"], int) or document["version"] < 1:
            raise BrokenFormError(f"{path.name}: version must be a positive integer")
        if not isinstance(document.get("reportable"), dict):
            raise BrokenFormError(f"{path.name}: reportable must be an object")
        return FormDefinition(document["id"], document["version"], schema,
                              document["reportable"], document)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BrokenFormError(f"{path.name}: {exc}") from exc


def load_registry(path: Path | None = None) -> FormRegistry:
    return _load(path or DEFINITIONS)


@cache
def _load(path: Path) -> FormRegistry:
    forms = {f.schema: f for f in map(_load_file, sorted(path.glob("*@*.json")))}
    missing = set(FORM_IDS) - {f.id for f in forms.values()}
    if missing:
        raise BrokenFormError(f"no definition for {sorted(missing)} in {path}")
    return FormRegistry(forms)
