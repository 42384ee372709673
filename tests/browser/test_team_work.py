"""Two phones, one team: the supervisor reviews what the worker synced, both edit the same plan
offline and nothing is lost, a sync cut in the middle is retried without duplicates."""

from __future__ import annotations

import pytest

from tests.browser.pwa import (
    home,
    log_in,
    new_household,
    open_household,
    pulled,
    record_visit,
    settled,
    submit,
    tap_until_gone,
    wait_until_synced,
)

pytestmark = pytest.mark.slow


def visit_synced_by_worker1(page, family: str, contact: str) -> None:
    log_in(page, "worker1")
    settled(page)
    new_household(page, family)
    record_visit(page, area="EAST-01", contact=contact)
    home(page)
    wait_until_synced(page)


def open_for_review(supervisor, family: str) -> None:
    log_in(supervisor, "supervisor1")
    settled(supervisor)
    supervisor.click("#review-link")
    supervisor.click(f"#review-queue li a:has-text('{family}')")
    supervisor.wait_for_selector("#review-visit")


def test_the_supervisor_approves_a_synced_visit_and_the_worker_sees_it(app_page, second_phone):
    worker, _context, world, _server = app_page
    supervisor, _ = second_phone
    visit_synced_by_worker1(worker, "Familia Rostaș", "street")

    open_for_review(supervisor, "Familia Rostaș")
    assert "Street" in supervisor.inner_text("#review-visit")  # decrypted on the supervisor's phone
    supervisor.fill("#review-comment", "Good first contact.")
    supervisor.click("#approve")
    supervisor.wait_for_selector("#review-empty")
    home(supervisor)
    wait_until_synced(supervisor)

    (review,) = pulled(world, "review")
    assert review["plaintext"]["decision"] == "approved"
    assert review["plaintext"]["comment"] == "Good first contact."
    assert set(review["meta"]) == {"date", "source"}  # the decision is sealed too

    wait_until_synced(worker)  # the worker's next sync brings the review
    open_household(worker, "Familia Rostaș")
    worker.wait_for_selector("#visits .review-approved")
    assert "Good first contact." in worker.inner_text("#visits")


def edit_first_action(page, text: str) -> None:
    page.click("#edit-plan")
    page.wait_for_selector("#form-plan")
    empty = next(i for i in range(10) if not page.input_value(f"#action-{i}"))
    page.fill(f"#action-{empty}", text)
    submit(page)
    page.wait_for_selector("article.print-plan")


def test_both_edit_the_same_plan_offline_and_the_merge_keeps_both(app_page, second_phone):
    worker, worker_net, world, _server = app_page
    supervisor, supervisor_net = second_phone
    log_in(worker, "worker1")
    settled(worker)
    new_household(worker, "Familia Lakatos")
    worker.click("#edit-plan")
    worker.fill("#f-goals", "A dry home")
    worker.fill("#action-0", "Ask the mayor about the roof")
    submit(worker)
    worker.wait_for_selector("article.print-plan")
    home(worker)
    wait_until_synced(worker)
    log_in(supervisor, "supervisor1")
    settled(supervisor)

    worker_net.set_offline(True)
    supervisor_net.set_offline(True)
    open_household(worker, "Familia Lakatos")
    edit_first_action(worker, "Buy plastic sheeting")
    open_household(supervisor, "Familia Lakatos")
    edit_first_action(supervisor, "Call the housing office")

    worker_net.set_offline(False)
    home(worker)
    wait_until_synced(worker)
    supervisor_net.set_offline(False)
    home(supervisor)
    wait_until_synced(supervisor)
    (plan_id,) = {p["record_id"] for p in pulled(world, "plan")}
    assert len(pulled(world, "plan")) == 3  # the first version and both edits: all kept

    open_household(supervisor, "Familia Lakatos")
    supervisor.wait_for_selector("#conflicts")
    supervisor.click("#conflicts a.resolve")
    supervisor.click("#keep-merged")
    supervisor.wait_for_selector("#household-name")
    assert supervisor.locator("#conflicts").count() == 0
    home(supervisor)
    wait_until_synced(supervisor)

    plans = pulled(world, "plan")
    heads = {p["id"] for p in plans} - {parent for p in plans for parent in p["parents"]}
    (merged,) = [p for p in plans if p["id"] in heads]
    assert merged["record_id"] == plan_id
    assert len(merged["parents"]) == 2
    assert {a["description"] for a in merged["plaintext"]["actions"]} == {
        "Ask the mayor about the roof", "Buy plastic sheeting", "Call the housing office"}

    wait_until_synced(worker)
    open_household(worker, "Familia Lakatos")
    assert worker.locator("#conflicts").count() == 0
    assert "Call the housing office" in worker.inner_text("#plan")
    assert "Buy plastic sheeting" in worker.inner_text("#plan")
    worker.click("#edit-plan")  # every version stays readable in the plan's history
    worker.click("#history summary")
    assert worker.inner_text("#history summary") == "Earlier versions: 3"
    assert "Call the housing office" in worker.inner_text("#history")


