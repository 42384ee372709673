"""Fonts embedded in every PDF. DejaVu (Debian's fonts-dejavu-core) covers Latin with the
diacritics of the shipped languages (ș ț ő ř), Cyrillic and Greek."""

from __future__ import annotations

from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontMissing(RuntimeError):
    pass


def font_path(name: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    raise FontMissing(f"{name} not found; install Debian's fonts-dejavu-core")
