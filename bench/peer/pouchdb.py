"""PouchDB Server, the sync-throughput peer of ``bench/sync.py``, installed and run on loopback.

PouchDB Server (express-pouchdb over LevelDB) is the engine behind the Community Health
Toolkit's offline sync, the closest peer for this kind of server. It is a bench-only
dependency: installed from ``bench/peer/package-lock.json`` into ``bench/peer/node_modules``
(gitignored), never shipped. ``--ignore-scripts``: leveldown loads the N-API binary inside its
npm package, and sqlite3, an optional part of pouchdb-server that is not used here, is not built.

What it does, and what the project does in addition, is stated where the figures are printed:
LevelDB batches are written without fsync, and nothing is verified.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
SERVER_BIN = MODULES / "pouchdb-server" / "bin" / "pouchdb-server"


def install() -> None:
    """``npm ci`` from the committed lock file, when node_modules is older than the lock."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise SystemExit("bench/peer needs node and npm (Debian: nodejs, npm)")
    stamp = MODULES / ".package-lock.json"
    lock = HERE / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=HERE, check=True)


def versions() -> dict[str, str]:
    out = {"node": subprocess.run(["node", "--version"], capture_output=True, text=True,
                                  check=True).stdout.strip()}
    for name in ("pouchdb-server", "express-pouchdb", "pouchdb-adapter-leveldb", "leveldown"):
        out[name] = json.loads((MODULES / name / "package.json").read_text())["version"]
    return out


@dataclass
class PouchServer:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PouchServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.data_dir / "server.out"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                ["node", str(SERVER_BIN), "-o", "127.0.0.1", "-p", str(self.port),
                 "-d", str(self.data_dir), "-c", str(self.data_dir / "config.json"), "-n"],
                cwd=self.data_dir, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pouchdb-server exited: {self.log.read_text()[-500:]}")
            try:
                if requests.get(self.url + "/", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("pouchdb-server did not answer in 60 s")

    def create_db(self, name: str) -> str:
        response = requests.put(f"{self.url}/{name}", timeout=30)
        if response.status_code not in (201, 412):
            raise RuntimeError(f"PUT /{name}: {response.status_code} {response.text[:200]}")
        return f"{self.url}/{name}"

    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def stop(self) -> None:
        # Only the process this harness started, by its own process group.
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
