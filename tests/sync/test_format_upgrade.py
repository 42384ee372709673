"""The upgrade from envelope format 1 (docs/protocol.md): a phone of the team seals each
format 1 revision again in format 2 under the same id, the server replaces the row, and in the
end no stored row holds a clear case id or a sensitive value, while every record still opens."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from outreach.forms.meta import clear_meta
from outreach.forms.registry import load_registry
from tests.fixtures.database import BACKEND
from tests.fixtures.legacy import SENSITIVE, legacy_households, store_format_1
from tests.sync.test_drift_digest import device_digest

KEPT = ("area", "date", "source", "paper_serial")


def reseal(session, envelope):
    """What the PWA's `resealFormat1` does, in Python: same revision, format 2, today's meta."""
    opened = crypto.open_record(envelope, "team:east:1", session.team_private_key("east"))
    form = load_registry().get(envelope["schema"])
    day = envelope["meta"].get("date", "2026-03-02")
    meta = clear_meta(form, opened.plaintext, area=envelope["meta"].get("area"), day=day)
    return crypto.seal_envelope(
        opened.plaintext, id=envelope["id"], record_id=envelope["record_id"],
        type=envelope["type"], case_id=opened.case_id, team_id=envelope["team_id"],
        schema=envelope["schema"],
        recipients=[("team:east:1", session.world.team_public["east"]),
                    ("recovery:1", session.world.recovery_key.public_key())],
        device_id=session.device_id, signing_key=session.device_key,
        parents=envelope["parents"], created_at=opened.created_at, meta=meta)


def rows(world):
    with world.app.app_context():
        return db.session.execute(sa.text(
            "SELECT id, format, case_id, meta, body, resealed FROM envelope")).all()


def test_a_format_1_database_ends_with_no_clear_case_id_and_everything_readable(world,
                                                                                  database_url):
    author, supervisor = world.login("worker1"), world.login("supervisor1")
    legacy = legacy_households(author, 6)
    store_format_1(world.app, author, [env for _, env in legacy])
    assert {row.format for row in rows(world)} == {1}

    pulled = supervisor.pull_all()
    assert {crypto.envelope_format(e) for e in pulled} == {1}
    assert supervisor.sync().get_json()["digests"]["east"] == device_digest(pulled)
    results = []
    for start in range(0, len(pulled), 10):
        batch = [reseal(supervisor, e) for e in pulled[start:start + 10]]
        results += supervisor.sync(push=batch).get_json()["results"]
    assert {r["status"] for r in results} <= {"accepted", "conflict"}
    assert len(results) == len(legacy)

    stored = rows(world)
    assert len(stored) == len(legacy)
    assert {(row.format, row.case_id, bool(row.resealed)) for row in stored} == {(2, None, True)}
    case_ids = {case_id for case_id, _ in legacy}
    for row in stored:
        text = bytes(row.body).decode() + row.meta
        # A household is its own case: its case id is its record id, which names that one
        # record. No other record shows it.
        own = {c for c, env in legacy if env["id"] == row.id and env["record_id"] == c}
        assert not [c for c in case_ids - own if c in text]
        assert not [word for word in SENSITIVE if word in text]
    if BACKEND == "sqlite":
        # secure_delete: the replaced format 1 rows are not left in free pages or the WAL.
        path = Path(database_url.removeprefix("sqlite:///"))
        with world.app.app_context():
            db.engine.dispose()
        files = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        # What only format 1 held: the clear case id as a column and inside every record's
        # body, and the first definitions' meta.
        assert files.count(b'"case_id"') == 0
        assert b"target_groups" not in files
        assert b"not_taken_up_reason" not in files

    # Another phone of the team pulls everything again: all of it opens, cases intact.
    reader = world.login("worker2")
    key = reader.team_private_key("east")
    fresh = reader.pull_all()
    assert {crypto.envelope_format(e) for e in fresh} == {2}
    # Same ids, so the same drift digest: no phone repairs a loss that did not happen.
    assert reader.sync().get_json()["digests"]["east"] == device_digest(fresh)
    assert supervisor.sync().get_json()["digests"]["east"] == device_digest(pulled)
    opened = {e["id"]: crypto.open_record(e, "team:east:1", key) for e in fresh}
    for case_id, env in legacy:
        assert opened[env["id"]].case_id == case_id
        assert opened[env["id"]].plaintext == crypto.open_envelope(env, "team:east:1", key)
        assert opened[env["id"]].created_at == "2026-03-02T10:14:03Z"
    # The author is the one the server verified the first time, not the re-sealing phone.
    assert {e["author_id"] for e in fresh} == {author.user_id}
    with world.app.app_context():
        heads = db.session.execute(sa.text("SELECT count(*) FROM record_head")).scalar_one()
    assert heads == len(legacy) - 6  # one household record per case has two revisions


def test_only_the_author_device_or_a_supervisor_may_reseal_and_twice_is_harmless(world):
    author, other, supervisor = (world.login(n) for n in ("worker1", "worker2", "supervisor1"))
    legacy = legacy_households(author, 1)
    store_format_1(world.app, author, [env for _, env in legacy])
    first = legacy[0][1]
    (refused,) = other.sync(push=[reseal(other, first)]).get_json()["results"]
    assert refused["problem"]["type"] == "/problems/forbidden-record-type"
    assert author.sync(push=[reseal(author, first)]).get_json()["results"][0]["status"] == \
        "accepted"
    # A supervisor's phone that re-sealed the same revision too: the first one stands.
    (again,) = supervisor.sync(push=[reseal(supervisor, first)]).get_json()["results"]
    assert again["status"] == "duplicate"
    # A re-seal cannot change the revision's place in the record's history.
    moved = reseal(author, legacy[1][1])
    moved = {**moved, "parents": []}
    del moved["sig"]
    moved["sig"] = crypto.b64u_encode(crypto.sign(crypto.envelope_signing_bytes(moved),
                                                  author.device_key))
    (result,) = author.sync(push=[moved]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/id-reuse"
