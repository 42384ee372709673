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
  a table above 1,000 rows with its plan;
- the resident memory of each gunicorn worker after the warm-up, after each size and after a
  long run of ``--long`` mixed requests (growth = a leak; the bench's gunicorn has no
  ``max_requests``, so the same worker processes serve the whole run).

The figure that matters is the ratio of p50 at the largest size to p50 at the smallest: a cost
that does not grow with the database is within 1.25x. PostgreSQL runs with the test fixture's
settings (fsync off: a throwaway server), so its figures compare sizes, not durability.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
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
    pages, cursor_now = pull_pages(http, url, headers, cursor)
    while len(pages) < 30:  # a small history: first pulls from scratch until 30 pages
        more, _ = pull_pages(http, url, headers, None)
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


def long_run(url: str, session: Any, requests_total: int, clients: int = WORKERS) -> float:
    """``requests_total`` syncs from ``clients`` threads, as phones mix them: 1 in 10 a push
    of 20 visits, 2 in 10 a first pull page, the rest up to date. Returns requests per second."""
    headers = {**session.headers, "Accept-Encoding": "gzip"}
    answer = requests.post(url, json={"push": [], "since": None, "limit": 1}, headers=headers,
                           timeout=60).json()
    _, cursor = pull_pages(requests.Session(), url, headers, answer["cursor"])
    counter = iter(range(requests_total))
    lock = threading.Lock()
    failures: list[str] = []

    def client() -> None:
        http = requests.Session()
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

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start
    assert not failures, failures[:3]
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

    captured: list[tuple[str, Any]] = []

    def hook(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if not executemany and statement.lstrip().split(None, 1)[0].upper() in (
                "SELECT", "UPDATE", "DELETE", "WITH", "INSERT"):
            captured.append((statement, parameters))

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
        unique = {statement: parameters for statement, parameters in captured}
        report = [f"  EXPLAIN: {len(unique)} distinct statements of push, pull and up to date"]
        with db.engine.connect() as conn:
            sizes = dict(conn.exec_driver_sql(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'").all())
            for statement, parameters in unique.items():
                plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement,
                                            parameters).scalar_one()
                nodes = list(walk(plan[0]["Plan"]))
                scans = [node for node in nodes if node["Node Type"] == "Seq Scan"
                         and sizes.get(node.get("Relation Name"), 0) > 1_000]
                reads = sorted({f"{n['Node Type']} {n.get('Index Name') or n['Relation Name']}"
                                for n in nodes if "Relation Name" in n})
                report.append(f"    {' '.join(statement.split())[:70]:70} {'; '.join(reads)}")
                if scans:
                    text = "\n".join(row[0] for row in conn.exec_driver_sql(
                        "EXPLAIN " + statement, parameters))
                    report.append(f"  SEQ SCAN of {', '.join(n['Relation Name'] for n in scans)}"
                                  f" in:\n{statement}\n{text}")
            conn.rollback()
        if len(report) == 1:
            report.append("  no sequential scan of a table above 1,000 rows")
    return report


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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
        server = LiveServer(db_url, tmp / "logs", workers=WORKERS, log_level="warning").start()
        url = server.url + "/api/v1/sync"
        try:
            world.client = HttpClient(server.url)
            # The filler signs as this device; each phase logs in afresh (access tokens last
            # 15 minutes, a 1M run longer).
            filler = Filler(app, client_login(world, "worker1"), team_pks)
            warm(requests.Session(), url, filler.session.headers)
            workers = [pid for pid in server.worker_pids() if pid != server.process.pid]
            memory = [[rss_mib(pid) for pid in workers]]
            cursor, table = None, []
            for size in sizes:
                took = filler.fill_to(size)
                print(f"{kind}: {size:,} envelopes ({took:.0f} s to fill)" + " " * 10)
                session = client_login(world, "worker1")
                figures, cursor = measure(url, session, cursor)
                figures.update(count_remaining(app, team_pks["east"]))
                table.append((size, figures))
                memory.append([rss_mib(pid) for pid in workers])
                print(f"  push 20 p50 {figures['push']:6.1f} ms   pull page p50 "
                      f"{figures['pull page']:6.1f} ms ({figures['pages']} pages)   "
                      f"up to date p50 {figures['up to date']:5.1f} ms", flush=True)
                print(f"  remaining from the team's start: bounded {figures['bounded']:.2f} ms "
                      f"(n={figures['bounded n']:,}), exact {figures['exact']:.2f} ms "
                      f"(n={figures['exact n']:,})", flush=True)
            if kind == "postgres":
                print("\n".join(explain(app, client_login(world, "worker1"), cursor)),
                      flush=True)
            if long_requests:
                rate = long_run(url, client_login(world, "worker1"), long_requests)
                memory.append([rss_mib(pid) for pid in workers])
                print(f"  long run: {long_requests:,} mixed syncs, {rate:.0f}/s", flush=True)
            alive = [pid for pid in server.worker_pids() if pid != server.process.pid]
            assert sorted(alive) == sorted(workers), "a worker was replaced during the run"
            labels = ["warm", *(f"{size:,}" for size in sizes)] + (["long"] if long_requests
                                                                  else [])
            for n in range(len(workers)):
                print(f"  worker {n} RSS (MiB): " + ", ".join(
                    f"{label} {row[n]:.1f}" for label, row in zip(labels, memory, strict=True)))
            growth = [memory[-1][n] - memory[1][n] for n in range(len(workers))]
            print("  RSS growth from the first size's end to the run's end (MiB): "
                  + ", ".join(f"{g:+.1f}" for g in growth))
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
    parser.add_argument("--long", type=int, default=4000,
                        help="mixed syncs after the last size, for worker memory (0: none)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        run(kind, sizes, args.long)


if __name__ == "__main__":
    main()
