"""Prometheus metrics: they count what happened, summed over gunicorn workers, and no label
carries a user name, team, device or record id."""

from __future__ import annotations

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.fixtures.server import HttpClient, LiveServer
from tests.fixtures.world import build_world

pytestmark = pytest.mark.slow


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in found.items()
               if n == name and all(dict(ls).get(k) == w for k, w in labels.items()))


def test_metrics_after_a_sync_across_workers_and_without_ids(make_app, database_url, tmp_path):
    world = build_world(make_app())
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    server = LiveServer(database_url, tmp_path / "logs", workers=2,
                        extra_env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                                   "OUTREACH_RATELIMIT_ENABLED": "true",
                                   "OUTREACH_AUTH_RATE_LIMIT": "4 per minute"}).start()
    try:
        world.client = HttpClient(server.url)
        worker = world.login("worker1")
        good = [worker.seal("note") for _ in range(3)]
        forbidden = worker.seal("note", team="west")  # worker1 is not in west
        bad_sig = worker.seal("note")
        bad_sig["sig"] = good[0]["sig"]
        results = worker.sync(push=[*good, forbidden, bad_sig]).get_json()["results"]
        assert [r["status"] for r in results] == ["accepted"] * 3 + ["rejected"] * 2
        assert worker.sync(push=good[:2]).status_code == 200  # two duplicates
        statuses = []
        for _ in range(12):  # wrong passphrases until a rate limit answers
            statuses.append(world.client.post("/api/v1/auth/login", json={
                "username": "worker1", "auth_key": "A" * 43,
                "device": {"name": "x", "signing_public_key": "B" * 87}}).status_code)
            if statuses[-1] == 429:
                break
        assert statuses[-1] == 429, statuses
        # Several scrapes: whichever worker answers, the figures are the whole server's.
        scrapes = [world.client.get("/metrics") for _ in range(4)]
    finally:
        server.kill()
    for scrape in scrapes:
        assert scrape.status_code == 200
        assert scrape.headers["Content-Type"].startswith("text/plain")
    text = scrapes[-1].get_data(as_text=True)
    found = samples(text)
    assert value(found, "outreach_sync_records_total", result="accepted") == 3
    assert value(found, "outreach_sync_records_total", result="duplicate") == 2
    assert value(found, "outreach_sync_records_total", result="rejected") == 2
    problems = {dict(ls)["problem"] for (n, ls), v in found.items()
                if n == "outreach_sync_records_total" and dict(ls)["result"] == "rejected"}
    assert problems == {"forbidden-team", "bad-signature"}
    assert value(found, "outreach_sync_requests_total", status="200") == 2
    assert value(found, "outreach_sync_pull_records_count") == 2
    assert value(found, "outreach_http_request_duration_seconds_count", endpoint="sync.sync") == 2
    assert value(found, "outreach_login_failures_total") == statuses.count(401)
    assert statuses.count(401) >= 1
    assert value(found, "outreach_rate_limited_total", endpoint="auth.login") == 1
    # No id of any kind and no name in any label value.
    ids = {worker.device_id, worker.user_id, *(e["id"] for e in good), forbidden["id"],
           *(e["record_id"] for e in good)}
    label_values = {v for (_, ls) in found for _, v in ls}
    for forbidden_value in (*ids, "worker1", "east", "west", "test-org"):
        assert forbidden_value not in text
    assert not any(re.fullmatch(r"[0-9a-f-]{32,36}", v) for v in label_values)
