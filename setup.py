"""Only what pyproject.toml cannot say: the wheel carries the built PWA, the compiled catalogs
and the migrations, which live at the top of the repository (static/pwa/, translations/,
migrations/), under outreach/_data/. Editable installs read them in place (outreach.config)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# What of static/pwa is the app (the same list static serving allows, outreach/web/security.py).
PWA_FILES = ("index.html", "app.css", "manifest.webmanifest")
PWA_DIRS = ("build", "icons")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "outreach" / "_data"
        pwa = HERE / "static" / "pwa"
        if not (pwa / "build" / "app.js").exists() or not any(
                (HERE / "translations").glob("*/LC_MESSAGES/messages.mo")):
            raise SystemExit("the PWA or the catalogs are not built: run `make install` first")
        shutil.rmtree(target, ignore_errors=True)
        (target / "pwa").mkdir(parents=True)
        for name in PWA_FILES:
            shutil.copy2(pwa / name, target / "pwa" / name)
        for name in PWA_DIRS:
            shutil.copytree(pwa / name, target / "pwa" / name, ignore=IGNORE)
        shutil.copytree(HERE / "translations", target / "translations", ignore=IGNORE)
        shutil.copytree(HERE / "migrations", target / "migrations", ignore=IGNORE)


setup(cmdclass={"build_py": BuildPyWithData})
