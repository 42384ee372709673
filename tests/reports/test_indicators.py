"""GET /api/v1/reports/indicators: team figures over what is left in the clear (records, not
households: envelope format 2 hides which records are one household), with small cells
withheld and not recoverable from totals; content is never read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa

from outreach.extensions import db
from outreach.reports.service import months_back
from tests.api.test_auth import problem
from tests.fixtures.reports import CANARY, Household, push_all, seal_household

PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}
TWICE = [("2026-02-01", {"income": 2, "housing": 4}), ("2026-05-01", {"income": 3, "housing": 4})]


def dataset() -> list[Household]:
    """17 households reached in the first half of 2026 (8 in EAST-01, 3 in EAST-07, 6 in
    EAST-09) and one whose records are all older."""
    east01 = [Household("EAST-01", people=[("female", "25-49"), ("male", "0-5")],
                        visits=[("2026-03-02", "home_visit")], assessments=TWICE,
                        consent=("2026-03-02", "given")) for _ in range(8)]
    east01[0].visits = [("2026-03-02", "home_visit"), ("2026-05-10", "street")]
    east01[6].assessments = [("2026-02-01", {"income": 1})]
    east01[6].consent = ("2026-03-02", "refused")
    east01[7].consent = None
    for household in east01[:6]:
        household.referrals = [("2026-03-10", "made", None)]
    east01[6].referrals = [("2026-03-10", "not_taken_up", "distance")]
    east01[7].referrals = [("2026-03-10", "not_taken_up", "distance")]
    east07 = [Household("EAST-07", people=[("female", "25-49")],
                        visits=[("2026-04-02", "street")], consent=("2026-04-02", "given"),
                        referrals=[("2026-04-02", "suggested", None)]) for _ in range(3)]
    east07[0].referrals = [("2026-04-02", "not_taken_up", "cost")]
    east09 = [Household("EAST-09", people=[("female", "50-64"), ("female", "12-17")],
                        visits=[("2026-02-15", "home_visit")],
                        assessments=[("2026-01-20", {"income": 2}), ("2026-06-01", {"income": 4})],
                        consent=("2026-02-15", "given"),
                        referrals=[("2026-02-15", "attended", None)]) for _ in range(6)]
    east09[5].referrals = [("2026-02-15", "outcome_recorded", None)]
    older = Household("EAST-01", date="2025-10-01", people=[("male", "65+")],
                      visits=[("2025-10-01", "home_visit")],
                      assessments=[("2025-10-01", {"income": 5})])
    return [*east01, *east07, *east09, older]


@pytest.fixture
def app(make_app):
    # These tests are about suppression over areas as written: no area is rolled up here
    # (tests/reports/test_area_rollup.py is about that).
    return make_app(area_min_households=1)


@pytest.fixture
def team_records(world):
    from outreach.teams import service as teams
    from outreach.teams.models import Area

    with world.app.app_context():
        teams.add_area(teams.get_team("east"), "EAST-09", "Riverside", urbanisation="rural")
        db.session.execute(sa.update(Area).where(Area.code == "EAST-01")
                           .values(urbanisation="towns_suburbs"))
        db.session.execute(sa.update(Area).where(Area.code == "EAST-07")
                           .values(urbanisation="cities"))
        db.session.commit()
    worker = world.login("worker1")
    households = dataset()
    push_all(worker, [e for h in households for e in seal_household(worker, h)])
    return worker, households


def report(world, username="supervisor1", **params):
    session = world.login(username)
    query = {"team": "east", **PERIOD, **params}
    return world.client.get("/api/v1/reports/indicators", query_string=query,
                            headers=session.headers)


def figures(world, **params):
    response = report(world, **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by_group(rows, dim):
    return {row["group"][dim]: row for row in rows}


def test_totals_count_the_records_of_the_period(world, team_records):
    body = figures(world)
    assert (body["team"], body["from"], body["to"], body["by"], body["k"]) == (
        "east", "2026-01-01", "2026-06-30", [], 5)
    (reach,) = body["totals"]["reach"]
    # Household and member records registered in the period; the older household is not.
    assert reach == {"group": {}, "households": 17, "people": 31, "visits": 18,
                     "suppressed": []}
    assert body["reach"] == body["totals"]["reach"]  # without `by`, the rows are the totals
    assert set(body) == {"team", "from", "to", "by", "k", "reach", "referrals", "consent",
                         "rights", "rights_not_claimed", "totals", "published"}


def test_nothing_about_people_is_counted_by_the_server(world, team_records):
    """Sex, age band, target group, scores and reasons are sealed: not even a dimension."""
    for by in ("sex", "age_band", "service_type", "target_groups"):
        problem(report(world, by=by), 422, "/problems/validation")


def test_referrals_made_taken_up_and_not_taken_up(world, team_records):
    (referrals,) = figures(world)["totals"]["referrals"]
    # 15 made (3 only suggested do not count): 6 waiting, 6 taken up, 3 not taken up.
    assert referrals["made"] == 15
    assert referrals["not_taken_up"] is None
    assert len(referrals["suppressed"]) >= 2  # another stage is withheld to protect it
    assert {referrals[s] for s in ("waiting", "taken_up")} <= {6, None}


def test_one_refusal_cannot_be_worked_out_from_the_consents_recorded(world, team_records):
    (consent,) = figures(world)["totals"]["consent"]
    # given 15, refused 1, withdrawn 0 of 16 recorded: the refusal is withheld, and so is
    # "given", which would give it away.
    assert consent == {"group": {}, "given": None, "refused": None, "withdrawn": 0,
                       "recorded": 16, "suppressed": ["given", "refused"]}


def test_small_cells_by_area_are_withheld_and_not_recoverable_from_the_total(world, team_records):
    body = figures(world, by="area")
    reach = by_group(body["reach"], "area")
    assert set(reach) == {"EAST-01", "EAST-07", "EAST-09"}
    assert reach["EAST-01"]["households"] == 8
    assert reach["EAST-07"]["households"] is None
    assert reach["EAST-07"]["suppressed"] == ["households", "people", "visits"]
    # 17 in total and 8 in EAST-01 would give EAST-07's 3 away: EAST-09's 6 is withheld too.
    assert reach["EAST-09"]["households"] is None
    for column in ("households", "people", "visits"):
        hidden = [row for row in body["reach"] if row[column] is None]
        assert len(hidden) != 1, column


COLUMNS = {"reach": ["households", "people", "visits"],
           "referrals": ["made", "waiting", "taken_up", "not_taken_up"],
           "consent": ["given", "refused", "withdrawn", "recorded"]}
PARTS = {"referrals": ("made", ["waiting", "taken_up", "not_taken_up"]),
         "consent": ("recorded", ["given", "refused", "withdrawn"])}
BY = ["area", "contact_type", "urbanisation", "area,contact_type", "area,urbanisation",
      "contact_type,urbanisation", "area,contact_type,urbanisation"]


def key(row, dims):
    return tuple(row["group"].get(d) for d in dims)


def one_withheld(values) -> bool:
    return [v is None for v in values].count(True) == 1


@pytest.mark.parametrize("by", BY)
def test_no_withheld_cell_is_alone_on_a_line_with_a_published_total(world, team_records, by):
    dims = by.split(",")
    body = figures(world, by=by)
    for dim in dims:
        rest = [d for d in dims if d != dim]
        coarse = figures(world, by=",".join(rest)) if rest else body["totals"]
        for section, columns in COLUMNS.items():
            margins = {key(row, rest): row for row in coarse[section]}
            for column in columns:
                lines = {}
                for row in body[section]:
                    lines.setdefault(key(row, rest), []).append(row[column])
                for where, values in lines.items():
                    total = margins.get(where, {}).get(column)
                    if total is not None and total >= 5:
                        assert not one_withheld(values), (dim, section, column, where)
    for section, (whole, parts) in PARTS.items():
        for row in body[section]:
            if (row[whole] or 0) >= 5:
                assert not one_withheld([row[c] for c in parts]), row


def cells_of(body, dims, tag):
    """Every published figure as {(tag, section, group, field): value or None}."""
    return {(tag, section, key(row, dims), column): row[column]
            for section, columns in COLUMNS.items() for row in body[section]
            for column in columns}


def equations(cells, tag):
    """What a reader knows adds up inside one response."""
    def value(section, group, column):
        return cells.get((tag, section, group, column), 0), (tag, section, group, column)

    for section, (whole, parts) in PARTS.items():
        groups = {g for (t, s, g, _c) in cells if t == tag and s == section}
        for group in groups:
            yield [value(section, group, whole)], [value(section, group, c) for c in parts]


def determined(world, by):
    """Withheld cells a reader can work out from this report and the reports grouped by one
    dimension fewer: exact linear algebra over every sum the reader knows."""
    dims = by.split(",")
    fine = cells_of(figures(world, by=by), dims, "fine")
    everything = dict(fine)
    system = list(equations(fine, "fine"))
    for dim in dims:
        rest = [d for d in dims if d != dim]
        coarse = cells_of(figures(world, by=",".join(rest)), rest, dim)
        everything.update(coarse)
        system += equations(coarse, dim)
        position = dims.index(dim)
        lines = {}
        for (t, section, group, column), cell in fine.items():
            outer = (t, section, group[:position] + group[position + 1:], column)
            lines.setdefault((dim, *outer[1:]), []).append((cell, (t, section, group, column)))
        for (tag, section, group, column), parts in lines.items():
            total = coarse.get((tag, section, group, column), 0)
            system.append(([(total, (tag, section, group, column))], parts))
    return solved_cells(everything, system, "fine")


def solved_cells(everything, system, tag):
    unknown = sorted({c for c, v in everything.items() if v is None}, key=str)
    index = {c: i for i, c in enumerate(unknown)}
    rows = []
    for left, right in system:
        row = [Fraction(0)] * (len(unknown) + 1)
        for sign, side in ((1, left), (-1, right)):
            for value, cell in side:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    row[-1] -= sign * (value or 0)
        if any(row[:-1]):
            rows.append(row)
    solved = reduce(rows, len(unknown))
    return [unknown[i] for i in solved if unknown[i][0] == tag]


def reduce(rows, width):
    """Gauss-Jordan; the columns whose unknown is pinned (a row with a single non-zero)."""
    pivot_row = 0
    for column in range(width):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return [next(c for c in range(width) if row[c]) for row in rows[:pivot_row]
            if sum(1 for v in row[:width] if v) == 1]


@pytest.mark.parametrize("by", BY)
def test_no_withheld_cell_can_be_solved_for_from_what_is_published(world, team_records, by):
    assert determined(world, by) == []


def test_groups_come_from_the_records_own_meta(world, team_records):
    body = figures(world, by="contact_type")
    visits = {r["group"]["contact_type"]: r["visits"] for r in body["reach"]}
    # 4 street visits are withheld; with 18 in total, the 14 home visits would give them away.
    assert visits["street"] is None
    assert visits["home_visit"] is None
    assert "phone" not in visits  # rows exist for groups with a figure
    # Households and people have no contact type: they are in the "not recorded" group.
    unrecorded = next(r for r in body["reach"] if r["group"] == {"contact_type": None})
    assert (unrecorded["households"], unrecorded["people"]) == (17, 31)
    cities = by_group(figures(world, by="urbanisation")["reach"], "urbanisation")
    assert cities["towns_suburbs"]["visits"] == 9
    assert cities["cities"]["visits"] is None


def test_a_revised_or_conflicting_record_counts_once_at_its_latest_head(world, team_records):
    worker, _ = team_records
    visits = sorted((e for e in worker.pull_all() if e["type"] == "visit"
                     and e["meta"]["area"] == "EAST-09"), key=lambda e: e["id"])
    revised, conflicted = visits[:2]

    def revision(of, contact):
        return worker.seal("visit", plaintext={"secret": CANARY}, record_id=of["record_id"],
                           parents=[of["id"]], meta={**of["meta"], "contact_type": contact})

    push_all(worker, [revision(revised, "phone"), revision(conflicted, "phone")])
    push_all(worker, [revision(conflicted, "office")])  # a second head, received last
    body = figures(world, by="contact_type")
    assert body["totals"]["reach"][0]["visits"] == 18
    visits = {r["group"]["contact_type"]: r for r in body["reach"]}
    assert visits["home_visit"]["visits"] == 12
    assert {visits[c]["visits"] for c in ("phone", "office")} == {None}


def test_months_filter_on_the_month_in_meta(world, team_records):
    second_quarter = figures(world, **{"from": "2026-04-01", "to": "2026-06-30"})["totals"]
    reach = second_quarter["reach"][0]
    # EAST-07's three street visits and EAST-01's extra one: 4, withheld.
    assert reach["visits"] is None
    assert "visits" in reach["suppressed"]
    assert reach["households"] == 0
    # A period is counted in whole months: the 15th stands for its month.
    assert figures(world, **{"from": "2026-03-15", "to": "2026-03-16"})["totals"]["reach"][0][
        "households"] == 17
    everything = figures(world, **{"from": "2025-01-01", "to": "2026-12-31"})["totals"]
    assert everything["reach"][0]["households"] == 18
    assert everything["reach"][0]["visits"] == 19


def test_default_period_is_the_last_twelve_months(world, team_records):
    session = world.login("supervisor1")
    body = world.client.get("/api/v1/reports/indicators?team=east",
                            headers=session.headers).get_json()
    today = datetime.now(UTC).date()
    # Worked out here, not by the code under test: twelve months that end today, day for day,
    # start the day after the same date a year ago (28 February stands in for the 29th).
    a_year_ago = date(today.year - 1, today.month,
                      28 if (today.month, today.day) == (2, 29) else today.day)
    assert body["to"] == today.isoformat()
    assert body["from"] == (a_year_ago + timedelta(days=1)).isoformat()
    assert months_back(date(2026, 3, 31), 1) == date(2026, 3, 1)
    assert months_back(date(2024, 2, 29), 12) == date(2023, 3, 1)
    assert months_back(date(1, 5, 1), 12) == date.min


def test_no_payload_is_ever_read(world, team_records):
    headers = world.login("supervisor1").headers
    with world.app.app_context():
        engine = db.engine
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", remember)
    try:
        response = world.client.get("/api/v1/reports/indicators",
                                    query_string={"team": "east", "by": "area,contact_type"},
                                    headers=headers)
    finally:
        sa.event.remove(engine, "before_cursor_execute", remember)
    assert response.status_code == 200
    assert CANARY not in response.get_data(as_text=True)
    envelope_reads = [s for s in statements if "FROM envelope" in s]
    assert envelope_reads
    assert not [s for s in envelope_reads if "envelope.body" in s]


def test_admins_may_ask_and_the_request_is_audited(world, team_records):
    assert report(world, "admin1").status_code == 200
    with world.app.app_context():
        event = db.session.execute(sa.text(
            "SELECT actor_id, target_id, details FROM audit_event "
            "WHERE action = 'report_viewed'")).one()
    assert (event.actor_id, event.target_id) == (world.user_ids["admin1"], "east")


def test_workers_and_other_teams_supervisors_are_refused(world):
    from outreach.auth import service as auth
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username="supervisor2",
                             role="supervisor", passphrase="correct horse battery staple")
        teams.add_member(teams.get_team("west"), user)
        db.session.commit()
    problem(report(world, "worker1"), 403, "/problems/forbidden")
    problem(report(world, "supervisor2"), 403, "/problems/forbidden")
    problem(report(world, "supervisor1", team="nowhere"), 404, "/problems/not-found")
    problem(world.client.get("/api/v1/reports/indicators?team=east"), 401,
            "/problems/unauthorized")


@pytest.mark.parametrize(("params", "field"), [
    ({"by": "area,colour"}, "query.by.1"),
    ({"by": "area,area"}, "query.by.1"),
    ({"by": "area,"}, "query.by.1"),
    ({"from": "2026-13-01"}, "query.from"),
    ({"to": "20260101"}, "query.to"),
    ({"from": "2026-07-01", "to": "2026-06-30"}, "query.from"),
    ({"team": "East!"}, "query.team"),
    ({"colour": "red"}, "query.colour"),
])
def test_a_bad_query_is_a_422_naming_the_field(world, params, field):
    body = problem(report(world, **params), 422, "/problems/validation")
    assert list(body["errors"]) == [field]
    assert "colour" not in str(body["errors"][field])  # messages never echo the request
