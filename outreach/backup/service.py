"""Backup and restore, one path per backend.

SQLite runs in WAL mode: copying the ``.db`` file alone can miss committed transactions that
still live in the ``-wal`` file, so backups go through SQLite's online backup API, which copies
a consistent snapshot while the server keeps writing. PostgreSQL goes through ``pg_dump``
(custom format, one consistent snapshot) and ``pg_restore``.

A backup file is a SQLite database or a pg_dump archive; a small JSON manifest beside it says
which backend, which migration revision and what checksum, so a restore can refuse the wrong
file before touching anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

MANIFEST_SUFFIX = ".manifest.json"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    backend: str
    revision: str | None
    sha256: str
    size: int
    envelopes: int
    taken_at: str


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _backend(database_url: str) -> str:
    name = make_url(database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for {name} databases")
    return name


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _pg_env(database_url: str) -> dict[str, str]:
    # The password travels in the environment, never on a command line others can read.
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _pg_args(database_url: str) -> list[str]:
    url = make_url(database_url)
    args = ["--dbname", str(url.database)]
    if url.host:
        args += ["--host", str(url.host)]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", str(url.username)]
    return args


def _pg_tool(name: str) -> str:
    configured = os.environ.get("OUTREACH_PG_BINDIR")
    if configured and (Path(configured) / name).exists():
        return str(Path(configured) / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install postgresql-client")
    return found


def _sqlite_facts(path: Path) -> tuple[str | None, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()
        if check != ("ok",):
            raise BackupError(f"{path}: SQLite integrity check failed: {check}")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        envelopes = conn.execute("SELECT count(*) FROM envelope").fetchone()[0]
    return (revision[0] if revision else None), int(envelopes)


def backup(database_url: str, out: Path) -> BackupInfo:
    """Write a consistent backup of the database to ``out`` (and its manifest beside it)."""
    backend = _backend(database_url)
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    taken_at = datetime.now(UTC).isoformat(timespec="seconds")
    # Backups hold everything the server holds: only its owner may read them.
    old_umask = os.umask(0o077)
    try:
        if backend == "sqlite":
            source = sqlite3.connect(_sqlite_path(database_url), timeout=30)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            revision, envelopes = _sqlite_facts(partial)
        else:
            revision, envelopes = _pg_dump(database_url, partial)
        os.replace(partial, out)
    except subprocess.CalledProcessError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {exc.stderr.strip()}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)
    info = BackupInfo(out, backend, revision, _sha256(out), out.stat().st_size, envelopes,
                      taken_at)
    fd = os.open(manifest_path(out), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"format": "outreach-backup/1", "backend": backend, "revision": revision,
                   "sha256": info.sha256, "size": info.size, "envelopes": envelopes,
                   "taken_at": taken_at}, handle, indent=2)
    return info


def _pg_dump(database_url: str, out: Path) -> tuple[str | None, int]:
    """pg_dump from a snapshot exported by our own transaction, so the manifest's figures
    describe exactly what the dump holds."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn:
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            envelopes = conn.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one()
            subprocess.run(  # noqa: S603  (fixed argv: our tool, our arguments, no shell)
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", "--file", str(out), *_pg_args(database_url)],
                env=_pg_env(database_url), check=True, capture_output=True, text=True,
                timeout=6 * 3600,
            )
    finally:
        engine.dispose()
    return revision, int(envelopes)


def read_manifest(path: Path) -> dict[str, object]:
    manifest = manifest_path(Path(path))
    if not manifest.exists():
        raise BackupError(f"{manifest} is missing: it says what the backup holds")
    data: dict[str, object] = json.loads(manifest.read_text())
    if data.get("format") != "outreach-backup/1":
        raise BackupError(f"{manifest} is not an outreach backup manifest")
    return data


def verify(path: Path, database_url: str) -> dict[str, object]:
    """Check the file against its manifest and the target backend; return the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    manifest = read_manifest(path)
    if manifest["backend"] != _backend(database_url):
        raise BackupError(f"{path} is a {manifest['backend']} backup; this server uses "
                          f"{_backend(database_url)}")
    if _sha256(path) != manifest["sha256"]:
        raise BackupError(f"{path} does not match its manifest's checksum: damaged or altered")
    if manifest["backend"] == "sqlite":
        _sqlite_facts(path)
    return manifest


def restore(path: Path, database_url: str) -> dict[str, object]:
    """Replace the database's whole content with the backup's. Stop the app servers first."""
    manifest = verify(path, database_url)
    if manifest["backend"] == "sqlite":
        _restore_sqlite(Path(path), _sqlite_path(database_url))
    else:
        _restore_postgres(Path(path), database_url)
    return manifest


def _restore_sqlite(source_path: Path, target_path: Path) -> None:
    # Through a copy, with the backup API again: the live file keeps its inode, WAL and
    # permissions, and the copy is complete before a single page of the target changes.
    with tempfile.TemporaryDirectory(dir=target_path.parent) as scratch:
        staged = Path(scratch) / "restore.db"
        shutil.copyfile(source_path, staged)
        source = sqlite3.connect(staged)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
            if target.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{target_path}: integrity check failed after restore")
        finally:
            target.close()
            source.close()


def _restore_postgres(path: Path, database_url: str) -> None:
    try:
        subprocess.run(  # noqa: S603  (fixed argv: our tool, our arguments, no shell)
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", *_pg_args(database_url), str(path)],
            env=_pg_env(database_url), check=True, capture_output=True, text=True,
            timeout=6 * 3600,
        )
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"pg_restore failed (nothing changed): {exc.stderr.strip()}") from exc
