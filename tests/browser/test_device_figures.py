"""The supervisor's figures screen (issue 13, part 3): the phone counts the team's figures
from the records it decrypted, shows tables with charts beside them, exports CSV with a data
dictionary, and publishes a period as a signed record the server keeps."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.pwa import log_in, settled
from tests.fixtures.reports import Household, push_all, seal_household

pytestmark = pytest.mark.slow


def recent(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def test_the_figures_screen_shows_charts_and_tables_exports_csv_and_publishes(app_page,
                                                                            second_phone):
    page, _context, world, _server = app_page
    worker = world.login("worker1")
    households = [Household("EAST-01", date=recent(40),
                            people=[("female", "25-49"), ("male", "0-5")],
                            visits=[(recent(30), "home_visit")],
                            assessments=[(recent(40), {"income": 2}), (recent(10), {"income": 3})],
                            consent=(recent(40), "given")) for _ in range(7)]
    households += [Household("EAST-07", date=recent(20), people=[("male", "50-64")],
                             visits=[(recent(20), "street")]) for _ in range(2)]
    push_all(worker, [e for h in households for e in seal_household(worker, h)])

    log_in(page, "supervisor1")
    settled(page)
    page.click("#figures-link")
    page.wait_for_selector("#reach-table")
    total = page.locator("#reach-table tbody tr").last
    assert total.locator("td").all_inner_texts() == ["9", "16"]  # each household once
    east07 = page.locator("#reach-table tbody tr", has_text="East-07")
    assert east07.locator("td.withheld").count() == 2  # 2 households, 2 people: under k
    # The test world's areas have no degree of urbanisation recorded: all nine are there.
    unrecorded = page.locator("#urbanisation-table tbody tr").last
    assert unrecorded.locator("td").all_inner_texts() == ["9", "16"]
    assert page.locator("#months-chart svg rect").count() >= 1
    assert page.locator("#needs-chart svg rect.level-3").count() >= 1
    income = page.locator("#device-needs-table tbody tr", has_text="Income")
    assert income.locator("td").all_inner_texts()[2] == "7"  # all seven at level 3 now
    assert income.locator("td").last.inner_text() == "1"  # one level up since the first

    with page.expect_download() as caught:
        page.click("#figures-csv")
    raw = Path(caught.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets keep ș and ő
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    everyone = [r for r in rows if r["table"] == "consent" and r["category"] == "households"
                and r["area"] == "all"]
    assert [r["count"] for r in everyone] == ["9"]
    assert any(r["withheld"] == "yes" and r["count"] == "" for r in rows)
    with page.expect_download() as caught:
        page.click("#figures-dictionary")
    dictionary = Path(caught.value.path()).read_bytes().decode("utf-8-sig")
    assert "withheld" in dictionary
    assert "table=consent" in dictionary

    page.click("#figures-publish")
    page.wait_for_function(
        "document.querySelector('#figures-published').textContent.startsWith('Published')")
    supervisor = world.login("supervisor1")
    listed = world.client.get("/api/v1/reports/published?team=east",
                              headers=supervisor.headers).get_json()
    [published] = listed["published"]
    cells = published["tables"]["consent"]["cells"]
    assert next(c["count"] for c in cells
                if not c["group"] and c["inner"] == "households") == 9
    assert {"area": "EAST-07"} in [c["group"] for c in cells if c["count"] is None]
    # Published periods never overlap: the same period again is refused, and said so.
    page.click("#figures-publish")
    page.wait_for_function(
        "document.querySelector('#figures-published').textContent.includes('already published')")

    # The admin's organisation-wide view shows what was published, hidden figures still hidden.
    admin_page, _admin_context = second_phone
    log_in(admin_page, "admin1")
    admin_page.click("#organisation-link")
    admin_page.wait_for_selector(".published-period")
    rows = admin_page.locator(".published-period tr")
    assert rows.first.locator("td").inner_text() == "9"
