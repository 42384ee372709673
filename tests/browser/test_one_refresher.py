"""One token refresher for every tab, screen and the sync loop (issue 12): a refresh token is
single use and a spent one revokes the family, so two refreshes at once would log the worker out."""

from __future__ import annotations

from typing import Any

import pytest

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.browser.pwa import log_in, settled, unlock

pytestmark = pytest.mark.slow


def last_sync(page: Any) -> str:
    return page.evaluate("document.querySelector('#status').dataset.lastSync || ''")


def test_two_tabs_and_their_sync_loops_refreshing_at_once_stay_logged_in(
        chromium, pwa_build, make_live_world):
    # Access tokens that live one second: every sync must refresh.
    world, server = make_live_world(access_token_seconds="1")
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    first = context.new_page()
    first.goto(server.url + "/")
    log_in(first, "worker1")
    settled(first)
    second = context.new_page()
    second.goto(server.url + "/")
    unlock(second)
    settled(second)
    for _round in range(3):
        # Wait out both tabs' access tokens (1 s, counted in whole seconds by the server).
        first.evaluate("new Promise((done) => setTimeout(done, 2100))")
        before = [last_sync(first), last_sync(second)]
        # Both sync loops wake at once, as after a signal comes back; both find the token expired.
        for page in (first, second):
            page.evaluate("dispatchEvent(new Event('online'))")
        for page, seen in zip((first, second), before, strict=True):
            # lastSync is stamped a moment before the loop lets go of "syncing" (the outbox is
            # counted in between), and a sync asked for meanwhile runs right after: wait for the
            # settled state, not for the first sign of it. A logged-out tab never gets there.
            page.wait_for_function(
                """(b) => {
                  const status = document.querySelector('#status');
                  return status.dataset.lastSync > b && status.dataset.state === 'synced';
                }""", arg=seen, timeout=20000)
    with world.app.app_context():
        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "token_reuse" not in actions
    log = (server.log_dir / "access.log").read_text().splitlines()
    refreshes = [line for line in log if '"POST /api/v1/auth/refresh ' in line]
    assert len(refreshes) >= 3  # the test did make them refresh
    assert all('" 200 ' in line for line in refreshes)
    context.close()
