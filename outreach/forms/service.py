from __future__ import annotations

from typing import Any

from outreach.forms.registry import FormRegistry


def forms_document(registry: FormRegistry) -> dict[str, Any]:
    """The body of GET /api/v1/forms: every version, so old records still render."""
    return {"forms": [dict(form.document) for form in registry.all()]}
