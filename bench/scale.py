"""Benchmark: does a sync cost more as the database grows? (issue 18)

Run: `.venv/bin/python bench/scale.py` (sizes 10k, 100k, 1M on SQLite and PostgreSQL; long)
or `--sizes 10000,100000 --db sqlite` for a quick look. Not a test: it asserts nothing.

The database is filled to each size by direct inserts of signed, structurally valid rows spread
over 50 teams (one revision per record, its head row, the team digests kept right, and one
erased record per 500 envelopes), so filling is fast; the ciphertexts are copies of one sealed
visit and do not decrypt under another id.
At each size, against the real server (gunicorn, the bench's settings):

- push: p50 of 30 requests of 20 new visits by one worker of team ``east`` (a 1/50 share);
- pull: p50 of the full 100-envelope pages (the PWA's page) of the catch-up pull of what was
  added since, then of first pulls from scratch until at least 30 full pages were timed;
- up to date: p50 of a sync with nothing to push or pull (the commonest request);
- the pull's ``remaining`` count from the start of the team's history, in-process: bounded
  (``sync/pull.py``, what the server runs) beside an exact count (what it ran before);
- on PostgreSQL at the largest size, the plan (EXPLAIN) of every statement a push, a pull page
  and an up-to-date sync run, captured in-process: what each reads, and any sequential scan of
  a table above 1,000 rows with its plan; every read (SELECT) again under EXPLAIN ANALYZE with
  the parameters of its first run (a first pull: from the start of the team's history), its
  execution time printed, and the pull page's whole EXPLAIN (ANALYZE, BUFFERS);
- the memory of each gunicorn worker (RSS, and its private part from ``smaps_rollup``) after
  the warm-up, after each size, and every tenth of a long run of ``--long`` mixed syncs at the
  largest size, with the requests each worker had served (from the access log); and the
  number of blocks its Python heap holds after a full collection, every 100 requests
  (``bench/scale_gunicorn.py``). Each verdict fits the growth against the worker's requests
  over the long run's second half and compares it with the first half: a leak keeps its
  slope (linear in requests), warm-up growth flattens. gunicorn runs with the shipped
  settings (``deploy/gunicorn.conf.py``: sync workers, preload, ``gc.freeze``) but
  ``--max-requests 0``, and the worker pids are checked to be the same at every sample, so the
  same processes serve the whole run.

Before each size's clock starts, every worker has served pushes and full pull pages (so the
first size does not pay for first runs).

The figure that matters is the ratio of p50 at the largest size to p50 at the smallest: a cost
that does not grow with the database is within 1.25x. PostgreSQL runs with the test fixture's
settings (fsync off: a throwaway server), so its figures compare sizes, not durability.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync import typical_visit  # noqa: E402
from outreach import crypto  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.postgres import running_postgres  # noqa: E402
from tests.fixtures.server import HttpClient, LiveServer  # noqa: E402
from tests.fixtures.world import build_world, client_login  # noqa: E402

TEAMS = 50
PULL_PAGE = 100  # the PWA's page (static/pwa/src/sync/engine.js)
CHUNK = 5000
ERASED_EVERY = 500  # one record erased per 500 envelopes filled
WORKERS = 4
# The shipped settings with no worker recycling: the memory verdict needs the same processes from
# the first request to the last. The access log's lines start with the worker's pid.
# bench/scale_gunicorn.py: deploy/gunicorn.conf.py, and each worker's count of Python heap blocks
# every HEAP_EVERY requests.
SERVER_ARGS = ["-c", "bench/scale_gunicorn.py", "--max-requests", "0",
               "--max-requests-jitter", "0", "--access-logformat", '%(p)s "%(m)s %(U)s" %(s)s']
HEAP_EVERY = 100
LONG_SAMPLES = 10  # memory samples over the long run
# The verdict: a worker's RSS, fitted against its requests, may grow this much over the long
# run's second half and still be "no growth" (RSS moves by ~1-2 MiB either way as the
# allocators take and give back arenas; a leak keeps climbing).
FLAT_MIB = 1.0
# The same for the Python heap's block count (after a full collection: steady within ~100 of
# ~700,000 blocks over thousands of requests), as a share of it: a leak of one block per request
# passes it within the second half of a 20,000-sync run.
HEAP_FLAT = 0.001


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'scale.db'}"
        return
    with running_postgres() as admin_url:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE scale"))
        engine.dispose()
        yield admin_url.rsplit("/", 1)[0] + "/scale"


def add_teams(app: Any) -> dict[str, int]:
    """48 more teams beside the world's east and west, each with areas and a team key."""
    from outreach.extensions import db
    from outreach.keys import service as keys
    from outreach.teams import service as teams
    from outreach.teams.models import Organisation, Team

    with app.app_context():
        org = db.session.execute(db.select(Organisation)).scalar_one()
        recovery_public = crypto.generate_private_key().public_key()
        for n in range(3, TEAMS + 1):
            team = teams.add_team(org, f"t{n:02}", f"Team {n}")
            teams.add_area(team, f"T{n:02}-01", f"Area {n}")
            private = crypto.generate_private_key()
            keys.create_team_key(team, version=1,
                                 public_key=crypto.public_key_to_b64u(private.public_key()),
                                 grants={}, recovery_grant=crypto.grant_team_key(
                                     private, recovery_public), recovery_kid="recovery:1")
        db.session.commit()
        return {slug: pk for slug, pk in db.session.execute(db.select(Team.slug, Team.id))}


