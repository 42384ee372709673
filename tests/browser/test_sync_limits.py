"""A 413 halves the batch down to single envelopes (PROTOCOL §3), so a lowered size limit never
blocks the outbox (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.pwa import home, log_in, new_household, settled, wait_until_synced, write_note

pytestmark = pytest.mark.slow


def test_a_413_halves_the_batch_and_every_record_is_accepted_once(
        chromium, pwa_build, make_live_world):
    world, server = make_live_world(max_push="3")
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.url + "/")
    log_in(page, "worker1")
    settled(page)
    context.set_offline(True)
    new_household(page, "Familia Horváth")
    for i in range(6):
        write_note(page, f"Note {i}")
    home(page)
    page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '7'")
    context.set_offline(False)
    wait_until_synced(page)
    pulled = world.login("worker2").pull_all()
    assert sorted(e["type"] for e in pulled) == ["household"] + ["note"] * 6
    assert len({e["id"] for e in pulled}) == 7  # none twice
    log = (server.log_dir / "access.log").read_text()
    assert '"POST /api/v1/sync HTTP/1.1" 413' in log  # the limit was met, and halved under
    context.close()
