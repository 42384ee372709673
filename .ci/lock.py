"""`make lock`: resolve pyproject.toml's dependencies and write the two hashed lock files.

pip resolves (without installing) twice, the runtime set and the runtime + test set, and its
installation report gives each chosen file's sha256; the test lock holds what the runtime lock
does not. Existing pins are kept as constraints unless UPGRADE=1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME, TEST = ROOT / "requirements-runtime.lock", ROOT / "requirements-test.lock"


def resolve(*targets: str) -> dict[str, tuple[str, str, str, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        constraints = []
        if os.environ.get("UPGRADE") != "1":
            for lock in (RUNTIME, TEST):
                if lock.exists():
                    pins = [line.split(" ")[0] for line in lock.read_text().splitlines()
                            if "==" in line and not line.startswith("#")]
                    path = Path(scratch) / lock.name
                    path.write_text("\n".join(pins) + "\n")
                    constraints += ["-c", str(path)]
        subprocess.run([sys.executable, "-m", "pip", "install",  # noqa: S603 "--quiet", "--dry-run",
                        "--ignore-installed", "--report", str(report), *constraints, *targets],
                       check=True, cwd=ROOT)
        found = {}
        for item in json.loads(report.read_text())["install"]:
            archive = item["download_info"].get("archive_info")
            if archive is None:  # the project itself
                continue
            name, version = item["metadata"]["name"], item["metadata"]["version"]
            found[name.lower()] = (name, version, archive["hashes"]["sha256"],
                                   item["download_info"]["url"].rsplit("/", 1)[-1])
        return found


def write(path: Path, items: dict[str, tuple[str, str, str, str]], header: str) -> None:
    lines = [header]
    for key in sorted(items):
        name, version, digest, filename = items[key]
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{digest}  # {filename}")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    runtime = resolve(".")
    everything = resolve(".[test]")
    for key, pin in runtime.items():
        if everything[key][:2] != pin[:2]:
            raise SystemExit(f"{key}: runtime and test resolve differently ({pin} vs "
                             f"{everything[key]})")
    write(RUNTIME, runtime,
          "# What the server needs to run (pyproject.toml dependencies), pinned with hashes.\n"
          "# Regenerate with `make lock`. Hashes are of the files pip picks on this kind of\n"
          "# machine (CPython 3.11, manylinux x86_64).")
    write(TEST, {k: v for k, v in everything.items() if k not in runtime},
          "# What the tests and the build need on top of requirements-runtime.lock, pinned with"
          " hashes.\n# Regenerate with `make lock`.")


if __name__ == "__main__":
    main()