class Filler:
    """Signed rows cloned from one sealed visit per team, inserted with Core executemany."""

    def __init__(self, app: Any, session: Any, team_pks: dict[str, int]) -> None:
        self.app, self.session, self.team_pks = app, session, team_pks
        self.slugs = sorted(team_pks)
        template = typical_visit(session, 0)
        self.templates = {}
        for slug in self.slugs:
            env = json.loads(json.dumps(template))
            env["team_id"] = slug
            env["keys"][0]["kid"] = f"team:{slug}:1"
            env["meta"]["area"] = "EAST-01" if slug == "east" else (
                "WEST-01" if slug == "west" else f"T{slug[1:]}-01")
            self.templates[slug] = env
        self.filled = 0

    def rows(self, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                         dict[int, list[str]]]:
        now = datetime.now(UTC)
        envelopes, heads, by_team = [], [], {}
        for n in range(count):
            slug = self.slugs[(self.filled + n) % TEAMS]
            env = dict(self.templates[slug])
            env["id"], env["record_id"] = crypto.new_uuid7(), crypto.new_uuid7()
            if "case_id" in env:
                env["case_id"] = crypto.new_uuid7()
            env.pop("sig")
            env["sig"] = crypto.b64u_encode(crypto.sign(crypto.envelope_signing_bytes(env),
                                                        self.session.device_key))
            body = crypto.canonical_json(env)
            team_pk = self.team_pks[slug]
            envelopes.append(stored_row(env, body, team_pk, self.session, now))
            heads.append({"record_id": env["record_id"], "envelope_id": env["id"],
                          "team_id": team_pk})
            by_team.setdefault(team_pk, []).append(env["id"])
        return envelopes, heads, by_team

    def fill_to(self, target: int) -> float:
        from outreach.extensions import db
        from outreach.sync import digest
        from outreach.sync.models import Envelope, ErasedRecord, RecordHead

        start = time.perf_counter()
        with self.app.app_context():
            while self.filled < target:
                envelopes, heads, by_team = self.rows(min(CHUNK, target - self.filled))
                db.session.execute(Envelope.__table__.insert(), envelopes)
                db.session.execute(RecordHead.__table__.insert(), heads)
                digest.apply(by_team, 1)
                # Records erased on request accumulate too (every sync asks for the team's
                # erasures after its cursor): ids only, as an erasure leaves them.
                last_seq = db.session.execute(sa.select(sa.func.max(Envelope.seq))).scalar_one()
                db.session.execute(ErasedRecord.__table__.insert(), [
                    {"record_id": crypto.new_uuid7(), "erased_at": datetime.now(UTC),
                     "team_id": self.team_pks[self.slugs[(self.filled // ERASED_EVERY + n)
                                                         % TEAMS]],
                     "erased_seq": last_seq}
                    for n in range(max(1, len(envelopes) // ERASED_EVERY))])
                db.session.commit()
                self.filled += len(envelopes)
                print(f"  filled {self.filled:>9,}", end="\r", flush=True)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(sa.text("ANALYZE"))
        return time.perf_counter() - start


def stored_row(env: dict[str, Any], body: bytes, team_pk: int, session: Any,
               now: datetime) -> dict[str, Any]:
    """The row the push stores for an accepted first revision (sync.decide)."""
    from outreach.sync.models import Envelope

    row = {
        "id": env["id"], "record_id": env["record_id"], "team_id": team_pk,
        "type": env["type"], "schema": env["schema"], "parents": json.dumps(env["parents"]),
        "meta": json.dumps(env["meta"], sort_keys=True, separators=(",", ":")),
        "paper_serial": None, "body": body, "content_hash": hashlib.sha256(body).digest(),
        "author_id": session.user_id, "device_id": session.device_id, "received_at": now,
    }
    if "case_id" in Envelope.__table__.c:
        row["case_id"] = env.get("case_id")
    return row


def p50(values: list[float]) -> float:
    return statistics.median(values) * 1000


def pull_pages(http: requests.Session, url: str, headers: dict[str, str],
               cursor: str | None) -> tuple[list[float], str]:
    """Times of the full pages of a pull from ``cursor`` to the end, and the last cursor."""
    pages = []
    while True:
        start = time.perf_counter()
        answer = http.post(url, json={"push": [], "since": cursor, "limit": PULL_PAGE},
                           headers=headers, timeout=120).json()
        took = time.perf_counter() - start
        cursor = answer["cursor"]
        if len(answer["pull"]) == PULL_PAGE:
            pages.append(took)
        if not answer["more"]:
            return pages, cursor


def warm(http: requests.Session, url: str, headers: dict[str, str]) -> None:
    for _ in range(2 * WORKERS):  # every worker warm before the clock starts
        http.post(url, json={"push": [], "since": None, "limit": 1}, headers=headers,
                  timeout=60)


def measure(url: str, session: Any, cursor: str | None) -> tuple[dict[str, float], str]:
    http = requests.Session()
    headers = {**session.headers, "Accept-Encoding": "gzip"}
    warm(http, url, headers)
    # Every worker through each kind of request before the clock starts (the first size
    # should not pay for first runs: statements compiled, caches filled).
    for n in range(2 * WORKERS):
        http.post(url, json={"push": [typical_visit(session, 500_000 + n * 20 + i)
                                      for i in range(20)]}, headers=headers, timeout=60)
        http.post(url, json={"push": [], "since": None, "limit": PULL_PAGE}, headers=headers,
                  timeout=60)
    pages, cursor_now = pull_pages(http, url, headers, cursor)
    while len(pages) < 30:  # a small history: first pulls from scratch until 30 pages
        more, _ = pull_pages(http, url, headers, None)
        if not more:
            raise SystemExit(f"no full page of {PULL_PAGE} in a team's history: sizes too small")
        pages += more[:30 - len(pages)]
    idle = []
    for _ in range(30):
        start = time.perf_counter()
        answer = http.post(url, json={"push": [], "since": cursor_now}, headers=headers,
                           timeout=60).json()
        idle.append(time.perf_counter() - start)
    pushes = []
    for n in range(30):
        batch = [typical_visit(session, n * 20 + i) for i in range(20)]
        start = time.perf_counter()
        response = http.post(url, json={"push": batch, "since": cursor_now},
                             headers=headers, timeout=60)
        pushes.append(time.perf_counter() - start)
        answer = response.json()
        assert all(r["status"] == "accepted" for r in answer["results"]), answer["results"][:1]
        cursor_now = answer["cursor"]
    return {"push": p50(pushes), "pull page": p50(pages),
            "up to date": p50(idle), "pages": len(pages)}, cursor_now


def long_run(url: str, session: Any, requests_total: int, sample: Callable[[int], None],
             clients: int = WORKERS) -> float:
    """``requests_total`` syncs from ``clients`` threads, as phones mix them: 1 in 10 a push
    of 20 visits, 2 in 10 a first pull page, the rest up to date; in ``LONG_SAMPLES`` phases,
    ``sample(done)`` called after each (no request in flight). Returns requests per second."""
    headers = {**session.headers, "Accept-Encoding": "gzip"}
    answer = requests.post(url, json={"push": [], "since": None, "limit": 1}, headers=headers,
                           timeout=60).json()
    _, cursor = pull_pages(requests.Session(), url, headers, answer["cursor"])
    lock = threading.Lock()
    failures: list[str] = []
    sessions = [requests.Session() for _ in range(clients)]

    def client(http: requests.Session, counter: Iterator[int]) -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            if n % 10 == 0:
                body = {"push": [typical_visit(session, 100_000 + n * 20 + i) for i in range(20)],
                        "since": cursor}
            elif n % 10 in (1, 2):
                body = {"push": [], "since": None, "limit": PULL_PAGE}
            else:
                body = {"push": [], "since": cursor}
            response = http.post(url, json=body, headers=headers, timeout=120)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:200]}")

    took = 0.0
    bounds = [requests_total * k // LONG_SAMPLES for k in range(LONG_SAMPLES + 1)]
    for low, high in itertools.pairwise(bounds):
        counter = iter(range(low, high))
        start = time.perf_counter()
        threads = [threading.Thread(target=client, args=(http, counter)) for http in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took += time.perf_counter() - start
        assert not failures, failures[:3]
        sample(high)
    return requests_total / took


def count_remaining(app: Any, team_pk: int) -> dict[str, float]:
    """The pull's ``remaining`` count from the start of one team's history: bounded, as
    ``sync/pull.py`` asks it, and exact (before issue 18), p50 of 5 each, in ms."""
    from sqlalchemy import func, literal

    from outreach.extensions import db
    from outreach.sync import pull
    from outreach.sync.models import Envelope

    where = (Envelope.team_id.in_([team_pk]), Envelope.seq > 0)
    bounded = db.select(func.count()).select_from(
        db.select(literal(1)).where(*where).limit(pull.REMAINING_CAP + 1).subquery())
    exact = db.select(func.count()).select_from(Envelope).where(*where)
    figures = {}
    with app.app_context():
        for name, statement in (("bounded", bounded), ("exact", exact)):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                figures[name + " n"] = db.session.execute(statement).scalar_one()
                times.append(time.perf_counter() - start)
            figures[name] = p50(times)
        db.session.rollback()
    return figures


def explain(app: Any, session: Any, cursor: str) -> list[str]:
    """Run a push of 20, a pull page with more to come and an up-to-date sync in-process,
    capture every statement they send, and EXPLAIN each on PostgreSQL: the sequential scans of
    tables above 1,000 rows (by the planner's statistics), with their plans."""
    from sqlalchemy import event

    from outreach.extensions import db

    captured: dict[str, Any] = {}  # statement: the parameters of its first run

    def hook(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if not executemany and statement.lstrip().split(None, 1)[0].upper() in (
                "SELECT", "UPDATE", "DELETE", "WITH", "INSERT"):
            captured.setdefault(statement, parameters)

    client = app.test_client()

    def sync(body: dict[str, Any]) -> dict[str, Any]:
        # As the phones send it (bytes, not the test client's json=, which this view reads
        # differently).
        response = client.post("/api/v1/sync", data=json.dumps(body), headers={
            **session.headers, "Content-Type": "application/json"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    with app.app_context():
        engine = db.engine
    # Outside an app context: each request gets its own, as under gunicorn.
    event.listen(engine, "before_cursor_execute", hook)
    try:
        answer = sync({"push": [typical_visit(session, 900_000 + i) for i in range(20)],
                       "since": cursor})
        assert all(r["status"] == "accepted" for r in answer["results"])
        first = sync({"push": [], "since": None, "limit": PULL_PAGE})
        assert first["more"], {k: v for k, v in first.items() if k != "pull"}
        while answer["more"]:
            answer = sync({"push": [], "since": answer["cursor"], "limit": PULL_PAGE})
        sync({"push": [], "since": answer["cursor"]})
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    with app.app_context():
        report = [f"  EXPLAIN: {len(captured)} distinct statements of push, pull and up to date"
                  " (reads: execution time under EXPLAIN ANALYZE, parameters of the first run)"]
        seq_scans = 0
        with db.engine.connect() as conn:
            sizes = dict(conn.exec_driver_sql(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'").all())
            for statement, parameters in captured.items():
                plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement,
                                            parameters).scalar_one()
                nodes = list(walk(plan[0]["Plan"]))
                scans = [node for node in nodes if node["Node Type"] == "Seq Scan"
                         and sizes.get(node.get("Relation Name"), 0) > 1_000]
                # A Bitmap Index Scan names its index but not its table.
                reads = sorted({f"{n['Node Type']} {n.get('Index Name') or n['Relation Name']}"
                                for n in nodes if "Relation Name" in n or "Index Name" in n})
                analyzed = ""
                # Reads only (ANALYZE runs the statement; the writers' lock is not taken here).
                if statement.lstrip().upper().startswith("SELECT") and \
                        "pg_advisory" not in statement:
                    done = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement,
                                                parameters).scalar_one()
                    analyzed = f"{done[0]['Execution Time']:7.3f} ms "
                report.append(f"    {' '.join(statement.split())[:70]:70} {analyzed:>11}"
                              f"{'; '.join(reads)}")
                if scans:
                    seq_scans += 1
                    text = "\n".join(row[0] for row in conn.exec_driver_sql(
                        "EXPLAIN " + statement, parameters))
                    # Planner's choice on a small table, or no index to use? The plan it
                    # would take without sequential scans, with its cost.
                    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                    other = "\n".join(row[0] for row in conn.exec_driver_sql(
                        "EXPLAIN " + statement, parameters))
                    conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
                    report.append(f"  SEQ SCAN of {', '.join(n['Relation Name'] for n in scans)}"
                                  f" in:\n{statement}\n{text}\n  with enable_seqscan off:\n"
                                  f"{other}")
            for statement, parameters in captured.items():
                # The pull page: after the push (its own ids excluded) and a first pull's.
                if "ORDER BY envelope.seq" in statement and "CASE WHEN" in statement:
                    text = "\n".join(row[0] for row in conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters))
                    shown = {k: v for k, v in parameters.items()
                             if not k.startswith(("team", "excluded"))}
                    shown["excluded ids"] = sum(k.startswith("excluded") for k in parameters)
                    report.append(f"  pull page, EXPLAIN (ANALYZE, BUFFERS), {shown}:\n"
                                  + "\n".join("    " + line for line in text.splitlines()))
            conn.rollback()
        if not seq_scans:
            report.append("  no sequential scan of a table above 1,000 rows")
    return report


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def memory_mib(pid: int) -> tuple[float, float]:
    """RSS and its private part (what the worker does not share with the master), MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]


def served(log: Path, workers: list[int]) -> list[int]:
    """Requests each worker has answered, from the access log (its lines start with the pid)."""
    counts = dict.fromkeys(workers, 0)
    for line in log.read_text().splitlines():
        pid = int(line.split(None, 1)[0].strip("<>"))  # gunicorn writes "<pid>"
        counts[pid] = counts.get(pid, 0) + 1
    return [counts[pid] for pid in workers]


def memory_verdict(samples: list[tuple[str, list[tuple[float, float]], list[int]]]) -> list[str]:
    """The long run's samples, per worker: the RSS growth fitted (least squares against the
    requests that worker served) over the second half of the run, against the first half's."""
    mid = len(samples) // 2
    lines, leaks, settling = [], 0, 0
    for n in range(len(samples[0][1])):
        rss = [figures[n][0] for _, figures, _ in samples]
        done = [counts[n] for _, _, counts in samples]
        halves = []
        for low, high in ((0, mid), (mid, len(samples) - 1)):
            slope = statistics.linear_regression(done[low:high + 1], rss[low:high + 1]).slope
            halves.append((slope, slope * (done[high] - done[low]), done[high] - done[low]))
        (slope1, grew1, served1), (slope2, grew2, served2) = halves
        # The peak: RSS toggles between levels as arenas come and go; a leak lifts the top.
        peak1, peak2 = max(rss[:mid + 1]), max(rss[mid:])
        lines.append(
            f"  worker {n}: RSS {rss[0]:.1f} -> {rss[mid]:.1f} -> {rss[-1]:.1f} MiB (min "
            f"{min(rss):.1f}; peak first half {peak1:.1f}, second {peak2:.1f}; private "
            f"{samples[0][1][n][1]:.1f} -> {samples[-1][1][n][1]:.1f}); fitted growth: first "
            f"half {grew1:+.2f} MiB over {served1:,} requests ({slope1 * 1024 * 1000:+.0f} KiB"
            f" per 1,000), second half {grew2:+.2f} MiB over {served2:,} "
            f"({slope2 * 1024 * 1000:+.0f} KiB per 1,000)")
        if grew2 > FLAT_MIB:
            if slope2 >= 0.5 * slope1:
                leaks += 1
            else:
                settling += 1
    if leaks:
        verdict = (f"GROWTH: {leaks} worker(s) grew more than {FLAT_MIB} MiB over the second half,"
                   " at least half as fast as over the first (linear in requests: a leak)")
    elif settling:
        verdict = (f"settling: {settling} worker(s) grew more than {FLAT_MIB} MiB over the second"
                   " half, but less than half as fast as over the first (run longer to tell)")
    else:
        verdict = (f"no growth: every worker's fitted growth over the second half of the long run"
                   f" within {FLAT_MIB} MiB")
    return [*lines, "  RSS verdict: " + verdict]


def heap_verdict(log: Path, workers: list[int],
                 samples: list[tuple[str, list[tuple[float, float]], list[int]]]) -> list[str]:
    """Each worker's Python heap blocks over the long run (bench/scale_gunicorn.py), fitted
    against its requests over the second half and the first."""
    series: dict[int, list[tuple[int, int]]] = {pid: [] for pid in workers}
    for line in log.read_text().splitlines():
        pid, nr, blocks = (int(field) for field in line.split())
        series.setdefault(pid, []).append((nr, blocks))
    lines, growing, short = [], 0, 0
    for n, pid in enumerate(workers):
        start, end = samples[0][2][n], samples[-1][2][n]
        # The access log counts the requests of every worker the same way as worker.nr.
        points = [(nr, blocks) for nr, blocks in series[pid] if start <= nr <= end]
        if len(points) < 6:
            lines.append(f"  worker {n}: {len(points)} heap samples, too few")
            short += 1
            continue
        half = len(points) // 2
        slopes = []
        for part in (points[:half + 1], points[half:]):
            slopes.append(statistics.linear_regression([nr for nr, _ in part],
                                                       [b for _, b in part]).slope)
        served2 = points[-1][0] - points[half][0]
        grew2 = slopes[1] * served2
        lines.append(f"  worker {n}: Python heap blocks {points[0][1]:,} -> {points[half][1]:,}"
                     f" -> {points[-1][1]:,} (requests {points[0][0]:,} -> {points[-1][0]:,});"
                     f" fitted per 1,000 requests: first half {slopes[0] * 1000:+,.0f}, second "
                     f"half {slopes[1] * 1000:+,.0f} ({grew2:+,.0f} blocks over {served2:,})")
        if grew2 > HEAP_FLAT * points[half][1]:
            growing += 1
    if growing:
        verdict = (f"GROWTH: {growing} worker(s) gained more than {HEAP_FLAT:.2%} of their heap "
                   "blocks over the second half")
    elif short:
        verdict = f"none: {short} worker(s) with too few samples (a longer --long)"
    else:
        verdict = f"no growth: every worker's heap within {HEAP_FLAT:.2%} over the second half"
    return [*lines, "  Python heap verdict: " + verdict]


def run(kind: str, sizes: list[int], long_requests: int) -> None:
    from outreach import create_app

    tmp = Path(tempfile.mkdtemp(prefix="outreach-scale-"))
    print(f"{kind}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    with database(kind, tmp) as db_url:
        migrate_to_head(db_url)
        app = create_app(make_test_config(db_url))
        world = build_world(app)
        team_pks = add_teams(app)
        heap_log = tmp / "heap.log"
        server = LiveServer(db_url, tmp / "logs", workers=WORKERS, log_level="warning",
                            extra_args=SERVER_ARGS, extra_env={
                                "BENCH_HEAP_LOG": str(heap_log),
                                "BENCH_HEAP_EVERY": str(HEAP_EVERY)}).start()
        access_log = tmp / "logs" / "access.log"
        url = server.url + "/api/v1/sync"
        try:
            world.client = HttpClient(server.url)
            # The filler signs as this device; each phase logs in afresh (access tokens last
            # 15 minutes, a 1M run longer).
            filler = Filler(app, client_login(world, "worker1"), team_pks)
            warm(requests.Session(), url, filler.session.headers)
            workers = sorted(pid for pid in server.worker_pids() if pid != server.process.pid)
            assert len(workers) == WORKERS, workers

            def sample(label: str) -> tuple[str, list[tuple[float, float]], list[int]]:
                alive = sorted(p for p in server.worker_pids() if p != server.process.pid)
                assert alive == workers, f"a worker was replaced: {workers} -> {alive}"
                return label, [memory_mib(pid) for pid in workers], served(access_log, workers)

            memory = [sample("warm")]
            cursor, table = None, []
            for size in sizes:
                took = filler.fill_to(size)
                print(f"{kind}: {size:,} envelopes ({took:.0f} s to fill)" + " " * 10)
                session = client_login(world, "worker1")
                figures, cursor = measure(url, session, cursor)
                figures.update(count_remaining(app, team_pks["east"]))
                table.append((size, figures))
                memory.append(sample(f"{size:,}"))
                print(f"  push 20 p50 {figures['push']:6.1f} ms   pull page p50 "
                      f"{figures['pull page']:6.1f} ms ({figures['pages']} pages)   "
                      f"up to date p50 {figures['up to date']:5.1f} ms", flush=True)
                print(f"  remaining from the team's start: bounded {figures['bounded']:.2f} ms "
                      f"(n={figures['bounded n']:,}), exact {figures['exact']:.2f} ms "
                      f"(n={figures['exact n']:,})", flush=True)
            if kind == "postgres":
                print("\n".join(explain(app, client_login(world, "worker1"), cursor)),
                      flush=True)
            long_samples: list[tuple[str, list[tuple[float, float]], list[int]]] = []
            if long_requests:
                long_samples.append(sample("long 0"))
                rate = long_run(url, client_login(world, "worker1"), long_requests,
                                lambda done: long_samples.append(sample(f"long {done:,}")))
                print(f"  long run: {long_requests:,} mixed syncs, {rate:.0f}/s", flush=True)
            print(f"  worker pids {workers}: the same at every sample (no worker replaced)")
            for label, figures, counts in memory + long_samples:
                print(f"  {label:>12}: requests " + " ".join(f"{c:6,}" for c in counts)
                      + "   RSS/private MiB " + "  ".join(
                          f"{rss:.1f}/{private:.1f}" for rss, private in figures))
            if long_samples:
                print("\n".join(memory_verdict(long_samples)), flush=True)
                print("\n".join(heap_verdict(heap_log, workers, long_samples)), flush=True)
        finally:
            server.kill()
    first, last = table[0], table[-1]
    print(f"{kind}: p50 at {last[0]:,} / p50 at {first[0]:,} (target <= 1.25x): " + ", ".join(
        f"{name} {last[1][name] / first[1][name]:.2f}x"
        for name in ("push", "pull page", "up to date")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--long", type=int, default=20_000,
                        help="mixed syncs after the last size, for worker memory (0: none)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        run(kind, sizes, args.long)


if __name__ == "__main__":
    main()
