"""Record every form version the server has served, and refuse silent edits of old ones.

Records made with `visit@1` must stay valid and render the same forever; a definition file
that changes after publication would change their meaning, so `forms publish` stops with a
clear message and asks for a new version instead.

One part may change in place, and only one way: ``reportable``, what the server is allowed to
see in the clear, may shrink (docs/threat-model.md, "Clear meta, field by field"). Fewer clear
fields change no record's meaning; they only stop the server from learning more."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from outreach.crypto import canonical_json
from outreach.extensions import db
from outreach.forms.models import PublishedForm
from outreach.forms.registry import FormRegistry


class PublishedFormChanged(RuntimeError):
    pass


def publish_forms(registry: FormRegistry) -> list[str]:
    """Store versions not yet published; returns their schemas. The caller commits."""
    published = {
        (row.form_id, row.version): row
        for row in db.session.execute(db.select(PublishedForm)).scalars()
    }
    added = []
    for form in registry.all():
        text = canonical_json(dict(form.document)).decode()
        digest = meaning_digest(form.document)
        known = published.get((form.id, form.version))
        if known is None:
            db.session.add(PublishedForm(form_id=form.id, version=form.version,
                                         definition=text, digest=digest))
            added.append(form.schema)
            continue
        before = json.loads(known.definition)
        if known.digest not in (digest, _legacy_digest(before)) or meaning_digest(before) != digest:
            raise PublishedFormChanged(
                f"{form.schema} was changed after it was published; "
                f"publish the change as {form.id}@{form.version + 1} instead")
        if not narrows(before.get("reportable", {}), form.reportable):
            raise PublishedFormChanged(
                f"{form.schema}: reportable fields may only be removed or narrowed once "
                f"published; publish more as {form.id}@{form.version + 1}")
        known.definition, known.digest = text, digest
    db.session.flush()
    return added


def meaning_digest(document: Mapping[str, Any]) -> str:
    """SHA-256 of the definition without ``reportable``: what a record made with it means."""
    meaning = {k: v for k, v in document.items() if k != "reportable"}
    return hashlib.sha256(canonical_json(meaning)).hexdigest()


def _legacy_digest(document: Mapping[str, Any]) -> str:
    """Digests stored before ``reportable`` could shrink covered the whole document."""
    return hashlib.sha256(canonical_json(dict(document))).hexdigest()


def narrows(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Every field left was reportable before, with no more values than it had."""
    for name, definition in after.items():
        old = before.get(name)
        if old is None or old.get("type") != definition.get("type"):
            return False
        if "values" in definition and not set(definition["values"]) <= set(old["values"]):
            return False
        if {k: v for k, v in definition.items() if k != "values"} != \
                {k: v for k, v in old.items() if k != "values"}:
            return False
    return True
