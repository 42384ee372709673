"""Export the stored envelopes as they are (ciphertext), and open an export offline with the
organisation's recovery key: the drill that proves nothing is lost when every passphrase is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from outreach import crypto
from outreach.audit import service as audit
from outreach.extensions import db
from outreach.sync.models import Envelope
from outreach.sync.pull import with_server_fields
from outreach.teams.models import Team

FORMAT = "outreach-export/1"


def export_envelopes(out: IO[bytes], *, team_slug: str | None = None,
                     actor_id: str | None = None) -> int:
    """Write a JSON Lines export: a header line, then one stored envelope per line."""
    query = db.select(Envelope.seq, Envelope.body, Envelope.author_id, Envelope.received_at)
    if team_slug is not None:
        query = query.join(Team, Team.id == Envelope.team_id).where(Team.slug == team_slug)
    rows = db.session.execute(query.order_by(Envelope.seq)).all()
    header = {"format": FORMAT, "exported_at": datetime.now(UTC).isoformat(),
              "team": team_slug, "count": len(rows)}
    out.write(json.dumps(header).encode() + b"\n")
    for row in rows:
        out.write(with_server_fields(row.body, row.seq, row.received_at, row.author_id) + b"\n")
    team_pk = None if team_slug is None else db.session.execute(
        db.select(Team.id).where(Team.slug == team_slug)).scalar_one_or_none()
    audit.record("export", actor_id=actor_id, team_id=team_pk,
                 target_type="team" if team_slug else "all",
                 target_id=team_slug, envelopes=len(rows))
    db.session.flush()
    return len(rows)


class ExportFormatError(ValueError):
    pass


def read_export(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        header = json.loads(handle.readline() or b"{}")
        if header.get("format") != FORMAT:
            raise ExportFormatError(f"{path} is not an {FORMAT} file")
        for line in handle:
            if line.strip():
                yield json.loads(line)


@dataclass
class RecoveryReport:
    opened: int = 0
    skipped: list[str] = field(default_factory=list)


def recover_export(export: Path, recovery_key: crypto.PrivateKey, out_dir: Path
                   ) -> RecoveryReport:
    """Decrypt every envelope of an export with the recovery key into ``out_dir``:
    ``<case_id>/<record_id>/<envelope_id>.json``, each with the clear fields and the plaintext.
    Runs offline: no database, no server."""
    report = RecoveryReport()
    public = crypto.public_key_to_b64u(recovery_key.public_key())
    for envelope in read_export(export):
        kids = [k["kid"] for k in envelope.get("keys", []) if k["kid"].startswith("recovery:")]
        opened = None
        for kid in kids:
            try:
                opened = crypto.open_record(envelope, kid, recovery_key)
                break
            except crypto.DecryptionError:
                continue
        if opened is None:
            report.skipped.append(envelope.get("id", "?"))
            continue
        # Either envelope format: format 2 holds the case id and exact time inside.
        target = out_dir / opened.case_id / envelope["record_id"]
        target.mkdir(parents=True, exist_ok=True)
        record: dict[str, Any] = {
            k: envelope[k] for k in ("v", "id", "record_id", "parents", "type", "team_id",
                                     "schema", "meta", "received_at", "author_id")
            if k in envelope}
        record.update(case_id=opened.case_id, created_at=opened.created_at)
        record["plaintext"] = opened.plaintext
        (target / f"{envelope['id']}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        report.opened += 1
    (out_dir / "recovery-report.json").write_text(json.dumps(
        {"opened": report.opened, "skipped": report.skipped, "recovery_public_key": public},
        indent=1))
    return report
