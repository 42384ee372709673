"""The life of a case on the phone: the next contact follows the latest decision, the plan keeps
the household's satisfaction, empowerment shows over time, search folds names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.pwa import home, log_in, new_household, open_household, settled, submit

pytestmark = pytest.mark.slow


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def visit_on(page: Any, when: str, next_contact: str) -> None:
    page.click("#add-visit")
    page.wait_for_selector("#form-visit")
    page.fill("#f-date", when)
    page.select_option("#f-contact_type", "home_visit")
    page.fill("#f-next_contact", next_contact)
    submit(page)
    page.wait_for_selector("#household-name")


def due_row(page: Any, name: str) -> Any:
    home(page)
    return page.locator(f"#due li:has-text('{name}')")


def assess(page: Any, when: str, confidence: int) -> None:
    page.click("#add-assessment")
    page.wait_for_selector("#form-assessment")
    page.fill("#f-date", when)
    page.check("#domain-income input[value='2']")
    page.check(f"#empowerment-confidence input[value='{confidence}']")
    submit(page)
    page.wait_for_selector("#household-name")


def test_next_contact_follows_the_latest_decision_and_the_plan_keeps_satisfaction(app_page):
    page, _context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Ștefan Bălan")

    visit_on(page, day(-20), day(-10))  # a date that passed
    assert due_row(page, "Ștefan Bălan").get_attribute("data-urgency") == "overdue"
    open_household(page, "Ștefan Bălan")
    visit_on(page, day(0), day(60))  # a later visit, a far date: nothing overdue any more
    assert due_row(page, "Ștefan Bălan").count() == 0
    open_household(page, "Ștefan Bălan")
    visit_on(page, day(0), day(3))  # a near date set after the far one shows
    row = due_row(page, "Ștefan Bălan")
    assert row.get_attribute("data-urgency") == "due"

    # Search folds case and diacritics.
    page.fill("#search", "stefan bal")
    assert page.locator("#households li .name").all_inner_texts() == ["Ștefan Bălan"]

    # The plan keeps the household's satisfaction from one revision to the next.
    open_household(page, "Ștefan Bălan")
    page.click("#edit-plan")
    page.fill("#f-goals", "Pay the electricity bill")
    page.select_option("#f-satisfaction", "4")
    submit(page)
    page.wait_for_selector("article.print-plan")
    open_household(page, "Ștefan Bălan")
    page.click("#edit-plan")
    assert page.input_value("#f-satisfaction") == "4"

    # Empowerment over time, beside the domain scores.
    open_household(page, "Ștefan Bălan")
    assess(page, day(-30), 2)
    assess(page, day(0), 4)
    cells = page.locator(
        "#empowerment-over-time tr[data-empowerment=confidence] td"
    ).all_inner_texts()
    assert [c.strip()[:1] for c in cells] == ["2", "4"]
