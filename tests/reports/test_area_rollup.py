"""Server figures by area roll a small area up into its parent (docs/threat-model.md, "Clear
meta, field by field"): an area with fewer households than `area_min_households` in the team's
household records is counted as its nearest parent area that has enough, or as no area."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from tests.fixtures.reports import Household, push_all, seal_household
from tests.reports.test_indicators import by_group, figures

MINIMUM = 4


@pytest.fixture
def app(make_app):
    # Cells of 2 and more are shown, so what is asserted is the roll-up, not suppression.
    return make_app(area_min_households=MINIMUM, report_min_count=2)


@pytest.fixture
def settlements(world):
    """EAST-01 with 5 households; the region EAST with 3 written as the region and 2 in its
    small settlement EAST-09; EAST-07, with no parent, with 4."""
    from outreach.teams import service as teams

    with world.app.app_context():
        east = teams.get_team("east")
        region = teams.add_area(east, "EAST", "East region", level="region")
        teams.add_area(east, "EAST-09", "Riverside camp", parent=region)
        db.session.commit()
    worker = world.login("worker1")
    visit = [("2026-03-02", "home_visit")]
    households = ([Household("EAST-01", visits=visit) for _ in range(5)]
                  + [Household("EAST", visits=visit) for _ in range(3)]
                  + [Household("EAST-09", visits=visit) for _ in range(2)]
                  + [Household("EAST-07", visits=visit) for _ in range(4)])
    push_all(worker, [e for h in households for e in seal_household(worker, h)])


def test_a_small_settlement_is_counted_as_its_region_and_never_named(world, settlements):
    body = figures(world, by="area")
    reach = by_group(body["reach"], "area")
    # EAST-09's two households and their visits are the region's.
    assert set(reach) == {"EAST-01", "EAST", "EAST-07"}
    assert (reach["EAST-01"]["households"], reach["EAST-01"]["visits"]) == (5, 5)
    assert (reach["EAST"]["households"], reach["EAST"]["visits"]) == (5, 5)
    assert (reach["EAST-07"]["households"], reach["EAST-07"]["visits"]) == (4, 4)
    assert body["totals"]["reach"][0]["households"] == 14


def test_the_rule_counts_sub_areas_and_falls_back_to_no_area(world, settlements):
    from outreach.reports import service
    from outreach.reports.facts import load_heads
    from outreach.teams import service as teams

    with world.app.app_context():
        heads = load_heads(teams.get_team("east").id)
    parents = {"EAST-09": "EAST", "EAST": None, "EAST-01": None, "EAST-07": None}
    assert service.rolled_up_areas(heads, parents, 2) == {
        "EAST-01": "EAST-01", "EAST": "EAST", "EAST-09": "EAST-09", "EAST-07": "EAST-07"}
    # The region holds its settlement's households: 3 + 2 reach 5; EAST-07 has no parent.
    assert service.rolled_up_areas(heads, parents, 5) == {
        "EAST-01": "EAST-01", "EAST": "EAST", "EAST-09": "EAST", "EAST-07": None}
    assert service.rolled_up_areas(heads, parents, 6)["EAST-01"] is None
