"""A bad signal for the whole browser (issue 12): lie-fi and GPRS through a test-side proxy
(tests/fixtures/netem.py) between Chromium and the real server, service worker included."""

from __future__ import annotations

import time

import pytest

from tests.browser.pwa import home, log_in, new_household, record_visit, settled, unlock

pytestmark = pytest.mark.slow


@pytest.fixture
def field_page(chromium, pwa_build, live_world, network):  # type: ignore[no-untyped-def]
    """A phone-sized browser that reaches the real server only through the network proxy."""
    world, _server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(network.url + "/")
    yield page, context, world, network
    context.close()


def status_state(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_attribute("#status", "data-state") or ""


def test_on_lie_fi_the_app_opens_in_under_three_seconds_and_syncs_once_the_signal_returns(
        field_page):
    page, _context, _world, network = field_page
    log_in(page, "worker1")
    settled(page)
    page.wait_for_selector("#offline-ready:not([hidden])")
    assert "Ready to work offline" in page.inner_text("#offline-ready")
    network.stall()  # the cell accepts connections and never answers
    started = time.monotonic()
    page.reload(wait_until="commit", timeout=3000)
    page.wait_for_selector("#pin", timeout=3000)
    assert time.monotonic() - started < 3
    page.wait_for_function("document.querySelector('#status').dataset.state === 'unreachable'",
                           timeout=20000)
    assert "cannot be reached" in page.inner_text("#status")
    unlock(page)
    new_household(page, "Familia Lakatos")
    record_visit(page)
    home(page)
    page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '2'")
    assert status_state(page) == "unreachable"  # never "online" while nothing gets through
    network.forward()
    # Nobody taps anything: the back-off timer finds the signal back.
    page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '0'",
                           timeout=45000)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'synced'")
    assert "Synced at" in page.inner_text("#status")
