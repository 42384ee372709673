"""A real dependency that is missing fails the run under CI=true instead of skipping it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.missing import missing_dependency

ROOT = Path(__file__).resolve().parents[1]


def test_missing_dependency_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing_dependency("chromium is not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing_dependency("chromium is not installed")


@pytest.mark.parametrize(("ci", "passes"), [("true", False), ("", True)])
def test_the_postgres_run_without_binaries_fails_in_ci(tmp_path, ci, passes):
    """`make test-postgres` on a machine without PostgreSQL used to pass, every test skipped."""
    env = {**os.environ, "CI": ci, "OUTREACH_TEST_DB": "postgres",
           "OUTREACH_PG_BINDIR": str(tmp_path / "no-postgres-here")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/api/test_teams.py::test_worker_sees_only_their_own_teams_areas_and_catalogue"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert (result.returncode == 0) is passes, result.stdout[-2000:]
    if passes:
        assert "1 skipped" in result.stdout
    else:
        assert "a missing real dependency fails" in result.stdout
