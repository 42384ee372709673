"""The pull answer says how much is left, so a first pull on 2G shows "n of m" (issue 12)."""

from __future__ import annotations


def test_each_pull_page_counts_what_is_still_to_pull(world):
    writer, reader = world.login("worker1"), world.login("worker2")
    assert writer.sync(push=[writer.seal("note") for _ in range(7)]).status_code == 200
    seen, remaining, cursor = 0, [], None
    while True:
        body = reader.sync(since=cursor, limit=3).get_json()
        seen += len(body["pull"])
        remaining.append(body["remaining"])
        cursor = body["cursor"]
        if not body["more"]:
            break
    assert seen == 7
    assert remaining == [4, 1, 0]


def test_remaining_counts_only_the_callers_teams(world):
    east, west = world.login("worker1"), world.login("worker3")
    east.sync(push=[east.seal("note") for _ in range(3)])
    west.sync(push=[west.seal("note", team="west") for _ in range(5)])
    body = world.login("worker2").sync(limit=1).get_json()
    assert body["remaining"] == 2


def test_the_count_stops_at_a_bound_and_says_so(world, monkeypatch):
    """Counting what is left is bounded, so a pull's cost does not grow with the database: past
    the bound the answer says "more than n" (remaining_exact false), below it the exact count."""
    from outreach.sync import pull

    monkeypatch.setattr(pull, "REMAINING_CAP", 3, raising=False)
    writer, reader = world.login("worker1"), world.login("worker2")
    assert writer.sync(push=[writer.seal("note") for _ in range(7)]).status_code == 200
    answers, cursor = [], None
    while True:
        body = reader.sync(since=cursor, limit=1).get_json()
        answers.append((body["remaining"], body["remaining_exact"]))
        cursor = body["cursor"]
        if not body["more"]:
            break
    # 6, 5, 4 left are "more than 3"; then 3, 2, 1, 0 exactly.
    assert answers == [(3, False)] * 3 + [(3, True), (2, True), (1, True), (0, True)]


def test_an_exact_count_says_it_is_exact(world):
    writer, reader = world.login("worker1"), world.login("worker2")
    writer.sync(push=[writer.seal("note") for _ in range(3)])
    body = reader.sync(limit=1).get_json()
    assert (body["remaining"], body["remaining_exact"]) == (2, True)
