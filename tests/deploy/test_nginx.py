"""The shipped nginx site over TLS in front of gunicorn run with the shipped gunicorn.conf.py:
login, sync, a slow upload that does not hold the only worker, the PWA shell, compression once,
body limits and /metrics kept inside; then two app servers behind one upstream on PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import socket
import ssl
import subprocess
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from outreach import create_app
from tests.deploy.nginx import GUNICORN_CONF, SITE, nginx_binary, running_nginx
from tests.fixtures.database import make_test_config, migrate_to_head
from tests.fixtures.missing import missing_dependency
from tests.fixtures.postgres import find_bindir, running_postgres
from tests.fixtures.server import HttpClient, LiveServer
from tests.fixtures.world import build_world

pytestmark = [pytest.mark.slow]


def gunicorn(database_url, log_dir, workers=1):
    return LiveServer(database_url, log_dir, workers=workers,
                      extra_args=["-c", str(GUNICORN_CONF)]).start()


def slow_post(nginx, path, headers, body, chunks, pause, done):
    """Send a request over TLS a piece at a time, as a phone on 2G does; return status, body."""
    context = ssl.create_default_context(cafile=str(nginx.cert))
    with socket.create_connection(("127.0.0.1", nginx.https_port), timeout=60) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        head = [f"POST {path} HTTP/1.1", "Host: localhost", f"Content-Length: {len(body)}",
                "Connection: close", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        tls.sendall("\r\n".join(head).encode())
        size = -(-len(body) // chunks)
        for start in range(0, len(body), size):
            tls.sendall(body[start:start + size])
            time.sleep(pause)  # the phone's slowness, not a synchronisation
        done.set()
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def test_nginx_config_is_valid_and_the_systemd_units_verify(tmp_path):
    with running_nginx(tmp_path / "nginx", [8000]):
        pass  # `nginx -t` ran inside, and the server started with the shipped site
    analyze = subprocess.run(["systemd-analyze", "--version"], capture_output=True, check=False)
    if analyze.returncode != 0:
        missing_dependency("systemd-analyze not available")
    units = sorted((SITE.parents[1] / "systemd").glob("outreach*.*"))
    assert len(units) == 3
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, units)],
                            capture_output=True, text=True, check=False)
    # Paths of a real install (/opt/outreach/venv) are absent here; anything else is an error.
    problems = [line for line in result.stderr.splitlines()
                if line.strip() and "/opt/outreach" not in line]
    assert not problems, result.stderr


def test_login_sync_slow_upload_and_shell_over_tls(make_app, database_url, tmp_path):
    world = build_world(make_app())
    server = gunicorn(database_url, tmp_path / "app", workers=1)  # one worker: easy to pin
    try:
        with running_nginx(tmp_path / "nginx", [server.port]) as nginx:
            world.client = HttpClient(nginx.url)
            world.client.session.verify = str(nginx.cert)
            world.client.session.trust_env = False  # REQUESTS_CA_BUNDLE would win over verify
            worker = world.login("worker1")
            first = worker.sync(push=[worker.seal("note") for _ in range(5)])
            assert first.status_code == 200
            assert [r["status"] for r in first.get_json()["results"]] == ["accepted"] * 5
            # A pull the app compresses itself: nginx passes it on, compressed once.
            supervisor = world.login("supervisor1")
            raw = supervisor.world.client.session.post(
                nginx.url + "/api/v1/sync", json={"push": [], "since": None},
                headers={**supervisor.headers, "Accept-Encoding": "gzip"}, stream=True)
            assert raw.headers["Content-Encoding"] == "gzip"
            body = json.loads(gzip.decompress(raw.raw.read()))
            raw.close()
            assert len(body["pull"]) == 5
            assert raw.headers["Strict-Transport-Security"].startswith("max-age=")
            assert len(raw.headers["Strict-Transport-Security"].split(",")) == 1

            # The PWA shell and its bundle, with the app's own security headers.
            shell = requests.get(nginx.url + "/", verify=str(nginx.cert), timeout=30)
            assert shell.status_code == 200
            assert "<script" in shell.text
            assert "default-src 'self'" in shell.headers["Content-Security-Policy"]
            app_js = requests.get(nginx.url + "/static/pwa/build/app.js", verify=str(nginx.cert),
                                  headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
            assert app_js.headers["Content-Encoding"] == "gzip"
            script = gzip.decompress(app_js.raw.read())
            app_js.close()
            assert not script.startswith(b"\x1f\x8b")  # compressed once, not twice
            # Plain HTTP goes to TLS; /metrics is not for the internet; bodies over the limit
            # are refused by nginx in the app's error format.
            plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/", allow_redirects=False,
                                 timeout=30)
            assert plain.status_code == 308
            assert plain.headers["Location"].startswith("https://")
            assert requests.get(nginx.url + "/metrics", verify=str(nginx.cert),
                                timeout=30).status_code == 404
            big = requests.post(nginx.url + "/api/v1/sync", data=b"x" * (9 * 1024 * 1024),
                                headers={**worker.headers, "Content-Type": "application/json"},
                                verify=str(nginx.cert), timeout=60)
            assert big.status_code == 413
            assert big.headers["Content-Type"].startswith("application/problem+json")
            assert big.json()["type"] == "/problems/too-large"

            # A slow upload: while its body trickles in, the one gunicorn worker still answers
            # others, because nginx holds the body until it is whole.
            batch = [worker.seal("note") for _ in range(20)]
            data = json.dumps({"push": batch, "since": None}).encode()
            done = threading.Event()
            outcome = {}

            def upload():
                outcome["answer"] = slow_post(
                    nginx, "/api/v1/sync",
                    {**worker.headers, "Content-Type": "application/json"},
                    data, chunks=12, pause=0.25, done=done)

            thread = threading.Thread(target=upload)
            thread.start()
            try:
                answered_while_uploading = []
                while not done.is_set():
                    answered = world.client.get("/readyz")
                    assert answered.status_code == 200
                    answered_while_uploading.append(not done.is_set())
            finally:
                thread.join(timeout=120)
            assert any(answered_while_uploading), "no request finished during the slow upload"
            status, answer = outcome["answer"]
            assert status == 200
            results = json.loads(answer)["results"]
            assert [r["status"] for r in results] == ["accepted"] * 20
    finally:
        server.kill()


def test_two_app_servers_behind_one_upstream_on_postgresql(tmp_path):
    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries missing")
        missing_dependency("PostgreSQL server binaries not installed")
    nginx_binary()
    with running_postgres() as admin_url:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE outreach_two"))
        engine.dispose()
        url = admin_url.rsplit("/", 1)[0] + "/outreach_two"
        migrate_to_head(url)
        app = create_app(make_test_config(url, instance_dir=tmp_path / "instance"))
        world = build_world(app)
        servers = [gunicorn(url, tmp_path / f"app{n}", workers=2) for n in (1, 2)]
        try:
            with running_nginx(tmp_path / "nginx", [s.port for s in servers]) as nginx:
                world.client = HttpClient(nginx.url)
                world.client.session.verify = str(nginx.cert)
                world.client.session.trust_env = False
                sessions = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
                acknowledged: list[str] = []
                for round_ in range(6):
                    for session in sessions:
                        batch = [session.seal("note", plaintext={"r": round_})
                                 for _ in range(10)]
                        response = session.sync(push=batch)
                        assert response.status_code == 200
                        for result in response.get_json()["results"]:
                            assert result["status"] == "accepted"
                            acknowledged.append(result["id"])
                # Every record once: the last batch sent again straight to each app server (a
                # retry after a lost answer, whichever server the proxy picks) is a duplicate.
                for server in servers:
                    retry = HttpClient(server.url).post(
                        "/api/v1/sync", json={"push": batch, "since": None},
                        headers=sessions[-1].headers)
                    assert {r["status"] for r in retry.get_json()["results"]} == {"duplicate"}
                sent = batch[0]["id"]
                body = {"push": [], "since": None}
                # Cursors are valid on either server: page through one, continue on the other.
                cursor, seen = None, []
                for turn in range(40):
                    direct = HttpClient(servers[turn % 2].url)
                    page = direct.post("/api/v1/sync", json={**body, "since": cursor,
                                                             "limit": 25},
                                       headers=sessions[2].headers).get_json()
                    seen.extend(item["id"] for item in page["pull"])
                    cursor = page["cursor"]
                    if not page["more"]:
                        break
                assert set(acknowledged) | {sent} <= set(seen)
                assert len(seen) == len(set(seen))
        finally:
            for server in servers:
                server.kill()
        app_engine = sa.create_engine(url)
        with app_engine.connect() as conn:
            ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM envelope"))]
        app_engine.dispose()
        with app.app_context():
            from outreach.extensions import db

            db.session.remove()
            db.engine.dispose()
        assert len(ids) == len(set(ids))
        assert set(acknowledged) <= set(ids)
        # Both app servers really served syncs.
        for server in servers:
            log = (server.log_dir / "access.log").read_text()
            assert '"POST /api/v1/sync"' in log
