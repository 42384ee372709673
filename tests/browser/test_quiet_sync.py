"""Background syncs never disturb the worker (issue 12): a sync that brings new records
re-renders the open list screen in place, keeping typed text, focus, caret and scroll."""

from __future__ import annotations

import pytest

from tests.browser.pwa import home, log_in, open_household, settled

pytestmark = pytest.mark.slow
AREA = {"area": "EAST-01"}


def sync_in_background(page) -> None:  # type: ignore[no-untyped-def]
    """What the minute timer does: a sync nobody asked for; wait until it is done."""
    before = page.evaluate("document.querySelector('#status').dataset.lastSync || ''")
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function("(b) => document.querySelector('#status').dataset.lastSync > b",
                           arg=before, timeout=20000)


def test_a_sync_while_typing_in_the_household_search_keeps_text_focus_and_caret(app_page):
    page, _context, world, _server = app_page
    east = world.login("worker2")
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Rostaș"}, meta=AREA)])
    log_in(page, "worker1")
    settled(page)
    home(page)
    page.click("#search")
    page.keyboard.type("Famil")
    page.keyboard.press("ArrowLeft")  # the caret is not at the end: it must stay where it is
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Nova"}, meta=AREA)])
    sync_in_background(page)
    # The pulled household is listed (the screen was re-rendered), under the typed filter ...
    page.wait_for_selector("#households li:has-text('Familia Nova')")
    # ... and the worker's typing was not touched.
    assert page.input_value("#search") == "Famil"
    assert page.evaluate("document.activeElement.id") == "search"
    assert page.evaluate("document.activeElement.selectionStart") == 4
    page.keyboard.type("i")
    assert page.input_value("#search") == "Famiil"


def test_a_sync_on_a_scrolled_household_page_keeps_the_scroll_position(app_page):
    page, _context, world, _server = app_page
    east = world.login("worker2")
    household = east.seal("household", "east", {"display_name": "Familia Lungu"}, meta=AREA)
    notes = [east.seal("note", "east", {"text": f"Note {i} " + "words " * 30},
                       case_id=household["record_id"], meta=AREA) for i in range(12)]
    east.sync(push=[household, *notes])
    log_in(page, "worker1")
    settled(page)
    open_household(page, "Familia Lungu")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("window.scrollY > 300")
    scrolled = page.evaluate("window.scrollY")
    east.sync(push=[east.seal("note", "east", {"text": "Pulled in the background"},
                              case_id=household["record_id"], meta=AREA)])
    sync_in_background(page)
    page.wait_for_selector(".note-text:has-text('Pulled in the background')")
    assert page.evaluate("window.scrollY") == scrolled
    assert page.evaluate("document.activeElement.tagName") != "H1"  # nothing re-announced


def test_a_sync_that_brings_nothing_leaves_the_screen_alone(app_page):
    page, _context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    home(page)
    page.evaluate("document.querySelector('#households').dataset.probe = 'kept'")
    sync_in_background(page)
    assert page.get_attribute("#households", "data-probe") == "kept"
