"""Every main screen, on a 360 px phone: no serious accessibility violations (axe-core), no
sideways scrolling, in English, Arabic (right to left) and Bulgarian (Cyrillic). Screenshots are
kept in tests/artifacts/ (the README's come from here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.pwa import (
    home,
    log_in,
    open_household,
    record_visit,
    rendered,
    settled,
    submit,
    unlock,
    wait_until_synced,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "artifacts"


def serious_violations(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # not a <script> tag: the app's CSP refuses inline ones
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def overflow(page) -> int:
    """How many pixels the page is wider than the phone (0: nothing to scroll sideways), against
    the device's width: innerWidth can grow with the content (test_layout.py checks every
    element of every screen on a mobile viewport)."""
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def check(page, name: str, locale: str) -> None:
    rendered(page)  # fonts loaded and the layout painted before judging
    assert serious_violations(page) == [], name
    assert overflow(page) <= 0, name
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"app-{name}-{locale}.png"))


@pytest.mark.parametrize("locale", ["en", "ar", "bg"])
def test_main_screens_are_accessible_and_fit_a_small_phone(app_page, chromium, locale):
    page, _context, world, server = app_page
    east = world.login("worker2")
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Rostaș"},
                              meta={"area": "EAST-01"})])
    page.evaluate(f"localStorage.setItem('outreach.locale', '{locale}')")
    page.reload()
    page.wait_for_selector("#username")
    assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
    if locale == "bg":
        assert re.search("[а-яА-Я]", page.inner_text("main")), "Bulgarian shows Cyrillic"
    check(page, "login", locale)
    log_in(page, "worker1")
    settled(page)
    page.wait_for_selector("#households li")
    check(page, "home", locale)

    open_household(page, "Familia Rostaș")
    page.click("#add-person")
    page.fill("#f-name", "Ana")
    submit(page)
    page.wait_for_selector("#household-name")
    page.click("#add-visit")
    page.wait_for_selector("#form-visit")
    check(page, "visit", locale)
    home(page)
    record_visit_on(page)
    page.click("#add-assessment")
    page.wait_for_selector("#domain-income")
    page.check("#domain-income input[value='3']")
    page.click("#domain-income summary")
    check(page, "assessment", locale)
    submit(page)
    page.wait_for_selector("#household-name")
    page.click("#edit-plan")
    page.fill("#f-goals", "A warm home")
    page.fill("#action-0", "Call the energy supplier")
    check(page, "plan", locale)
    submit(page)
    page.wait_for_selector("article.print-plan")
    check(page, "print", locale)
    page.click("#close-print")
    page.wait_for_selector("#household-name")
    check(page, "household", locale)
    home(page)
    page.click("#settings-link")
    page.wait_for_selector("#interface-language")
    check(page, "settings", locale)
    page.click("a.back")
    page.click("#outbox")
    page.wait_for_selector("#receipts")
    check(page, "sync", locale)
    home(page)
    wait_until_synced(page)
    page.reload()
    page.wait_for_selector("#pin")
    check(page, "unlock", locale)
    unlock(page)

    context = chromium.new_context(viewport={"width": 360, "height": 740})
    supervisor = context.new_page()
    supervisor.goto(server.url + "/")
    supervisor.evaluate(f"localStorage.setItem('outreach.locale', '{locale}')")
    log_in(supervisor, "supervisor1")
    settled(supervisor)
    supervisor.click("#review-link")
    supervisor.wait_for_selector("#review-queue li")
    check(supervisor, "review-queue", locale)
    supervisor.click("#review-queue li a")
    supervisor.wait_for_selector("#approve")
    check(supervisor, "review", locale)
    context.close()


def record_visit_on(page) -> None:
    open_household(page, "Familia Rostaș")
    record_visit(page, area="EAST-01", present=["Ana"], next_contact="2026-12-10")
