"""Existence oracles across teams (issue 9, point 10).

Envelope and record ids are global (the contract's idempotency keys), so a taken id can never
answer like a fresh one. What a member of another team must not learn is *whose* it is or what
happened to it: reusing another team's id answers exactly what reusing an id of one's own team
answers (the contract's `id-reuse`, or the refusal to move a record), with nothing of the other
team in it, and the other team's record stays untouched. An id guessed blind is 122 random bits;
these answers only ever confirm an id the caller already holds."""

from __future__ import annotations

import uuid

from outreach.extensions import db
from outreach.sync.models import Envelope


def _answer(result: dict) -> dict:
    """A result without the caller's own envelope id: what the caller can compare."""
    problem = dict(result.get("problem", {}))
    return {
        "status": result["status"],
        **{k: problem.get(k) for k in ("type", "title", "detail", "status", "errors")},
    }


def _push(session, envelope) -> dict:
    response = session.sync(push=[envelope])
    assert response.status_code == 200, response.get_json()
    (result,) = response.get_json()["results"]
    return result


def test_reusing_another_teams_envelope_id_answers_like_reusing_ones_own(world):
    west, east, east2 = world.login("worker3"), world.login("worker1"), world.login("worker2")
    west_env = west.seal("visit", "west")
    east_env = east2.seal("visit", "east")
    assert _push(west, west_env)["status"] == "accepted"
    assert _push(east2, east_env)["status"] == "accepted"

    foreign = _push(east, east.seal("visit", "east", id=west_env["id"]))
    own = _push(east, east.seal("visit", "east", id=east_env["id"]))

    assert foreign["status"] == "rejected"
    assert _answer(foreign) == _answer(own)
    assert foreign["problem"]["type"] == "/problems/id-reuse"
    assert "west" not in str(foreign)


def test_reusing_another_teams_record_id_answers_like_reusing_ones_own(world):
    west, east, east2 = world.login("worker3"), world.login("worker1"), world.login("worker2")
    west_env = west.seal("visit", "west")
    east_env = east2.seal("visit", "east")
    _push(west, west_env)
    _push(east2, east_env)

    # Envelope format 2 seals the case, so one's own record refuses a move only by its type
    # (or team): a note revision of a visit is that refusal, for west's record as for east's.
    foreign = _push(
        east, east.seal("note", "east", record_id=west_env["record_id"], parents=[west_env["id"]])
    )
    own = _push(
        east, east.seal("note", "east", record_id=east_env["record_id"], parents=[east_env["id"]])
    )

    assert foreign["status"] == "rejected"
    assert _answer(foreign) == _answer(own)
    assert "west" not in str(foreign)
    with world.app.app_context():
        teams = set(
            db.session.execute(
                db.select(Envelope.team_id).where(Envelope.record_id == west_env["record_id"])
            ).scalars()
        )
    assert len(teams) == 1  # nothing of east was added to west's record
    assert [e["id"] for e in west.pull_all()] == [west_env["id"]]


def test_another_teams_erased_record_id_answers_like_a_live_one(world):
    """ "Erased" would tell a member of east that west erased a household (issue 9, point 10)."""
    from outreach.sync.erase import erase_record

    west, east, east2 = world.login("worker3"), world.login("worker1"), world.login("worker2")
    erased_env, live_env = west.seal("visit", "west"), west.seal("visit", "west")
    east_env = east2.seal("visit", "east")
    for session, env in ((west, erased_env), (west, live_env), (east2, east_env)):
        _push(session, env)
    with world.app.app_context():
        erase_record(erased_env["record_id"])
        db.session.commit()

    def reuse(record_env):
        # A note revision of a visit: refused as a move for east's own record too (format 2
        # has no clear case to move it to).
        return _push(
            east,
            east.seal(
                "note", "east", record_id=record_env["record_id"], parents=[record_env["id"]]
            ),
        )

    assert _answer(reuse(erased_env)) == _answer(reuse(live_env)) == _answer(reuse(east_env))
    # West's own phone still learns that its record is gone.
    stale = west.seal(
        "visit", "west", record_id=erased_env["record_id"], parents=[erased_env["id"]]
    )
    assert _push(west, stale)["problem"]["type"] == "/problems/erased"


def test_a_parent_in_another_team_answers_like_an_unknown_parent(world):
    west, east = world.login("worker3"), world.login("worker1")
    west_env = west.seal("visit", "west")
    _push(west, west_env)
    first = east.seal("visit", "east")
    _push(east, first)
    foreign = _push(
        east,
        east.seal(
            "visit", "east", record_id=first["record_id"], parents=[first["id"], west_env["id"]]
        ),
    )
    second = east.seal("visit", "east")
    _push(east, second)
    unknown = _push(
        east,
        east.seal(
            "visit",
            "east",
            record_id=second["record_id"],
            parents=[second["id"], str(uuid.uuid4())],
        ),
    )
    assert {k: v for k, v in foreign.items() if k not in ("id", "heads")} == {
        k: v for k, v in unknown.items() if k not in ("id", "heads")
    }
    assert west_env["id"] not in str(foreign)
