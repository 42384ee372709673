"""Record every form version the server has served, and refuse silent edits of old ones.

Records made with `visit@1` must stay valid and render the same forever; a definition file
that changes after publication would change their meaning, so `forms publish` stops with a
clear message and asks for a new version instead."""

from __future__ import annotations

import hashlib

from outreach.crypto import canonical_json
from outreach.extensions import db
from outreach.forms.models import PublishedForm
from outreach.forms.registry import FormRegistry


class PublishedFormChanged(RuntimeError):
    pass


def publish_forms(registry: FormRegistry) -> list[str]:
    """Store versions not yet published; returns their schemas. The caller commits."""
    published = {
        (row.form_id, row.version): row.digest
        for row in db.session.execute(db.select(PublishedForm)).scalars()
    }
    added = []
    for form in registry.all():
        text = canonical_json(dict(form.document)).decode()
        digest = hashlib.sha256(text.encode()).hexdigest()
        known = published.get((form.id, form.version))
        if known is None:
            db.session.add(PublishedForm(form_id=form.id, version=form.version,
                                         definition=text, digest=digest))
            added.append(form.schema)
        elif known != digest:
            raise PublishedFormChanged(
                f"{form.schema} was changed after it was published; "
                f"publish the change as {form.id}@{form.version + 1} instead")
    db.session.flush()
    return added
