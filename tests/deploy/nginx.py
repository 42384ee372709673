"""Debian's nginx running the shipped site (deploy/nginx/) with a throwaway certificate.

Only what a test host must differ in is rewritten, and each rewrite must match exactly once, so
a change to the shipped file's shape fails here instead of silently testing something else:
the listen ports, the certificate paths, the ACME webroot and the upstream servers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.fixtures.missing import missing_dependency
from tests.fixtures.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "outreach.conf"
UPSTREAM = ROOT / "deploy" / "nginx" / "outreach-upstream.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx missing: .ci/system-deps.sh installs it")
        missing_dependency("nginx not installed (apt-get install nginx)")
    return found


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the shipped nginx site no longer has exactly one {old!r}"
    return text.replace(old, new)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


@dataclass
class Nginx:
    root: Path
    https_port: int
    http_port: int
    cert: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def command(self, *extra: str) -> list[str]:
        return [nginx_binary(), "-p", str(self.root), "-c", str(self.root / "nginx.conf"), *extra]


def write_config(root: Path, upstream_ports: Sequence[int]) -> Nginx:
    root.mkdir(parents=True, exist_ok=True)
    cert, key = make_certificate(root)
    https_port, http_port = free_port(), free_port()
    site = SITE.read_text()
    site = _replace_once(site, "    listen 443 ssl http2;\n",
                         f"    listen 127.0.0.1:{https_port} ssl http2;\n")
    site = _replace_once(site, "    listen [::]:443 ssl http2;\n", "")
    site = _replace_once(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = _replace_once(site, "    listen [::]:80;\n", "")
    site = _replace_once(site, "/etc/ssl/outreach/fullchain.pem", str(cert))
    site = _replace_once(site, "/etc/ssl/outreach/privkey.pem", str(key))
    site = _replace_once(site, "root /var/www/acme;", f"root {root / 'acme'};")
    (root / "outreach.conf").write_text(site)
    upstream = UPSTREAM.read_text()
    line = "    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;\n"
    upstream = _replace_once(upstream, line, "".join(
        line.replace("8000", str(port)) for port in upstream_ports))
    (root / "outreach-upstream.conf").write_text(upstream)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (root / "logs").mkdir(exist_ok=True)
    (root / "nginx.conf").write_text(f"""{user}daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {root}/logs/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include outreach.conf;
}}
""")
    return Nginx(root, https_port, http_port, cert)


@contextmanager
def running_nginx(root: Path, upstream_ports: Sequence[int]) -> Iterator[Nginx]:
    nginx = write_config(root, upstream_ports)
    checked = subprocess.run(nginx.command("-t"), capture_output=True, text=True, timeout=60,
                             check=False)
    assert checked.returncode == 0, checked.stderr
    nginx.process = subprocess.Popen(nginx.command(), start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert nginx.process.poll() is None, (root / "logs" / "error.log").read_text()
            try:
                requests.get(nginx.url + "/healthz", verify=str(nginx.cert), timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield nginx
    finally:
        if nginx.process.poll() is None:
            os.killpg(nginx.process.pid, signal.SIGKILL)
        nginx.process.wait(timeout=30)
