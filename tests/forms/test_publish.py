from __future__ import annotations

import json
import shutil

import pytest

from outreach.extensions import db
from outreach.forms.publish import PublishedFormChanged, publish_forms
from outreach.forms.registry import DEFINITIONS, load_registry


def test_publishing_is_idempotent(app):
    with app.app_context():
        first = publish_forms(load_registry())
        assert "assessment@1" in first
        assert "review@1" in first
        assert len(first) == len(load_registry().all())  # every version, household@2 too
        assert publish_forms(load_registry()) == []


def test_an_edited_published_version_is_refused(app, tmp_path):
    folder = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, folder)
    with app.app_context():
        publish_forms(load_registry(folder))
        db.session.commit()
        path = folder / "visit@1.json"
        document = json.loads(path.read_text())
        document["title"] = "Something else"
        path.write_text(json.dumps(document))
        edited = tmp_path / "edited"
        shutil.copytree(folder, edited)
        with pytest.raises(PublishedFormChanged, match="visit@2"):
            publish_forms(load_registry(edited))


def test_cli_publishes(app):
    result = app.test_cli_runner().invoke(args=["forms", "publish"])
    assert result.exit_code == 0
    assert "assessment@1" in result.output


def _edited_copy(tmp_path, name, change):
    folder = tmp_path / name
    shutil.copytree(DEFINITIONS, folder)
    path = folder / "visit@1.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return folder


def test_a_published_version_may_only_shrink_what_it_reports(app, tmp_path):
    """Fewer clear fields change no record's meaning; more would expose what was sealed."""
    def wider(document):
        document["reportable"]["present_count"] = {"type": "integer", "min": 0, "max": 50}

    def more_values(document):
        document["reportable"]["contact_type"]["values"].append("telepathy")

    def narrower(document):
        document["reportable"] = {}

    with app.app_context():
        publish_forms(load_registry())
        db.session.commit()
        for name, change in (("wider", wider), ("more", more_values)):
            with pytest.raises(PublishedFormChanged, match="only be removed or narrowed"):
                publish_forms(load_registry(_edited_copy(tmp_path, name, change)))
        assert publish_forms(load_registry(_edited_copy(tmp_path, "narrow", narrower))) == []
