"""GPRS for the whole browser (issue 12): 500 ms round trip, 20 kbit/s up, 50 kbit/s down, through
the test-side proxy (tests/fixtures/netem.py), service worker included. One phone's first day:
a cold first load, a first login that pulls the team's history with "n of m" progress and ends
"Ready to work offline", a reopen with the network cut, 20 visits recorded offline and synced in
one request when the signal comes back. The status line never claims what is not true. Lean on
purpose (one login, a history of two pull pages): figures belong to bench/field.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pwa import home, log_in, new_household, record_visit, unlock, waiting_count
from tests.fixtures.netem import GPRS

pytestmark = pytest.mark.slow

HISTORY = 150  # two pull pages (PULL_PAGE = 100 in sync/engine.js): progress has to move
VISITS = 20

# Every state and text of the status line, as the worker saw them, from the first paint on.
RECORD_STATUS = """
window.statusSeen = [];
new MutationObserver(() => {
  const line = document.querySelector('#status');
  if (!line) return;
  const seen = `${line.dataset.state || ''}|${line.textContent}`;
  if (window.statusSeen.at(-1) !== seen) window.statusSeen.push(seen);
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
"""


def sync_requests(log: Path) -> int:
    return log.read_text().count('"POST /api/v1/sync ')


def seen_states(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry.split("|", 1)[0] for entry in page.evaluate("window.statusSeen")]


def test_on_gprs_a_first_login_pulls_with_progress_works_offline_and_syncs_20_visits_at_once(
        chromium, pwa_build, live_world, network):
    world, server = live_world
    writer = world.login("worker2")  # the team's history, recorded by another member
    for first in range(0, HISTORY, 100):
        answer = writer.sync(push=[writer.seal("visit", "east", {"notes": "x" * 200})
                                   for _ in range(min(100, HISTORY - first))])
        assert answer.status_code == 200
    network.throttle(GPRS)
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.set_default_timeout(60_000)
    context.add_init_script(RECORD_STATUS)
    page = context.new_page()
    try:
        page.goto(network.url + "/", timeout=60_000)
        log_in(page, "worker1")
        page.wait_for_selector("#offline-ready:not([hidden])", timeout=120_000)
        assert "Ready to work offline" in page.inner_text("#offline-ready")
        records = page.evaluate("""new Promise((resolve) => {
          const open = indexedDB.open('outreach');
          open.onsuccess = () => {
            const count = open.result.transaction('records').objectStore('records').count();
            count.onsuccess = () => { resolve(count.result); open.result.close(); };
          };
        })""")
        assert records == HISTORY
        texts = page.evaluate("window.statusSeen")
        assert any(f"of {HISTORY}" in text for text in texts), texts  # "Syncing (100 of 150)"
        # The truth on a slow link: slow is not unreachable, and never "offline".
        assert not {"unreachable", "offline"} & set(seen_states(page)), texts
        page.wait_for_function("document.querySelector('#status').dataset.state === 'synced'")

        # The signal goes; the app reopens from the phone alone.
        context.set_offline(True)
        page.reload(wait_until="commit")
        unlock(page)
        page.wait_for_selector("#new-household")
        assert page.get_attribute("#status", "data-state") == "offline"
        new_household(page, "Familia Dumitru")
        for _ in range(VISITS):
            record_visit(page)
        home(page)
        page.wait_for_function(
            f"document.querySelector('#waiting-count')?.dataset.count === '{VISITS + 1}'")

        # The signal comes back, still GPRS: nobody taps anything.
        before = sync_requests(server.log_dir / "access.log")
        page.evaluate("window.statusSeen = []")
        context.set_offline(False)
        page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '0'",
                               timeout=90_000)
        page.wait_for_function("document.querySelector('#status').dataset.state === 'synced'")
        assert waiting_count(page) == 0
        log = (server.log_dir / "access.log").read_text().splitlines()
        assert sync_requests(server.log_dir / "access.log") - before == 1, log[-12:]
        assert "unreachable" not in seen_states(page), page.evaluate("window.statusSeen")
        assert "Synced at" in page.inner_text("#status")
    finally:
        context.close()
    on_server = [e for e in world.login("worker2").pull_all() if e["type"] in ("visit",
                                                                                "household")]
    assert len(on_server) == HISTORY + VISITS + 1  # nothing lost, nothing twice
