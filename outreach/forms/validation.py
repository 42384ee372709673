"""Validation of an envelope's clear-text ``meta`` against its form definition.

Runs for every pushed envelope, so validators are compiled once per schema into closures. Error
messages never repeat the offending value: a misplaced name must not end up in a log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

from outreach.forms.registry import FormRegistry, UnknownFormError, load_registry
from outreach.forms.serials import SERIAL_PATTERN, is_valid_paper_serial

Check = Callable[[Any], str | None]

COMMON: dict[str, Mapping[str, Any]] = {
    "area": {"type": "string", "pattern": r"^[A-Z0-9][A-Z0-9-]{0,31}$", "max_length": 32},
    # A month: what the indicators need, not the day a household was seen.
    "date": {"type": "month"},
    "source": {"type": "enum", "values": ["app", "paper"]},
    "paper_serial": {"type": "serial", "pattern": SERIAL_PATTERN},
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _compile(definition: Mapping[str, Any]) -> Check:
    kind = definition["type"]
    if kind == "enum":
        allowed = frozenset(definition["values"])
        return lambda v: None if isinstance(v, str) and v in allowed else "Not an allowed value."
    if kind == "string":
        pattern = re.compile(definition["pattern"]) if "pattern" in definition else None
        limit = definition.get("max_length", 200)

        def check_string(v: Any) -> str | None:
            if not isinstance(v, str):
                return "Must be a string."
            if len(v) > limit:
                return f"Must be at most {limit} characters."
            if pattern and not pattern.fullmatch(v):
                return "Has the wrong format."
            return None

        return check_string
    if kind == "serial":
        return lambda v: None if is_valid_paper_serial(v) else "Not a valid paper serial."
    if kind == "date":
        return _check_date
    if kind == "month":
        return lambda v: None if isinstance(v, str) and _MONTH.fullmatch(v) else \
            "Must be a month YYYY-MM."
    if kind == "boolean":
        return lambda v: None if isinstance(v, bool) else "Must be true or false."
    if kind == "integer":
        low, high = definition.get("min", -(2**31)), definition.get("max", 2**31 - 1)
        nullable = definition.get("nullable", False)

        def check_integer(v: Any) -> str | None:
            if v is None and nullable:
                return None
            # bool is an int in Python, never in a form.
            if not isinstance(v, int) or isinstance(v, bool):
                return "Must be an integer."
            return None if low <= v <= high else f"Must be between {low} and {high}."

        return check_integer
    if kind == "list":
        item = _compile(definition["items"])
        limit = definition.get("max_items", 20)

        def check_list(v: Any) -> str | None:
            if not isinstance(v, list):
                return "Must be a list."
            if len(v) > limit:
                return f"At most {limit} items."
            if any(not isinstance(x, str | int) or isinstance(x, bool) for x in v):
                return "Items must be simple values."
            if len(set(v)) != len(v):
                return "Items must not repeat."
            errors = [item(x) for x in v]
            return next((e for e in errors if e), None)

        return check_list
    if kind == "map":
        keys = frozenset(definition["keys"])
        value = _compile(definition["values"])

        def check_map(v: Any) -> str | None:
            if not isinstance(v, dict):
                return "Must be an object."
            if not set(v) <= keys:
                return "Has unknown keys."
            return next((e for e in map(value, v.values()) if e), None)

        return check_map
    raise ValueError(f"unknown reportable type {kind!r}")


def _check_date(v: Any) -> str | None:
    if not isinstance(v, str) or not _DATE.fullmatch(v):
        return "Must be a date YYYY-MM-DD."
    try:
        date.fromisoformat(v)
    except ValueError:
        return "Not a real date."
    return None


@cache
def _validators(registry: FormRegistry, schema: str) -> dict[str, Check]:
    form = registry.get(schema)
    return {name: _compile(d) for name, d in {**COMMON, **form.reportable}.items()}


def validate_meta(
    schema: str,
    record_type: str,
    meta: Mapping[str, Any],
    registry: FormRegistry | None = None,
) -> dict[str, list[str]]:
    """Errors by field path (``meta.<field>``); an empty dict means valid."""
    registry = registry or load_registry()
    try:
        validators = _validators(registry, schema)
    except UnknownFormError:
        return {"schema": ["Unknown form or version."]}
    if schema.split("@", 1)[0] != record_type:
        return {"schema": ["Does not match the record type."]}
    if not isinstance(meta, Mapping):
        return {"meta": ["Must be an object."]}
    errors: dict[str, list[str]] = {}
    for name, value in meta.items():
        check = validators.get(name)
        if check is None:
            errors[f"meta.{name}"] = ["Unknown field."]
            continue
        message = check(value)
        if message:
            errors[f"meta.{name}"] = [message]
    return errors
