"""Fonts embedded in every PDF. DejaVu (Debian's fonts-dejavu-core) covers Latin with the
diacritics of the shipped languages (ș ț ő ř), Cyrillic and Greek.

Found in ``OUTREACH_FONT_DIR`` when set, else Debian's directory, else wherever fontconfig
knows the file (any distribution, macOS with fontconfig, a container with the font package)."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontMissing(RuntimeError):
    pass


@cache
def _fontconfig_files() -> dict[str, Path]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return {}
    try:
        out = subprocess.run([fc_list, "--format", "%{file}\\n"], capture_output=True,  # noqa: S603
                             text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return {Path(line).name: Path(line) for line in out.splitlines() if line}


def font_path(name: str) -> Path:
    configured = os.environ.get("OUTREACH_FONT_DIR")
    directories = (Path(configured),) if configured else FONT_DIRS
    for directory in directories:
        if (directory / name).exists():
            return directory / name
    if not configured and name in _fontconfig_files():
        return _fontconfig_files()[name]
    where = f"OUTREACH_FONT_DIR={configured}" if configured else "Debian's directory or fontconfig"
    raise FontMissing(f"{name} not found in {where}; install fonts-dejavu-core or set "
                      "OUTREACH_FONT_DIR to a directory holding it")
