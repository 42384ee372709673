"""Drift repair (issue 12): a phone that lost an envelope, and a server restored from a copy
taken before a sync, both heal on the next sync, with nothing lost and nothing twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.browser.pwa import home, log_in, new_household, settled, wait_until_synced, write_note
from tests.fixtures.server import HttpClient, LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]
AREA = {"area": "EAST-01"}
RECORD_IDS = """() => new Promise((done, fail) => {
  const open = indexedDB.open('outreach');
  open.onsuccess = () => {
    const get = open.result.transaction('records').objectStore('records').getAllKeys();
    get.onsuccess = () => done(get.result.sort());
    get.onerror = () => fail(get.error);
  };
})"""
DROP_ONE = """(id) => new Promise((done) => {
  const open = indexedDB.open('outreach');
  open.onsuccess = () => {
    const tx = open.result.transaction('records', 'readwrite');
    tx.objectStore('records').delete(id);
    tx.oncomplete = () => done(true);
  };
})"""


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (what a backup is)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def test_a_phone_that_lost_an_envelope_gets_it_back(app_page):
    page, _context, world, _server = app_page
    east = world.login("worker2")
    household = east.seal("household", "east", {"display_name": "Familia Rostaș"}, meta=AREA)
    east.sync(push=[household, *[east.seal("note", "east", {"text": f"n{i}"},
                                           case_id=household["record_id"], meta=AREA)
                                 for i in range(3)]])
    log_in(page, "worker1")
    settled(page)
    held = page.evaluate(RECORD_IDS)
    assert len(held) == 4
    page.evaluate(DROP_ONE, held[1])  # storage cleared in part, nobody saw it
    assert len(page.evaluate(RECORD_IDS)) == 3
    wait_until_synced(page)
    assert page.evaluate(RECORD_IDS) == held
    assert len(world.login("worker2").pull_all()) == 4  # nothing twice


def test_a_server_restored_from_a_copy_taken_before_a_sync_gets_the_phones_records_back(
        chromium, pwa_build, live_world, network, database_url, tmp_path):
    world, server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(network.url + "/")
    log_in(page, "worker1")
    settled(page)
    backup = tmp_path / "backup.db"
    copy_database(sqlite_path(database_url), backup)  # the nightly backup
    new_household(page, "Familia Lakatos")
    write_note(page, "After the backup")
    home(page)
    wait_until_synced(page)
    before = sorted(e["id"] for e in world.login("worker2").pull_all())
    assert len(before) == 2
    # The server dies and comes back from the backup: it lost the two records.
    server.kill()
    copy_database(backup, sqlite_path(database_url))
    restored = LiveServer(database_url, tmp_path / "logs-restored").start()
    network.target = ("127.0.0.1", restored.port)
    world.client = HttpClient(restored.url)
    try:
        assert world.login("worker2").pull_all() == []
        wait_until_synced(page)
        after = sorted(e["id"] for e in world.login("worker2").pull_all())
        assert after == before  # everything back, nothing twice
        assert page.get_attribute("#status", "data-state") == "synced"
    finally:
        restored.kill()
        context.close()
