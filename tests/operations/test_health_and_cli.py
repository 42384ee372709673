"""Operator-facing basics: health and readiness, unknown API paths, admin commands without
ceremony (no exported secret key), and the lists an operator reads instead of SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from outreach import Config, create_app
from outreach.config import ConfigError
from outreach.extensions import db

FLASK = Path(sys.executable).parent / "flask"


def test_unknown_api_paths_answer_404_problem_json_without_a_token(client):
    for path in ("/api/v1/nothing-here", "/api/v1/sync/extra/segments", "/api/v2/sync"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 404
    # Known routes stay guarded.
    assert client.get("/api/v1/keys").status_code == 401


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    body = ready.get_json()
    assert body["status"] == "ready"
    assert body["migrations"]["current"] == body["migrations"]["head"]


def test_readyz_fails_when_migrations_are_behind(app, client):
    with app.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'behind'"))
        db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/not-ready"
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def test_readyz_fails_when_the_database_is_gone(tmp_path):
    config = Config.from_env(env={}, testing=True, database_url=f"sqlite:///{tmp_path}/x/y.db",
                             instance_dir=tmp_path)
    client = create_app(config).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["type"] == "/problems/not-ready"
    assert client.get("/healthz").status_code == 200


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="OUTREACH_SECRET_KEY"):
        Config.from_env(env={"OUTREACH_INSTANCE_DIR": str(tmp_path)})


def test_the_generated_secret_key_in_the_instance_dir_is_read(tmp_path):
    (tmp_path / "secret-key").write_text("generated-key-from-make-run\n")
    config = Config.from_env(env={"OUTREACH_INSTANCE_DIR": str(tmp_path)})
    assert config.secret_key == "generated-key-from-make-run"
    exported = Config.from_env(env={"OUTREACH_INSTANCE_DIR": str(tmp_path),
                                    "OUTREACH_SECRET_KEY": "from-env"})
    assert exported.secret_key == "from-env"


def _flask(args, database_url, instance, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update({"DATABASE_URL": database_url, "OUTREACH_INSTANCE_DIR": str(instance),
                "OUTREACH_LOG_LEVEL": "WARNING", **extra})
    return subprocess.run([str(FLASK), "--app", "outreach", *args], env=env, cwd=instance,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.timeout(600)  # nine process starts; slow on a loaded 2-core machine
def test_admin_commands_run_without_an_exported_secret_key(make_app, database_url, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    steps = [
        ["init", "--slug", "o", "--name", "O", "--recovery-key-file", str(tmp_path / "k.pem")],
        ["team", "add", "north", "--name", "North team"],
        ["user", "add", "anna", "--role", "worker", "--passphrase", "a long passphrase here"],
        ["user", "add", "bert", "--role", "supervisor", "--name", "Bert B",
         "--passphrase", "another long passphrase"],
        ["member", "add", "north", "anna"],
        ["user", "revoke", "bert"],
    ]
    for args in steps:
        result = _flask(args, database_url, instance)
        assert result.returncode == 0, (args, result.stderr)
    users = _flask(["user", "list"], database_url, instance)
    assert users.returncode == 0, users.stderr
    lines = users.stdout.splitlines()
    anna = next(line for line in lines if line.startswith("anna"))
    assert "worker" in anna
    assert "north" in anna
    assert "active" in anna
    bert = next(line for line in lines if line.startswith("bert"))
    assert "supervisor" in bert
    assert "revoked" in bert
    teams = _flask(["team", "list"], database_url, instance)
    assert "north" in teams.stdout
    assert "North team" in teams.stdout
    assert "1 member" in teams.stdout
    audit = _flask(["audit", "show", "--since", "1h"], database_url, instance)
    assert audit.returncode == 0, audit.stderr
    actions = [line.split()[1] for line in audit.stdout.splitlines() if line.strip()]
    for action in ("org_initialised", "team_added", "user_added", "member_added",
                   "user_revoked"):
        assert action in actions, audit.stdout
    # The filters, in-process on the same database (each process start costs seconds).
    runner = make_app().test_cli_runner()
    later = runner.invoke(args=["audit", "show", "--since", "2999-01-01"])
    assert later.exit_code == 0
    assert later.output.strip() == ""
    only = runner.invoke(args=["audit", "show", "--since", "1d", "--action", "user_revoked"])
    assert [line.split()[1] for line in only.output.splitlines()] == ["user_revoked"]
    by_user = runner.invoke(args=["audit", "show", "--user", "nobody"])
    assert by_user.output.strip() == ""
    bad = runner.invoke(args=["audit", "show", "--since", "yesterday-ish"])
    assert bad.exit_code != 0
    assert "--since" in bad.output


def test_device_list_shows_every_device_or_one_users(world):
    session = world.login("worker1")
    runner = world.app.test_cli_runner()
    everyone = runner.invoke(args=["device", "list"])
    assert everyone.exit_code == 0, everyone.output
    assert session.device_id in everyone.output
    assert "worker1" in everyone.output
    mine = runner.invoke(args=["device", "list", "worker2"])
    assert session.device_id not in mine.output


@pytest.mark.slow
def test_python_dash_m_outreach_is_the_cli_and_makes_the_secret_key(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update({"DATABASE_URL": database_url, "OUTREACH_INSTANCE_DIR": str(tmp_path)})
    made = subprocess.run([sys.executable, "-m", "outreach", "secret-key"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    key = (tmp_path / "secret-key").read_text().strip()
    assert len(key) >= 40
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0
    again = subprocess.run([sys.executable, "-m", "outreach", "secret-key"], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0
    assert (tmp_path / "secret-key").read_text().strip() == key
    assert Config.from_env(env=env).secret_key == key


def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(app, tmp_path, caplog):
    """A locked or unreachable database is a passing condition, not a bug: the client is told
    to retry (503, Retry-After), the operator gets a log line, and nothing of the SQL leaks."""
    config = Config.from_env(env={}, testing=True, database_url=f"sqlite:///{tmp_path}/x/y.db",
                             instance_dir=tmp_path)
    client = create_app(config).test_client()
    response = client.post("/api/v1/auth/login",
                           json={"username": "worker1", "passphrase": "canary-passphrase-7"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/busy"
    assert int(response.headers["Retry-After"]) > 0
    assert "canary-passphrase-7" not in response.get_data(as_text=True)
    assert "database unavailable" in caplog.text
    assert "canary-passphrase-7" not in caplog.text
    assert "SELECT" not in caplog.text
