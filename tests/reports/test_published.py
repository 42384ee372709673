"""Published team figures: a supervisor's phone publishes the suppressed figures it counted for
a period as a signed record; the server checks and keeps it, and combines published sets with
what it still counts. A withheld figure stays withheld, also across periods and teams."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from outreach import crypto
from outreach.reports.published import SERVER_COUNTED, signed_bytes
from outreach.reports.suppression import ALL, _Line, _lines, _solvable
from tests.api.test_auth import problem
from tests.fixtures.figures import demo_input, team_figures
from tests.fixtures.pwa_js import run_js

URL = "/api/v1/reports/published"


def signed(session: Any, tables: dict[str, Any], start: str = "2026-01", end: str = "2026-06",
           team: str = "east", k: int = 5, record_id: str | None = None) -> dict[str, Any]:
    record = {"id": record_id or crypto.new_uuid7(), "team_id": team, "from": start, "to": end,
              "k": k, "created_at": "2026-11-20T09:00:00Z", "device_id": session.device_id,
              "tables": tables}
    record["sig"] = crypto.b64u_encode(crypto.sign(signed_bytes(record), session.device_key))
    return record


def post(session: Any, record: dict[str, Any]) -> Any:
    return session.world.client.post(URL, json=record, headers=session.headers)


def people(cells: dict[str | None, int | None], dims: tuple[str, ...] = ("area",)
           ) -> dict[str, Any]:
    """A one-dimension "people" table: area → count (None: withheld), and the total."""
    rows = [{"group": {}, "count": cells.pop(ALL)}] if ALL in cells else []
    rows += [{"group": {"area": area}, "count": count} for area, count in cells.items()]
    return {"people": {"dims": list(dims), "constant": {}, "inner": [], "sums": {},
                       "cells": rows}}


@pytest.fixture(scope="module")
def phone_figures() -> dict[str, Any]:
    """What the supervisor's phone computed over the demo's seed plaintexts."""
    tables = team_figures(demo_input(households=36, k=5))["tables"]
    return run_js("figures/count.js", "m.publishable(tables)", tables=tables)


@pytest.fixture
def supervisors(world):
    """supervisor1 (east), and a supervisor of west for the two-team combination."""
    from outreach.auth import service as auth
    from outreach.extensions import db
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username="supervisor2",
                             role="supervisor", passphrase="correct horse battery staple",
                             display_name="Supervisor West")
        teams.add_member(teams.get_team("west"), user)
        db.session.commit()
    return world.login("supervisor1"), world.login("supervisor2",
                                                   "correct horse battery staple")


def test_a_supervisor_publishes_the_phones_figures_and_a_retry_changes_nothing(
        world, supervisors, phone_figures):
    east, _ = supervisors
    record = signed(east, phone_figures)
    first = post(east, record)
    assert first.status_code == 201, first.get_json()
    again = post(east, record)
    assert again.status_code == 200
    listed = world.client.get(f"{URL}?team=east", headers=east.headers).get_json()
    assert [item["id"] for item in listed["published"]] == [record["id"]]
    assert listed["published"][0]["tables"] == phone_figures
    # The signed record comes back as signed: anyone can check who published these numbers.
    stored = listed["published"][0]["record"]
    crypto.verify(signed_bytes(stored), crypto.b64u_decode(stored["sig"]),
                  east.device_key.public_key())
    other = signed(east, phone_figures, "2026-07", "2026-07", record_id=record["id"])
    problem(post(east, other), 409, "/problems/id-reuse")


def test_only_the_teams_supervisor_publishes_and_only_signed_by_their_device(
        world, supervisors, phone_figures):
    east, west = supervisors
    problem(post(west, signed(west, phone_figures)), 403, "/problems/forbidden")
    admin = world.login("admin1")
    problem(post(admin, signed(admin, phone_figures)), 403, "/problems/forbidden")
    worker = world.login("worker1")
    problem(post(worker, signed(worker, phone_figures)), 403, "/problems/forbidden")
    forged = signed(east, phone_figures)
    forged["tables"] = copy.deepcopy(phone_figures)
    cell = next(c for c in forged["tables"]["people"]["cells"] if c["count"])
    cell["count"] += 5
    body = problem(post(east, forged), 422, "/problems/validation")
    assert "sig" in body["errors"]


def test_a_small_count_or_a_withheld_figure_that_can_be_worked_out_is_refused(
        world, supervisors):
    east, _ = supervisors
    body = problem(post(east, signed(east, people({ALL: 12, "EAST-01": 3, "EAST-07": 9}))),
                   422, "/problems/validation")
    assert any("cells" in path for path in body["errors"])
    # 12 - 7 = 5: a withheld figure alone on its line is no secret.
    body = problem(post(east, signed(east, people({ALL: 12, "EAST-01": None, "EAST-07": 7}))),
                   422, "/problems/validation")
    assert "tables.people" in body["errors"]
    problem(post(east, signed(east, people({ALL: 12, "EAST-01": 12}), k=2)), 422,
            "/problems/validation")  # below the organisation's k
    fine = people({ALL: 20, "EAST-01": None, "EAST-07": None, None: 8})
    assert post(east, signed(east, fine)).status_code == 201


def test_overlapping_periods_are_refused_so_that_no_month_comes_out_by_subtraction(
        world, supervisors):
    east, _ = supervisors
    first = people({ALL: 20, "EAST-01": None, "EAST-07": None, None: 8})
    assert post(east, signed(east, first, "2026-01", "2026-06")).status_code == 201
    # January to July minus January to June would be July, where EAST-01 may hold 1..4 people.
    longer = people({ALL: 23, "EAST-01": None, "EAST-07": None, None: 8})
    problem(post(east, signed(east, longer, "2026-01", "2026-07")), 409,
            "/problems/period-published")
    problem(post(east, signed(east, first, "2026-06", "2026-12")), 409,
            "/problems/period-published")
    # The same late records cannot come in as a corrected January to June either.
    problem(post(east, signed(east, longer, "2026-01", "2026-06")), 409,
            "/problems/period-published")
    assert post(east, signed(east, people({ALL: 5, "EAST-01": 5}), "2026-07",
                             "2026-12")).status_code == 201


def _system(sets: dict[str, dict[str, Any]], combined: dict[str, Any]
            ) -> tuple[dict, dict, list]:
    """Every figure a reader has (each published set and the combination) as one linear
    system: each set's own lines, the combination's lines, and combined = sum of parts."""
    figures: dict = {}
    withheld: dict = {}
    lines: list = []

    def add(source: str, table: dict[str, Any]) -> dict:
        keys: dict = {}
        own_figures, own_withheld = {}, {}
        for cell in table["cells"]:
            key = tuple(cell["group"].get(dim, ALL) for dim in table["dims"])
            keys[key] = (source, key)
            if cell["count"] is None:
                own_withheld[key] = "withheld"
            elif cell["count"]:
                own_figures[key] = cell["count"]
        figures.update({(source, k): v for k, v in own_figures.items()})
        withheld.update({(source, k): v for k, v in own_withheld.items()})
        for line in _lines(own_figures, own_withheld, [[]] * len(table["dims"]),
                           len(table["dims"]), {}):
            lines.append(_Line([(source, m) for m in line.members], (source, line.total), []))
        return keys

    parts = {name: add(name, tables["people"]) for name, tables in sets.items()}
    for key in add("combined", combined["people"]):
        lines.append(_Line([(name, key) for name in parts], ("combined", key), []))
    return figures, withheld, lines


def test_combining_two_teams_and_two_periods_reveals_no_withheld_figure(world, supervisors):
    east, west = supervisors
    # East hides EAST-01 (3 people) and, to protect it, EAST-07 (8); west shows WEST-01.
    east_h1 = people({ALL: 40, "EAST-01": None, "EAST-07": None, "WEST-01": 29})
    west_h1 = people({ALL: 22, "EAST-01": 10, "WEST-01": 12})
    east_h2 = people({ALL: 9, "EAST-01": 9})
    for session, tables, start, end in ((east, east_h1, "2026-01", "2026-06"),
                                        (west, west_h1, "2026-01", "2026-06"),
                                        (east, east_h2, "2026-07", "2026-12")):
        response = post(session, signed(session, tables, start, end, session.keys["teams"][0]
                                        ["team_id"]))
        assert response.status_code == 201, response.get_json()
    admin = world.login("admin1")
    view = world.client.get("/api/v1/reports/organisation?from=2026-01&to=2026-12",
                            headers=admin.headers)
    assert view.status_code == 200, view.get_json()
    periods = view.get_json()["periods"]
    assert [(p["from"], p["to"], sorted(p["teams"])) for p in periods] == [
        ("2026-01", "2026-06", ["east", "west"]), ("2026-07", "2026-12", ["east"])]
    cells = {tuple(sorted(c["group"].items())): c["count"]
             for c in periods[0]["tables"]["people"]["cells"]}
    assert cells[()] == 62
    assert cells[(("area", "EAST-01"),)] is None  # 3 + 10: a sum with a withheld part
    assert cells[(("area", "EAST-07"),)] is None
    assert cells[(("area", "WEST-01"),)] == 41
    # Periods are listed, never added: a household of both halves is one household.
    assert periods[1]["tables"]["people"]["cells"][0]["count"] == 9
    # Everything a reader holds, solved together, determines no withheld figure.
    figures, withheld, lines = _system({"east": east_h1, "west": west_h1}, periods[0]["tables"])
    assert withheld
    assert _solvable(figures, withheld, lines) == set()
    # The server's own counts are added up beside them, by the same withholding rule.
    assert "reach" in view.get_json()["counted"]


def test_the_teams_indicators_carry_the_figures_published_inside_the_period(
        world, supervisors, phone_figures):
    east, _ = supervisors
    assert post(east, signed(east, phone_figures, "2026-02", "2026-03")).status_code == 201
    inside = world.client.get("/api/v1/reports/indicators?team=east&from=2026-01-01"
                              "&to=2026-06-30", headers=east.headers).get_json()
    assert [(p["from"], p["to"]) for p in inside["published"]] == [("2026-02", "2026-03")]
    outside = world.client.get("/api/v1/reports/indicators?team=east&from=2026-03-01"
                               "&to=2026-06-30", headers=east.headers).get_json()
    assert outside["published"] == []
    worker = world.login("worker1")
    problem(world.client.get(f"{URL}?team=east", headers=worker.headers), 403,
            "/problems/forbidden")
    problem(world.client.get("/api/v1/reports/organisation", headers=east.headers), 403,
            "/problems/forbidden")


def test_tables_the_server_counts_itself_stay_on_the_phone(world, supervisors):
    """Referral stages and reasons are counted by the server from the clear meta too; beside
    those public counts a figure the phone withheld to protect another could be worked out,
    so the phone leaves them out and the server refuses them."""
    east, _ = supervisors
    tables = team_figures(demo_input(households=36, k=5))["tables"]
    assert "referral" in tables  # the phone counts them, for its own screen
    kept = run_js("figures/count.js", "m.publishable(tables)", tables=tables)
    assert set(tables) - set(kept) == set(SERVER_COUNTED)
    response = post(east, signed(east, tables))
    assert response.status_code == 422
    assert "tables.referral" in response.get_json()["errors"]
    assert post(east, signed(east, kept)).status_code == 201
