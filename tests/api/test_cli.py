"""`flask --app outreach …` commands, run through Click against a real database."""

from __future__ import annotations

import stat

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from tests.fixtures.world import World, client_login


def test_init_writes_the_recovery_key_and_prints_it_as_words(app, tmp_path):
    runner = app.test_cli_runner()
    key_file = tmp_path / "recovery.pem"
    result = runner.invoke(args=["init", "--slug", "roma-east", "--name", "Roma East",
                                 "--recovery-key-file", str(key_file)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = crypto.load_private_key_pem(key_file.read_bytes())
    words = [token.split(".", 1)[1] for token in result.output.split() if "." in token
             and token.split(".", 1)[0].isdigit()]
    assert len(words) == 24
    assert crypto.recovery_key_from_words(words).private_numbers() == private.private_numbers()
    with app.app_context():
        stored = db.session.execute(sa.text("SELECT public_key FROM recovery_key")).scalar_one()
    assert stored == crypto.public_key_to_b64u(private.public_key())
    again = runner.invoke(args=["init", "--slug", "x", "--name", "X",
                                "--recovery-key-file", str(tmp_path / "other.pem")])
    assert again.exit_code != 0
    assert "already" in again.output


def test_admin_commands_set_up_a_user_who_can_log_in(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init", "--slug", "o", "--name", "O", "--recovery-key-file",
                               str(tmp_path / "k.pem")]).exit_code == 0
    steps = [
        ["team", "add", "north", "--name", "North"],
        ["area", "add", "north", "NORTH-01", "--name", "Valea", "--urbanisation", "rural"],
        ["user", "add", "Anna", "--role", "worker", "--passphrase", "long passphrase here"],
        ["member", "add", "north", "anna"],
    ]
    for args in steps:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    world = World(app, app.test_client(), 1, None)
    session = client_login(world, "ANNA", "long passphrase here")
    assert session.tokens["user"]["teams"] == ["north"]
    listed = runner.invoke(args=["device", "list", "anna"])
    assert session.device_id in listed.output
    assert runner.invoke(args=["device", "revoke", session.device_id]).exit_code == 0
    response = world.client.get("/api/v1/keys", headers=session.headers)
    assert response.get_json()["type"] == "/problems/device-revoked"
    bad = runner.invoke(args=["team", "add", "Not A Slug", "--name", "x"])
    assert bad.exit_code != 0


def test_demo_loads_a_living_organisation(app, monkeypatch):
    monkeypatch.setenv("OUTREACH_DEMO_PASSPHRASE", "demo passphrase for tests")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--households", "6"])
    assert result.exit_code == 0, result.output
    assert "rejected:" not in result.output  # every demo record passes the server's checks
    for name in ("worker1", "worker2", "supervisor1", "worker3", "admin1"):
        assert name in result.output
    # The recovery private key written beside the database is announced, with where it is.
    assert "recovery PRIVATE key is in" in result.output
    assert "demo-recovery-key.pem" in result.output
    with app.app_context():
        count = db.session.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one()
    assert count >= 60
    world = World(app, app.test_client(), 1, None)
    worker1 = client_login(world, "worker1", "demo passphrase for tests")
    items = worker1.pull_all()
    team_key = worker1.team_private_key("east")
    types = set()
    opened: dict[str, list[dict]] = {}
    for item in items:
        assert item["team_id"] == "east"
        plaintext = crypto.open_envelope(item, "team:east:1", team_key)
        assert isinstance(plaintext, dict)
        types.add(item["type"])
        opened.setdefault(item["type"], []).append(plaintext)
    assert types == {"household", "person", "visit", "assessment", "note", "plan", "referral",
                     "consent", "phase", "contact", "right"}
    # The case lifecycle at a glance (issue 15): every phase, anonymous and linked street
    # contacts, one household under two spellings, rights in several states.
    assert {p["phase"] for p in opened["phase"]} == {"engaged", "active_plan", "presence",
                                                      "closed"}
    assert {bool(c.get("linked_case")) for c in opened["contact"]} == {True, False}
    names = {h["display_name"] for h in opened["household"]}
    assert {"Ștefan Bălan", "Stefan Balan"} <= names
    assert {r["status"] for r in opened["right"]} >= {"applied", "granted", "refused",
                                                      "not_claimed"}
    west = client_login(world, "worker3", "demo passphrase for tests").pull_all()
    assert west
    assert {i["team_id"] for i in west} == {"west"}
    assert client_login(world, "admin1", "demo passphrase for tests").pull_all() == []
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    with app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one() == count


def test_erase_command_removes_a_record_and_refuses_without_confirmation(world):
    worker = world.login("worker1")
    env = worker.seal("note")
    worker.sync(push=[env])
    runner = world.app.test_cli_runner()
    assert runner.invoke(args=["erase", env["record_id"]]).exit_code != 0
    result = runner.invoke(args=["erase", env["record_id"], "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased 1" in result.output
    assert world.login("worker2").pull_all() == []
    with world.app.app_context():
        assert db.session.execute(sa.text(
            "SELECT count(*) FROM audit_event WHERE action = 'erasure'")).scalar_one() == 1


def test_device_revoke_records_its_reason_in_the_audit_log(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init", "--slug", "o", "--name", "O", "--recovery-key-file",
                               str(tmp_path / "k.pem")]).exit_code == 0
    for args in (["team", "add", "north", "--name", "North"],
                 ["user", "add", "anna", "--role", "worker", "--passphrase",
                  "long passphrase here"],
                 ["member", "add", "north", "anna"]):
        assert runner.invoke(args=args).exit_code == 0, args
    world = World(app, app.test_client(), 1, None)
    session = client_login(world, "anna", "long passphrase here")
    refused = runner.invoke(args=["device", "revoke", session.device_id, "--reason", "misplaced"])
    assert refused.exit_code != 0
    assert "lost" in refused.output  # the choices are named
    result = runner.invoke(args=["device", "revoke", session.device_id, "--reason", "stolen"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(args=["audit", "show", "--action", "device_revoked"])
    assert shown.exit_code == 0, shown.output
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT target_id, details FROM audit_event WHERE action = 'device_revoked'")).all()
    assert len(rows) == 1
    assert rows[0][0] == session.device_id
    assert '"reason": "stolen"' in rows[0][1]
    assert "stolen" in shown.output
    with app.app_context():
        reason = db.session.execute(sa.text("SELECT revoked_reason FROM device WHERE id = :d"),
                                    {"d": session.device_id}).scalar_one()
    assert reason == "stolen"
