"""No signal for days: the worker's outbox travels as a file to the supervisor's phone, which
imports it through the sync path; the worker's own sync later changes nothing (ARCHITECTURE
decision 8)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.pwa import (
    home,
    log_in,
    new_household,
    pulled,
    settled,
    wait_until_synced,
    waiting_count,
)

pytestmark = pytest.mark.slow


def settings(page) -> None:
    home(page)
    page.click("#settings-link")
    page.wait_for_selector("#import-records")


def sync_statuses(page) -> list[list[str]]:
    """The per-record statuses of every sync answer this page receives from now on."""
    answers: list[list[str]] = []

    def watch(route):
        try:
            response = route.fetch()
            answers.append([r["status"] for r in response.json()["results"]])
            route.fulfill(response=response)
        except PlaywrightError:
            # The test ended and closed the page while a background sync was in flight.
            if not page.is_closed():
                raise

    page.route("**/api/v1/sync", watch)
    return answers


def test_an_outbox_carried_as_a_file_is_imported_once_and_the_worker_syncs_duplicates(
        app_page, second_phone, tmp_path):
    worker, worker_net, world, _server = app_page
    supervisor, _ = second_phone
    log_in(worker, "worker1")
    settled(worker)
    worker_net.set_offline(True)  # days without signal
    new_household(worker, "Familia Dumitru")
    home(worker)
    waiting = waiting_count(worker)
    assert waiting >= 1

    settings(worker)
    with worker.expect_download() as download:
        worker.click("#export-outbox")
    carried = tmp_path / "outbox.json"
    download.value.save_as(carried)
    envelopes = json.loads(carried.read_text())["push"]
    assert len(envelopes) == waiting
    assert "Familia Dumitru" not in carried.read_text()  # still sealed on the memory card

    log_in(supervisor, "supervisor1")
    settled(supervisor)
    settings(supervisor)
    supervisor.set_input_files("#import-records", str(carried))
    summary = supervisor.wait_for_selector("#import-summary", timeout=20000)
    assert summary.get_attribute("data-accepted") == str(waiting)
    assert summary.get_attribute("data-refused") == "0"
    assert f"{waiting} accepted, 0 already there, 0 refused" in summary.inner_text()

    home(supervisor)  # the next pull brings the records to the supervisor's phone
    supervisor.wait_for_selector("#households li a:has-text('Familia Dumitru')", timeout=20000)
    (household,) = pulled(world, "household")
    assert household["plaintext"]["display_name"] == "Familia Dumitru"
    assert household["author_id"] == world.user_ids["worker1"]

    # The same file again: nothing new.
    settings(supervisor)
    supervisor.set_input_files("#import-records", str(carried))
    supervisor.wait_for_selector(f"#import-summary[data-duplicate='{waiting}']", timeout=20000)

    answers = sync_statuses(worker)
    worker_net.set_offline(False)
    home(worker)
    wait_until_synced(worker)  # the outbox empties
    pushed = [status for answer in answers for status in answer]
    assert pushed == ["duplicate"] * waiting
    assert waiting_count(worker) == 0
    assert len(pulled(world, "household")) == 1  # no duplicate rows


def test_a_file_that_is_not_an_outbox_is_refused_before_anything_is_sent(
        app_page, tmp_path):
    page, _context, _world, _server = app_page
    log_in(page, "supervisor1")
    settled(page)
    settings(page)
    answers = sync_statuses(page)
    not_ours = tmp_path / "photo.json"
    not_ours.write_text('{"households": ["Familia Dumitru"]}')
    page.set_input_files("#import-records", str(not_ours))
    page.wait_for_selector("#import-output .error")
    assert answers == []


def test_offline_the_import_waits_and_online_refused_records_say_why(app_page, tmp_path):
    page, context, world, _server = app_page
    worker = world.login("worker1")
    good = worker.seal("note")
    tampered = worker.seal("note")
    tampered["meta"]["area"] = "EAST-07"  # not what the worker's phone signed
    carried = tmp_path / "outbox.json"
    carried.write_text(json.dumps({"push": [good, tampered]}))
    log_in(page, "supervisor1")
    settled(page)
    settings(page)

    context.set_offline(True)
    page.set_input_files("#import-records", str(carried))
    assert "No connection" in page.inner_text("#import-output .error")

    context.set_offline(False)
    page.set_input_files("#import-records", str(carried))
    summary = page.wait_for_selector("#import-summary", timeout=20000)
    assert "1 accepted, 0 already there, 1 refused" in summary.inner_text()
    assert page.inner_text("#import-refused") == "1 record: The signature does not verify."
