"""Recovery drill: demo records, exported, decrypted with only the recovery key, match what a
team member's device decrypts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from tests.fixtures.world import World, client_login


def test_recovery_key_alone_opens_every_exported_record(app, tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_DEMO_PASSPHRASE", "drill passphrase")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--households", "4"]).exit_code == 0
    export = tmp_path / "export.jsonl"
    result = runner.invoke(args=["export", "--team", "east", "--out", str(export)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(sa.text(
            "SELECT count(*) FROM audit_event WHERE action = 'export'")).scalar_one() == 1
    key_file = Path(app.instance_path) / "demo-recovery-key.pem"
    out = tmp_path / "recovered"
    result = runner.invoke(args=["recover", "--export", str(export), "--key-file",
                                 str(key_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    recovered = {p.stem: json.loads(p.read_text()) for p in out.glob("*/*/*.json")}

    world = World(app, app.test_client(), 1, None)
    worker = client_login(world, "worker1", "drill passphrase")
    team_key = worker.team_private_key("east")
    pulled = worker.pull_all()
    assert pulled
    assert set(recovered) == {e["id"] for e in pulled}
    for envelope in pulled:
        assert recovered[envelope["id"]]["plaintext"] == crypto.open_envelope(
            envelope, "team:east:1", team_key)
        assert recovered[envelope["id"]]["meta"] == envelope["meta"]


def test_recover_from_words_and_a_wrong_key_opens_nothing(app, tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_DEMO_PASSPHRASE", "drill passphrase")
    runner = app.test_cli_runner()
    demo = runner.invoke(args=["demo", "--households", "2"])
    assert demo.exit_code == 0, demo.output
    export = tmp_path / "export.jsonl"
    exported = runner.invoke(args=["export", "--out", str(export)])
    assert exported.exit_code == 0, exported.output
    # The wrong key must face real envelopes: an empty export would open nothing with any key.
    count = int(re.search(r"Exported (\d+) envelopes", exported.output).group(1))
    assert count > 0
    assert len(export.read_text().splitlines()) == 1 + count  # a format header, then one each
    key = crypto.load_private_key_pem(
        (Path(app.instance_path) / "demo-recovery-key.pem").read_bytes())
    words = " ".join(crypto.recovery_key_to_words(key))
    good = runner.invoke(args=["recover", "--export", str(export), "--words", words,
                               "--out", str(tmp_path / "a")])
    assert good.exit_code == 0, good.output
    assert f"Recovered {count} records" in good.output
    assert len(list((tmp_path / "a").glob("*/*/*.json"))) == count
    wrong = " ".join(crypto.recovery_key_to_words(crypto.generate_private_key()))
    bad = runner.invoke(args=["recover", "--export", str(export), "--words", wrong,
                              "--out", str(tmp_path / "b")])
    assert "Recovered 0 records" in bad.output
    assert f"{count} envelopes did not open" in bad.output
    assert not list((tmp_path / "b").glob("*/*/*.json"))
    typo = runner.invoke(args=["recover", "--export", str(export), "--words",
                               words.replace(words.split()[3], "zzzz", 1),
                               "--out", str(tmp_path / "c")])
    assert typo.exit_code != 0
