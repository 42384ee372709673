"""Team figures on a supervisor's phone: counts from the server over what envelope format 2
leaves in the clear, small numbers hidden and explained, readable at 360 px without serious
accessibility violations, and a clear message without a signal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.pwa import log_in, rendered, settled
from tests.browser.test_screens import SHOTS, overflow, serious_violations
from tests.fixtures.reports import Household, push_all, seal_household

pytestmark = pytest.mark.slow


def recent(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def seed(world) -> None:
    """Seven households in EAST-01, assessed twice; two in EAST-07: a small number."""
    worker = world.login("worker1")
    households = [Household("EAST-01", date=recent(40), people=[("female", "25-49")],
                            visits=[(recent(30), "home_visit")],
                            assessments=[(recent(40), {"income": 2}), (recent(10), {"income": 3})])
                  for _ in range(7)]
    households += [Household("EAST-07", date=recent(20), people=[("male", "50-64")],
                             visits=[(recent(20), "street")]) for _ in range(2)]
    push_all(worker, [e for h in households for e in seal_household(worker, h)])


def test_a_supervisor_sees_the_team_figures_with_small_numbers_hidden(app_page):
    page, context, world, _server = app_page
    seed(world)
    log_in(page, "supervisor1")
    settled(page)
    page.click("#report-link")
    page.wait_for_selector("#reach-table")

    total = page.locator("#reach-table tbody tr").last
    assert total.locator("th").inner_text() == "Total"
    assert total.locator("td").all_inner_texts() == ["9", "9", "9"]
    east07 = page.locator("#reach-table tbody tr", has_text="East-07")
    assert east07.locator("td.withheld").count() == 3  # 2 households, 2 people, 2 visits
    assert "hidden" in east07.inner_text()
    assert "fewer than 5" in page.inner_text("#hidden-explained")
    # The server cannot tell which records are one household: no needs, no sex, no age.
    assert page.locator("#needs-table").count() == 0
    assert page.locator("#report-group option[value=sex]").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "app-report-en.png"), full_page=True)

    page.select_option("#report-group", "contact_type")
    page.wait_for_selector("#reach-table tbody tr:has-text('Home visit')")
    rendered(page)  # fonts loaded and the layout painted before judging
    assert serious_violations(page) == []
    assert overflow(page) <= 0

    context.set_offline(True)
    page.select_option("#report-period-choice", "3")
    page.wait_for_function(
        "document.querySelector('#report-status').textContent.includes('need a signal')")
    assert page.locator("#reach-table").count() == 0
    context.set_offline(False)


def test_workers_see_no_link_to_team_figures(app_page):
    page, _context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    assert page.locator("#report-link").count() == 0


def test_team_figures_read_right_to_left_on_a_small_phone(app_page):
    page, _context, world, _server = app_page
    seed(world)
    page.evaluate("localStorage.setItem('outreach.locale', 'ar')")
    page.reload()
    log_in(page, "supervisor1")
    settled(page)
    page.click("#report-link")
    page.wait_for_selector("#reach-table td.withheld")
    assert page.get_attribute("html", "dir") == "rtl"
    rendered(page)
    assert serious_violations(page) == []
    assert overflow(page) <= 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "app-report-ar.png"), full_page=True)
