"""The server's order never goes backwards for a device (issue 9, finding 1).

A position handed out once is never handed out again, erasures included; a device whose
cursor no longer describes this database (a restored backup) gets 412 and re-syncs from
scratch, and after that re-sync nothing is lost and nothing is stored twice.
"""

from __future__ import annotations

import pytest
from click.testing import Result

from outreach.extensions import db
from outreach.sync.erase import erase_record


def pull_ids(session, cursor=None) -> tuple[set[str], str]:
    ids: set[str] = set()
    while True:
        response = session.sync(since=cursor)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        body = response.get_json()
        ids |= {item["id"] for item in body["pull"]}
        cursor = body["cursor"]
        if not body["more"]:
            return ids, cursor


def push_all(session, envelopes, cursor=None) -> tuple[list[dict], str]:
    response = session.sync(push=envelopes, since=cursor)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert not body["more"]
    return body["results"], body["cursor"]


def test_erasing_the_newest_envelope_does_not_hide_the_next_one(world):
    writer, reader = world.login("worker1"), world.login("worker2")
    first, newest = writer.seal("note"), writer.seal("note")
    push_all(writer, [first, newest])
    seen, cursor = pull_ids(reader)
    assert seen == {first["id"], newest["id"]}
    with world.app.app_context():
        erase_record(newest["record_id"])
        db.session.commit()
    after = writer.seal("note")
    results, _ = push_all(writer, [after])
    assert results == [{"id": after["id"], "status": "accepted"}]
    response = reader.sync(since=cursor)
    assert response.status_code == 200
    body = response.get_json()
    assert [item["id"] for item in body["pull"]] == [after["id"]]
    assert body["erased"] == [newest["record_id"]]
    # And the position it took was never taken before.
    assert body["pull"][0]["seq"] > max(
        item["seq"] for item in writer.sync().get_json()["pull"] if item["id"] == first["id"])


def test_positions_only_grow_across_erasures(world):
    worker = world.login("worker1")
    seqs = []
    for _ in range(3):
        envelope = worker.seal("note")
        push_all(worker, [envelope])
        (item,) = [i for i in world.login("worker2").sync().get_json()["pull"]
                   if i["id"] == envelope["id"]]
        seqs.append(item["seq"])
        with world.app.app_context():
            erase_record(envelope["record_id"])
            db.session.commit()
    assert seqs == sorted(set(seqs))


def _restore_scenario(world, database_copies, *, pushes_after_restore: int):
    """worker1 pushes 10, a backup is taken, worker1 pushes 30 more (all acknowledged) that
    worker2 pulls, the backup is restored, then another worker pushes some fresh records."""
    writer, reader, other = world.login("worker1"), world.login("worker2"), None
    before = [writer.seal("note") for _ in range(10)]
    _, writer_cursor = push_all(writer, before)
    _, reader_cursor = pull_ids(reader)
    database_copies.take("backup")
    after = [writer.seal("note") for _ in range(30)]
    results, writer_cursor = push_all(writer, after, writer_cursor)
    assert {r["status"] for r in results} == {"accepted"}
    seen, reader_cursor = pull_ids(reader, reader_cursor)
    assert seen == {e["id"] for e in after}
    database_copies.restore("backup")
    fresh = []
    if pushes_after_restore:
        # Logged in after the restore: the copy does not know the devices registered later.
        other = world.login("supervisor1")
        fresh = [other.seal("note") for _ in range(pushes_after_restore)]
        push_all(other, fresh)
    return writer, reader, before, after, fresh, writer_cursor, reader_cursor


@pytest.mark.parametrize("pushes_after_restore", [0, 10, 45])
def test_restored_backup_sends_devices_back_to_the_start_and_loses_nothing(
        world, database_copies, pushes_after_restore):
    writer, reader, before, after, fresh, writer_cursor, reader_cursor = _restore_scenario(
        world, database_copies, pushes_after_restore=pushes_after_restore)
    # Both cursors describe a database that no longer exists: the server says so.
    for session, cursor in ((writer, writer_cursor), (reader, reader_cursor)):
        response = session.sync(since=cursor)
        assert response.status_code == 412, response.get_data(as_text=True)[:300]
        assert response.get_json()["type"] == "/problems/cursor-expired"
    # The tokens of the restored copy are older, but still valid; the device keys are too.
    # The writer re-syncs from scratch and re-pushes what it holds: the 30 come back once.
    results, _ = push_all(writer, before + after)
    statuses = {r["id"]: r["status"] for r in results}
    assert {statuses[e["id"]] for e in before} == {"duplicate"}
    assert {statuses[e["id"]] for e in after} == {"accepted"}
    everything = {e["id"] for e in before + after + fresh}
    seen, _ = pull_ids(reader)
    assert seen == everything
    pulled = [item["id"] for item in world.login("worker2").sync(limit=500).get_json()["pull"]]
    assert sorted(pulled) == sorted(everything)  # no duplicate rows


def test_renewed_generation_sends_every_device_back_to_the_start(world, app):
    worker = world.login("worker1")
    _, cursor = push_all(worker, [worker.seal("note")])
    assert worker.sync(since=cursor).status_code == 200
    result: Result = app.test_cli_runner().invoke(args=["sync", "renew-generation"])
    assert result.exit_code == 0, result.output
    response = worker.sync(since=cursor)
    assert response.status_code == 412
    assert response.get_json()["type"] == "/problems/cursor-expired"
    seen, cursor = pull_ids(worker)
    assert len(seen) == 1
    assert worker.sync(since=cursor).status_code == 200