def test_a_sync_cut_off_mid_way_is_retried_without_duplicates(app_page):
    page, context, world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    context.set_offline(True)
    for name in ("Familia Unu", "Familia Doi", "Familia Trei"):
        new_household(page, name)

    answers, encodings = [], []

    def deliver_then_drop(route):
        response = route.fetch()  # the request reaches the server and is committed
        answers.append([r["status"] for r in response.json()["results"]])
        encodings.append(route.request.headers.get("content-encoding"))
        if len(answers) == 1:
            route.abort("connectionreset")  # ... and the answer is lost on the way back
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/sync", deliver_then_drop)
    home(page)
    context.set_offline(False)  # the signal returns; the app retries by itself
    wait_until_synced(page)
    assert answers[0] == ["accepted"] * 3
    assert ["duplicate"] * 3 in answers[1:]  # the retry changed nothing on the server
    assert encodings[0] == "gzip"  # on 2G every byte counts: sync bodies travel compressed
    households = pulled(world, "household")
    assert sorted(h["plaintext"]["display_name"] for h in households) == [
        "Familia Doi", "Familia Trei", "Familia Unu"]
    page.click("#outbox")
    page.wait_for_selector("#receipts li")
    statuses = page.locator("#receipts li").evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses == ["synced"] * 3


def test_two_plans_started_on_two_phones_become_one(app_page, second_phone):
    worker, worker_net, world, _server = app_page
    supervisor, supervisor_net = second_phone
    log_in(worker, "worker1")
    settled(worker)
    new_household(worker, "Familia Dinca")
    home(worker)
    wait_until_synced(worker)
    log_in(supervisor, "supervisor1")
    settled(supervisor)
    for page, net, action in ((worker, worker_net, "Apply for heating aid"),
                              (supervisor, supervisor_net, "Find a school place")):
        net.set_offline(True)
        open_household(page, "Familia Dinca")
        page.click("#edit-plan")
        page.fill("#f-goals", "A better winter")
        page.fill("#action-0", action)
        submit(page)
        page.wait_for_selector("article.print-plan")
        net.set_offline(False)
        home(page)
        wait_until_synced(page)
    wait_until_synced(worker)
    open_household(worker, "Familia Dinca")
    tap_until_gone(worker, "#merge-plans")  # an impatient thumb still merges once
    worker.wait_for_selector("#plan:not(:has(#two-plans))")
    assert "Apply for heating aid" in worker.inner_text("#plan")
    assert "Find a school place" in worker.inner_text("#plan")
    home(worker)
    wait_until_synced(worker)
    plans = pulled(world, "plan")
    heads = [p for p in plans if p["id"] not in {x for q in plans for x in q["parents"]}]
    assert len(heads) == 2  # one live plan, one tombstone pointing at it
    (live,) = [p for p in heads if not p["plaintext"].get("deleted")]
    (tomb,) = [p for p in heads if p["plaintext"].get("deleted")]
    assert tomb["plaintext"]["merged_into"] == live["record_id"]
    assert {a["description"] for a in live["plaintext"]["actions"]} == {
        "Apply for heating aid", "Find a school place"}


def test_a_visit_sent_back_for_changes_returns_to_the_queue_once_edited(app_page, second_phone):
    worker, _context, _world, _server = app_page
    supervisor, _ = second_phone
    visit_synced_by_worker1(worker, "Familia Oravec", "phone")

    open_for_review(supervisor, "Familia Oravec")
    supervisor.fill("#review-comment", "Who was present?")
    supervisor.click("#request-changes")
    supervisor.wait_for_selector("#review-empty")
    home(supervisor)
    wait_until_synced(supervisor)

    wait_until_synced(worker)
    open_household(worker, "Familia Oravec")
    worker.wait_for_selector("#visits .review-changes_requested")
    assert "Who was present?" in worker.inner_text("#visits")
    worker.click("#visits li a")
    worker.select_option("#f-contact_type", "home_visit")
    submit(worker)
    worker.wait_for_selector("#household-name")
    home(worker)
    wait_until_synced(worker)

    wait_until_synced(supervisor)
    supervisor.evaluate("location.hash = '#/review'")
    supervisor.wait_for_selector("#review-queue li a:has-text('Familia Oravec')")
    supervisor.click("#review-queue li a")
    assert "Home visit" in supervisor.inner_text("#review-visit")  # the edited revision
