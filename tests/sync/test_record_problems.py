"""Per-record problems of a push reach the worker in the worker's language (their receipts show
the server's title and detail), with the same types and statuses in every language: the types
are the contract (PROTOCOL §3), the words are the catalogue's (outreach/errors.py)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from outreach import crypto
from outreach.auth.models import User
from outreach.extensions import db
from outreach.i18n import catalogs

DIRECTORY = Path(__file__).resolve().parents[2] / "translations"
DUTCH = {"Accept-Language": "nl"}


def refusals(world):
    """A batch in which every envelope but the first is refused, each for its own reason."""
    worker = world.login("worker1")
    first = worker.seal("visit")
    assert worker.sync(push=[first]).get_json()["results"][0]["status"] == "accepted"
    forged = worker.seal("visit")
    forged["sig"] = crypto.b64u_encode(bytes(64))
    batch = [
        {"id": "old", "case_id": "clear"},  # envelope format 1
        {"id": "half"},  # not an envelope
        worker.seal("note", team="west", meta={"area": "WEST-01"}),  # not the worker's team
        worker.seal("review", plaintext={"visit_id": first["record_id"], "decision": "approved"},
                    meta={"area": "EAST-01", "date": "2026-11"}),  # a supervisor's record
        forged,  # a signature that does not verify
        worker.seal("visit", team_version=9),  # a team key version that does not exist
        worker.seal("visit", meta={"area": "WEST-01"}),  # another team's area
        worker.seal("visit", id=first["id"], plaintext={"note": "other"}),  # id in use
    ]
    return worker, batch


def test_every_per_record_problem_reads_in_the_workers_language(world):
    worker, batch = refusals(world)
    english = worker.sync(push=batch).get_json()["results"]
    dutch = worker.sync(push=batch, headers=DUTCH).get_json()["results"]
    assert [r["status"] for r in dutch] == ["rejected"] * len(batch)
    nl = catalogs.load("nl", DIRECTORY)
    for en_result, nl_result in zip(english, dutch, strict=True):
        en, translated = en_result["problem"], nl_result["problem"]
        # The contract does not change with the language.
        assert {k: translated[k] for k in ("type", "status")} == \
            {k: en[k] for k in ("type", "status")}
        assert translated.get("errors") == en.get("errors")
        entry = nl.get(en["title"])
        assert entry is not None, f"{en['title']!r} is not in the catalogue"
        assert translated["title"] == entry.string, en["type"]
        assert translated["title"] != en["title"]
        if en["detail"] != en["title"]:
            assert translated["detail"] != en["detail"], en["type"]
    # A detail with values keeps them, in the translated sentence.
    role = next(r["problem"] for r in dutch if r["problem"]["type"].endswith("record-type"))
    assert role["detail"] == "Alleen deze rollen schrijven registraties van het soort review: " \
        "supervisor."


def test_the_workers_own_language_choice_wins_over_the_browsers(world):
    worker, batch = refusals(world)
    with world.app.app_context():
        db.session.execute(sa.update(User).where(User.username == "worker1").values(locale="nl"))
        db.session.commit()
    results = worker.sync(push=batch, headers={"Accept-Language": "en"}).get_json()["results"]
    assert results[4]["problem"]["title"] == "De handtekening klopt niet."
