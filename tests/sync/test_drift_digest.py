"""The drift digest (PROTOCOL §3 guidance): per team, count and XOR of SHA-256 of the envelope
ids, kept incrementally, equal to what a device computes over everything it pulled."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from outreach.sync.erase import erase_record


def device_digest(envelopes) -> dict[str, object]:  # type: ignore[no-untyped-def]
    acc = 0
    for env in envelopes:
        acc ^= int.from_bytes(hashlib.sha256(env["id"].encode()).digest(), "big")
    return {"count": len(envelopes), "xor": crypto.b64u_encode(acc.to_bytes(32, "big"))}


def last_answer(session):  # type: ignore[no-untyped-def]
    return session.sync().get_json()


def test_the_digest_matches_what_a_complete_pull_holds(world):
    writer, reader = world.login("worker1"), world.login("worker2")
    assert last_answer(reader)["digests"]["east"] == device_digest([])
    writer.sync(push=[writer.seal("note") for _ in range(5)])
    writer.sync(push=[writer.seal("visit", meta={"area": "EAST-01"}) for _ in range(3)])
    pulled = reader.pull_all()
    assert last_answer(reader)["digests"]["east"] == device_digest(pulled)


def test_duplicates_and_rejections_leave_the_digest_alone(world):
    writer = world.login("worker1")
    batch = [writer.seal("note") for _ in range(3)]
    writer.sync(push=batch)
    before = last_answer(writer)["digests"]["east"]
    writer.sync(push=batch)  # duplicates
    writer.sync(push=[writer.seal("note", team="west")])  # not a member: rejected
    assert last_answer(writer)["digests"]["east"] == before


def test_an_erased_record_leaves_the_digest(world):
    writer, reader = world.login("worker1"), world.login("worker2")
    kept, erased = writer.seal("note"), writer.seal("note")
    writer.sync(push=[kept, erased])
    with world.app.app_context():
        erase_record(erased["record_id"])
        db.session.commit()
    assert last_answer(reader)["digests"]["east"] == device_digest([kept])


def test_the_digest_is_read_from_its_row_not_from_the_envelopes(world):
    writer = world.login("worker1")
    writer.sync(push=[writer.seal("note")])
    with world.app.app_context():
        db.session.execute(sa.text("UPDATE team_digest SET count = 99"))
        db.session.commit()
    assert last_answer(writer)["digests"]["east"]["count"] == 99


def test_a_pushing_sync_reads_each_digest_once_and_answers_it_after_its_push(world):
    """The push updates its team's row and the answer reports every team of the caller: the
    row the push read and wrote is not read again (issue 18), and a team it did not push to is
    read as before."""
    from outreach.auth.models import User
    from outreach.teams import service as teams
    from outreach.teams.models import Team

    with world.app.app_context():
        west = db.session.execute(sa.select(Team).where(Team.slug == "west")).scalar_one()
        worker1 = db.session.execute(sa.select(User).where(User.username == "worker1")).scalar_one()
        teams.add_member(west, worker1)
        db.session.commit()
    other = world.login("worker3")
    theirs = [other.seal("note", team="west") for _ in range(2)]
    other.sync(push=theirs)
    writer = world.login("worker1")
    mine = [writer.seal("note") for _ in range(3)]
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()))

    with world.app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        answer = writer.sync(push=mine, limit=1).get_json()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert [r["status"] for r in answer["results"]] == ["accepted"] * 3
    assert answer["digests"] == {"east": device_digest(mine), "west": device_digest(theirs)}
    reads = [s for s in statements if s.startswith("SELECT team_digest.")]
    assert len(reads) == 1, reads
