"""The wheel is enough: built by `python -m build`, installed in a fresh venv, run from a
directory far from the checkout, it migrates, serves the PWA shell, its catalogs and the API.

The fresh venv gets the project's wheel alone; the third-party packages it imports come from
the test venv's site-packages through a .pth line (not from PyPI, so the test runs offline),
and the test checks that `outreach` itself is imported from the fresh venv, never the checkout.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import requests

from tests.fixtures.server import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def run(args, **kwargs):
    kwargs.setdefault("timeout", 300)
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def test_the_wheel_installs_in_a_clean_venv_and_serves(tmp_path):
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                 str(dist), str(ROOT)], cwd=ROOT)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next(dist.glob("outreach-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("outreach/_data/pwa/index.html", "outreach/_data/pwa/build/sw.js",
                   "outreach/_data/pwa/build/app.js", "outreach/_data/migrations/env.py",
                   "outreach/_data/translations/nl/LC_MESSAGES/messages.mo",
                   "outreach/forms/definitions/visit@1.json", "outreach/__main__.py"):
        assert needed in names, needed
    assert not any("node_modules" in n or "/src/" in n for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    clean_site = Path(purelib.stdout.strip())
    # The wheel unpacked as pip would (pip itself is not in this venv: no network needed).
    installed = run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                     "--target", str(clean_site), str(wheel)])
    assert installed.returncode == 0, installed.stderr
    (clean_site / "zz_third_party.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    work = tmp_path / "somewhere-else"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OUTREACH_", "PYTHON")) and k != "DATABASE_URL"}
    env["OUTREACH_INSTANCE_DIR"] = str(work / "instance")
    (work / "instance").mkdir()
    where = run([str(python), "-c", "import outreach; print(outreach.__file__)"], cwd=work,
                env=env)
    assert where.stdout.strip().startswith(str(clean_site)), where.stdout + where.stderr
    for args in (["secret-key"], ["db", "upgrade"], ["forms", "publish"]):
        step = run([str(python), "-m", "outreach", *args], cwd=work, env=env)
        assert step.returncode == 0, (args, step.stderr[-3000:])
    assert (work / "instance" / "outreach.db").exists()

    port = free_port()
    log = work / "gunicorn.log"
    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(log), "outreach:create_app()"], cwd=work, env=env,
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        ready = _wait(base + "/readyz", server, log)
        assert ready.json()["status"] == "ready"
        shell = requests.get(base + "/", timeout=10)
        assert shell.status_code == 200
        assert "<script" in shell.text
        assert requests.get(base + "/static/pwa/build/app.js", timeout=10).status_code == 200
        assert requests.get(base + "/sw.js", timeout=10).status_code == 200
        catalog = requests.get(base + "/static/pwa/build/i18n/nl.json", timeout=10)
        assert catalog.status_code == 200, "the PWA's Dutch catalog is missing from the wheel"
        forms = requests.get(base + "/api/v1/forms", timeout=10)
        assert forms.status_code == 200
        assert forms.json()
        dutch = requests.get(base + "/api/v1/keys", headers={"Accept-Language": "nl"},
                             timeout=10)
        assert dutch.status_code == 401
        assert dutch.json()["title"] == "Aanmelden is nodig"  # the .mo files are there
    finally:
        os.killpg(server.pid, 9)
        server.wait(timeout=30)


def _wait(url, process, log):
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text()[-3000:])
        try:
            response = requests.get(url, timeout=5)
            if response.status_code == 200:
                return response
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never became ready")
