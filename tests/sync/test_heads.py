"""Record heads kept by a push equal the heads recomputed from every stored revision.

The push computes heads in memory from what it read under the writers' lock and the batch it
writes (docs/performance.md); these tests hold that fast path to the straightforward one: the
revisions of the record that no stored revision names as a parent."""

from __future__ import annotations

import itertools
import json
import threading

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach import crypto
from outreach.extensions import db


def stored_heads(world, record_ids) -> dict[str, set[str]]:
    with world.app.app_context():
        rows = db.session.execute(
            sa.text("SELECT record_id, envelope_id FROM record_head")).all()
    heads: dict[str, set[str]] = {r: set() for r in record_ids}
    for record_id, envelope_id in rows:
        if record_id in heads:
            heads[record_id].add(envelope_id)
    return heads


def reference_heads(world, record_ids) -> dict[str, set[str]]:
    """Straight from the envelopes: every revision no other revision names as a parent."""
    with world.app.app_context():
        rows = db.session.execute(sa.text("SELECT record_id, id, parents FROM envelope")).all()
    revisions: dict[str, dict[str, list[str]]] = {r: {} for r in record_ids}
    for record_id, env_id, parents in rows:
        if record_id in revisions:
            revisions[record_id][env_id] = json.loads(parents)
    return {record_id: {rev for rev in revs if not any(rev in p for p in revs.values())}
            for record_id, revs in revisions.items()}


@st.composite
def histories(draw):
    """Revisions of one or two records (each naming 0-2 earlier revisions of its record as
    parents), and the order and batches in which phones push them, resends included."""
    records = draw(st.integers(1, 2))
    revisions: list[tuple[int, list[int]]] = []  # (record, indexes of parents)
    for _n in range(draw(st.integers(1, 7))):
        record = draw(st.integers(0, records - 1))
        earlier = [i for i, (r, _) in enumerate(revisions) if r == record]
        parents = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) \
            if earlier else []
        revisions.append((record, parents))
    order = draw(st.permutations(range(len(revisions))))
    resent = draw(st.lists(st.sampled_from(range(len(revisions))), max_size=2))
    sequence = list(order) + resent
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(sequence) - 1)), max_size=3)))
    bounds = [0, *cuts, len(sequence)]
    batches = [sequence[a:b] for a, b in itertools.pairwise(bounds) if a < b]
    return records, revisions, batches


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories())
def test_heads_after_every_push_equal_the_heads_of_the_stored_revisions(world, history):
    records, revisions, batches = history
    session = world.login("worker1")
    record_ids = [crypto.new_uuid7() for _ in range(records)]
    ids = [crypto.new_uuid7() for _ in revisions]
    sealed = [session.seal("note", plaintext={"n": n}, id=ids[n],
                           record_id=record_ids[record], parents=[ids[p] for p in parents])
              for n, (record, parents) in enumerate(revisions)]
    for batch in batches:
        response = session.sync(push=[sealed[n] for n in batch], limit=1)
        assert response.status_code == 200, response.get_json()
        expected = reference_heads(world, record_ids)
        assert stored_heads(world, record_ids) == expected
        for n, result in zip(batch, response.get_json()["results"], strict=True):
            heads = expected[record_ids[revisions[n][0]]]
            if result["status"] == "conflict":
                assert len(heads) > 1
                assert result["heads"] == sorted(heads)
            else:
                assert result["status"] in ("accepted", "duplicate"), result
                # A revision accepted into a record with several heads is reported a conflict.
                assert result["status"] == "duplicate" or len(heads) == 1


def test_concurrent_pushes_to_the_same_records_keep_every_head(live_world):
    """Three phones push children of the same revisions at the same moment, through gunicorn's
    workers: the heads each push reads must be the ones no other push is changing."""
    world, _server = live_world
    sessions = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
    roots = [sessions[0].seal("plan", plaintext={"goals": ["heat"]}) for _ in range(12)]
    assert {r["status"] for r in sessions[0].sync(push=roots).get_json()["results"]} \
        == {"accepted"}
    record_ids = [root["record_id"] for root in roots]
    children = [[s.seal("plan", plaintext={"by": s.username}, record_id=root["record_id"],
                        parents=[root["id"]]) for root in roots] for s in sessions]
    start = threading.Barrier(len(sessions))
    answers: list[list[dict]] = [[] for _ in sessions]

    def push(i: int) -> None:
        start.wait()
        # One child per request, so the three phones' writes interleave record by record.
        for env in children[i]:
            answers[i].extend(sessions[i].sync(push=[env], limit=1).get_json()["results"])

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {root["record_id"]: {c[n]["id"] for c in children}
                for n, root in enumerate(roots)}
    assert reference_heads(world, record_ids) == expected
    assert stored_heads(world, record_ids) == expected
    for i, results in enumerate(answers):
        for env, result in zip(children[i], results, strict=True):
            assert result["status"] in ("accepted", "conflict"), result
            if result["status"] == "conflict":
                assert env["id"] in result["heads"]
                assert set(result["heads"]) <= expected[env["record_id"]]
    # Whoever wrote a record's last child saw all three heads.
    last = {}
    for i, results in enumerate(answers):
        for env, result in zip(children[i], results, strict=True):
            if len(result.get("heads", [])) == 3:
                last[env["record_id"]] = True
    assert len(last) == len(roots)
