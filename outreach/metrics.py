"""Prometheus metrics (prometheus-client), at ``GET /metrics``.

Labels are bounded sets the code chooses: Flask endpoint names, HTTP statuses, record outcomes
and problem types. Never a user name, team, device, record id or anything from a request: a
label value is stored and shipped to the monitoring system as is.

Under gunicorn every worker is a process: with ``PROMETHEUS_MULTIPROC_DIR`` set (deploy/
gunicorn.conf.py does it) each one writes its values to files there and ``/metrics`` sums them
over all workers, whichever worker answers the scrape.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("outreach_http_requests", "HTTP requests answered",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("outreach_http_request_duration_seconds", "Time to answer a request",
                    ["endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
SYNC_REQUESTS = Counter("outreach_sync_requests", "POST /api/v1/sync requests", ["status"])
SYNC_RECORDS = Counter("outreach_sync_records",
                       "Pushed records by outcome; rejected ones by problem type",
                       ["result", "problem"])
PULL_RECORDS = Histogram("outreach_sync_pull_records", "Records in one sync response's pull",
                         buckets=(0, 1, 5, 10, 50, 100, 250, 500, 1000))
SYNC_RESPONSE_BYTES = Histogram("outreach_sync_response_bytes",
                                "Size of a sync response body as sent",
                                buckets=(1e3, 1e4, 5e4, 1e5, 5e5, 1e6, 5e6, 1e7))
LOGIN_FAILURES = Counter("outreach_login_failures", "Failed logins", ["reason"])
RATE_LIMITED = Counter("outreach_rate_limited", "Requests refused by a rate limit",
                       ["endpoint"])

_RESULTS = ("accepted", "duplicate", "conflict", "rejected")


def _endpoint() -> str:
    return request.endpoint or "unknown"


def record_sync(results: Iterable[Mapping[str, Any]], pulled: int, body_bytes: int) -> None:
    # Counted first, then one labelled increment per outcome: a child lookup per record
    # costs more than the counting (a 100-envelope push has one or two outcomes).
    counts: dict[tuple[str, str], int] = {}
    for result in results:
        status = str(result.get("status"))
        if status not in _RESULTS:
            continue
        problem = ""
        if status == "rejected":
            # "/problems/<type>": a type from our own code, never from the request.
            problem = str(result.get("problem", {}).get("type", "")).removeprefix("/problems/")
        counts[status, problem] = counts.get((status, problem), 0) + 1
    for (status, problem), count in counts.items():
        SYNC_RECORDS.labels(status, problem).inc(count)
    PULL_RECORDS.observe(pulled)
    SYNC_RESPONSE_BYTES.observe(body_bytes)


def login_failed(reason: str) -> None:
    LOGIN_FAILURES.labels(reason).inc()


def rate_limited() -> None:
    RATE_LIMITED.labels(_endpoint()).inc()


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def register_metrics(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        endpoint = _endpoint()
        if endpoint == "metrics":
            return response
        if started is not None:
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        if endpoint == "sync.sync":
            SYNC_REQUESTS.labels(str(response.status_code)).inc()
        return response

    @app.get("/metrics", endpoint="metrics")
    def metrics() -> Response:
        # Not for the internet: the shipped nginx site refuses /metrics; Prometheus scrapes
        # the app servers on their private address (docs/operations.md).
        data, content_type = render()
        return Response(data, content_type=content_type, headers={"Cache-Control": "no-store"})
