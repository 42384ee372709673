from pathlib import Path

import pytest

pytest_plugins = [
    "tests.fixtures.database", "tests.fixtures.world", "tests.fixtures.server",
    "tests.fixtures.browser", "tests.fixtures.netem",
]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """The .mo files are build products (`make catalogs`); build them so tests stand alone."""
    from outreach.i18n.catalogs import compile_all

    compile_all(Path(__file__).resolve().parent.parent / "translations")
