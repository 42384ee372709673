"""Strict request bodies: gzip with a decompressed-size cap, bounded JSON, no surprises.

Every JSON body of the API goes through ``request_json``: the webargs parser behind
flask-smorest is pointed at it too, so the limits of PROTOCOL §0 hold on every route.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

import flask_smorest
from flask import current_app, g, request
from webargs.flaskparser import FlaskParser

from outreach.errors import MalformedJSON, PayloadTooLarge, UnsupportedMediaType, ValidationProblem

_View = TypeVar("_View", bound=Callable[..., Any])
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_MISSING = object()
# A lone surrogate can only come from a \\u escape (UTF-8 cannot encode one), so the walk
# below runs only for bodies holding such an escape.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Reject(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text) > 20:
        raise _Reject("integer out of range")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise _Reject("integer out of range")
    return value


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Reject("number out of range")
    return value


def _parse_constant(text: str) -> Any:
    raise _Reject("NaN and Infinity are not JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        # Two parsers could disagree on which duplicate wins; a signature must mean one thing.
        raise _Reject("duplicate key in object")
    return result


def decompressed_body(max_bytes: int) -> bytes:
    """The request body, gunzipped if sent with Content-Encoding: gzip, at most max_bytes."""
    raw = request.get_data(cache=True)
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        if len(raw) > max_bytes:
            raise PayloadTooLarge()
        return raw
    if encoding != "gzip":
        raise UnsupportedMediaType("Content-Encoding must be gzip or identity.")
    # Measure the decompressed size as it grows: a 10 KiB gzip bomb can expand to gigabytes.
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(raw, max_bytes + 1)
        if len(body) > max_bytes or inflater.unconsumed_tail:
            raise PayloadTooLarge("The decompressed request is too large.")
        body += inflater.flush()
    except zlib.error as exc:
        raise MalformedJSON("The gzip body is corrupt.") from exc
    if not inflater.eof:
        raise MalformedJSON("The gzip body is truncated.")
    if len(body) > max_bytes:
        raise PayloadTooLarge("The decompressed request is too large.")
    return body


def strict_loads(data: bytes, max_depth: int) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSON("The body is not UTF-8.") from exc
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except _Reject as exc:
        raise ValidationProblem(str(exc)) from exc
    except RecursionError as exc:
        raise ValidationProblem("The JSON is nested too deeply.") from exc
    except ValueError as exc:
        raise MalformedJSON() from exc
    if json_depth(value) > max_depth:
        raise ValidationProblem("The JSON is nested too deeply.")
    return value


def json_depth(value: Any) -> int:
    """Nesting depth without recursion (the value may be as deep as the parser allowed).

    Level by level: the containers of one level are the next one's work, so no depth is carried
    per node (a 100-envelope push walks ~1,400 of them; 3x faster than a stack of pairs)."""
    containers = (dict, list)
    level = [value] if type(value) in containers else []
    depth = 0
    while level:
        depth += 1
        below = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) in containers:
                    below.append(child)
        level = below
    return depth


def has_lone_surrogate(value: Any) -> bool:
    """True when some string (or key) in ``value`` is not valid Unicode: JSON's \\ud800 escapes
    parse to Python text that no database, UTF-8 encoder or signature can take."""
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            if not node.isascii():
                try:
                    node.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif kind is dict:
            stack.extend(node.keys())
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
    return False


def unicode_checked_per_record(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that rejects invalid Unicode per record itself (sync: one bad envelope
    never sinks the batch, PROTOCOL §3); every other view gets a 422 for the request."""
    view._per_record_unicode = True  # type: ignore[attr-defined]
    return view


def _checks_unicode_itself() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "_per_record_unicode", False))


def request_json() -> Any:
    """The request's JSON body, parsed once per request under the configured limits."""
    cached = g.get("_json_body", _MISSING)
    if cached is not _MISSING:
        return cached
    mimetype = request.mimetype
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise UnsupportedMediaType()
    config = current_app.config["OUTREACH"]
    body = decompressed_body(config.max_request_bytes)
    if not body.strip():
        raise MalformedJSON("The request body is empty.")
    value = strict_loads(body, config.max_json_depth)
    if (_SURROGATE_ESCAPE.search(body) and not _checks_unicode_itself()
            and has_lone_surrogate(value)):
        raise ValidationProblem("Text must be valid Unicode.",
                                errors={"_": ["A lone surrogate is not text."]})
    g._json_body = value
    return value


class StrictParser(FlaskParser):
    """webargs parser whose JSON comes from ``request_json`` (gzip, limits, strict numbers)."""

    def _raw_load_json(self, req: Any) -> Any:
        value = request_json()
        if type(value) is not dict:
            # Every JSON body of the API is an object; `null`, `1` or `[]` must be a 422
            # here, before a schema or a view trips over it (issue 9, finding 4).
            raise ValidationProblem("The body must be a JSON object.",
                                    errors={"_": ["Must be an object."]})
        return value

    def load_json(self, req: Any, schema: Any) -> Any:
        return self._raw_load_json(req)


def _typed(decorator: Any) -> Callable[[_View], _View]:
    return cast(Callable[[_View], _View], decorator)


class Blueprint(flask_smorest.Blueprint):
    """The project's API blueprint: flask-smorest with the strict JSON parser."""

    ARGUMENTS_PARSER = StrictParser()

    # flask-smorest ships no type information: these typed doors (same behaviour, only a cast)
    # keep the views they decorate typed, which mypy's strict floors require.
    def route(self, rule: str, **options: Any) -> Callable[[_View], _View]:
        return _typed(super().route(rule, **options))

    def get(self, rule: str, **options: Any) -> Callable[[_View], _View]:
        return _typed(super().get(rule, **options))

    def post(self, rule: str, **options: Any) -> Callable[[_View], _View]:
        return _typed(super().post(rule, **options))

    def put(self, rule: str, **options: Any) -> Callable[[_View], _View]:
        return _typed(super().put(rule, **options))

    def delete(self, rule: str, **options: Any) -> Callable[[_View], _View]:
        return _typed(super().delete(rule, **options))

    def arguments(self, schema: Any, **kwargs: Any) -> Callable[[_View], _View]:
        return _typed(super().arguments(schema, **kwargs))

    def response(self, status_code: int, schema: Any = None, **kwargs: Any
                 ) -> Callable[[_View], _View]:
        return _typed(super().response(status_code, schema, **kwargs))
