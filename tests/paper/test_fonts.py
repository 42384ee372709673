"""Fonts are found through OUTREACH_FONT_DIR, Debian's directory or fontconfig."""

from __future__ import annotations

import os
import shutil

import pytest

from outreach.paper import fonts
from tests.fixtures.missing import missing_dependency


def test_the_configured_font_directory_wins(tmp_path, monkeypatch):
    source = fonts.font_path(fonts.REGULAR)
    shutil.copyfile(source, tmp_path / fonts.REGULAR)
    monkeypatch.setenv("OUTREACH_FONT_DIR", str(tmp_path))
    assert fonts.font_path(fonts.REGULAR) == tmp_path / fonts.REGULAR
    with pytest.raises(fonts.FontMissing, match="OUTREACH_FONT_DIR"):
        fonts.font_path(fonts.BOLD)


def test_fontconfig_finds_the_font_outside_debians_directory(monkeypatch, tmp_path):
    if shutil.which("fc-list") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("fontconfig (fc-list) missing: .ci/system-deps.sh installs it")
        missing_dependency("fontconfig (fc-list) not installed")
    monkeypatch.delenv("OUTREACH_FONT_DIR", raising=False)
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    assert fonts.font_path(fonts.REGULAR).name == fonts.REGULAR
    assert fonts.font_path(fonts.REGULAR).exists()
