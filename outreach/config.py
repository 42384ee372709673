"""Typed, frozen configuration read once from ``OUTREACH_``-prefixed environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# An installed wheel carries the built PWA, catalogs and migrations here (setup.py); a checkout
# (and an editable install) reads them from the top of the repository.
DATA = PACKAGE / "_data"
INSTALLED = DATA.is_dir()


def data_dir(checkout: str, installed: str) -> Path:
    """Where a data directory is: inside an installed wheel, or at the top of a checkout."""
    return DATA / installed if INSTALLED else ROOT / checkout


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work; the message says what to set."""


def _default_instance_dir() -> Path:
    # Installed, the package directory is no place for secrets: the working directory is
    # (systemd and the Docker image set OUTREACH_INSTANCE_DIR).
    return Path.cwd() / "instance" if INSTALLED else ROOT / "instance"


@dataclass(frozen=True)
class Config:
    secret_key: str = ""
    # Empty: SQLite in the instance directory.
    database_url: str = ""
    testing: bool = False
    pwa_dir: Path = field(default_factory=lambda: data_dir("static/pwa", "pwa"))
    translations_dir: Path = field(default_factory=lambda: data_dir("translations",
                                                                     "translations"))
    migrations_dir: Path = field(default_factory=lambda: data_dir("migrations", "migrations"))
    # Secrets and files the server writes (generated secret key, demo credentials).
    instance_dir: Path = field(default_factory=_default_instance_dir)
    default_locale: str = "en"
    # The services teams refer households to (JSON, see docs/protocol.md); one per region.
    referral_catalogue: Path = PACKAGE / "teams" / "catalogues" / "default.json"
    # Tokens: access tokens are short; refresh tokens outlive weeks without signal (PROTOCOL §1.4).
    access_token_seconds: int = 15 * 60
    refresh_token_days: int = 30
    kdf_iterations: int = 600_000
    # Limits from PROTOCOL §0; configurable because a deployment may have other needs.
    max_envelope_bytes: int = 256 * 1024
    max_request_bytes: int = 8 * 1024 * 1024
    max_push: int = 500
    max_pull: int = 1000
    max_json_depth: int = 32
    # Reports withhold counts under this (PROTOCOL §4: small-cell suppression, k = 5).
    report_min_count: int = 5
    # The organisation's rules for its phones, sent with every login and refresh
    # (docs/threat-model.md, the phone at rest): wrong PINs before the phone wipes itself, and
    # seconds without a touch before it locks.
    pin_attempts: int = 10
    idle_lock_seconds: int = 300
    # An area with fewer households known to the team is written (by the phone) and counted
    # (by the server) as its parent area: a small settlement is never named next to a record.
    area_min_households: int = 10
    # Login and prelogin: per account at one address, and per address whatever the account,
    # so a carrier's NAT or a TLS proxy does not make a whole organisation one client.
    auth_rate_limit: str = "10 per minute"
    auth_address_rate_limit: str = "100 per minute"
    # Token refresh has its own allowance: phones refresh on their own, every 15 minutes.
    refresh_rate_limit: str = "60 per minute"
    # Behind N reverse proxies, trust N X-Forwarded-For/-Proto hops (werkzeug's ProxyFix);
    # 0: the peer address is the client's.
    proxy_hops: int = 0
    # PDFs of blank forms rendered at once across all workers (outreach/paper/slots.py).
    pdf_render_slots: int = 1
    # Counters every worker shares: the database by default (outreach/ratelimit/storage.py),
    # or any store Flask-Limiter knows, e.g. redis://host:6379.
    rate_limit_storage: str = "outreach+db://"
    ratelimit_enabled: bool = True
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require_secret: bool = True,
                 **overrides: Any) -> Config:
        """Build from ``OUTREACH_<FIELD>`` variables (plus ``DATABASE_URL``), then overrides.

        Without ``OUTREACH_SECRET_KEY`` the key generated into ``<instance_dir>/secret-key``
        (by ``make run`` or the operator, docs/operations.md) is read. Admin commands pass
        ``require_secret=False``: none of them signs a token, so none needs the key.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"OUTREACH_{f.name.upper()}")
            if f.name == "database_url":
                raw = env.get("DATABASE_URL", raw)
            if raw is None:
                continue
            values[f.name] = _parse(f.name, f.type, raw)
        config = replace(cls(), **values, **overrides)
        if not config.database_url:
            config = replace(config, database_url=f"sqlite:///{config.instance_dir}/outreach.db")
        if not config.secret_key:
            config = replace(config, secret_key=read_secret_key_file(config.instance_dir))
        config.validate(require_secret=require_secret)
        return config

    def validate(self, *, require_secret: bool = True) -> None:
        if not self.secret_key and not self.testing and require_secret:
            raise ConfigError(
                "OUTREACH_SECRET_KEY is not set and "
                f"{Path(self.instance_dir) / SECRET_KEY_FILE} does not exist: generate one with "
                "`python -m outreach secret-key` (docs/operations.md)"
            )
        if self.kdf_iterations < 600_000 and not self.testing:
            raise ConfigError("OUTREACH_KDF_ITERATIONS must be at least 600000 (PROTOCOL §1)")
        if not 3 <= self.pin_attempts <= 100:
            raise ConfigError("OUTREACH_PIN_ATTEMPTS must be between 3 and 100 (wrong PINs "
                              "before a phone wipes itself)")
        if not 5 <= self.idle_lock_seconds <= 86_400:
            raise ConfigError("OUTREACH_IDLE_LOCK_SECONDS must be between 5 and 86400")
        if self.report_min_count < 2:
            raise ConfigError("OUTREACH_REPORT_MIN_COUNT must be at least 2: reports suppress "
                              "counts under it (PROTOCOL §4)")
        if not self.database_url:
            raise ConfigError("DATABASE_URL is empty")
        for name in ("pwa_dir", "translations_dir", "migrations_dir"):
            path = getattr(self, name)
            if not Path(path).is_dir():
                raise ConfigError(f"{name} {path} does not exist")
        if not Path(self.referral_catalogue).is_file():
            raise ConfigError(
                f"OUTREACH_REFERRAL_CATALOGUE {self.referral_catalogue} is not a file")

    def flask_mapping(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``."""
        return {
            # None outside tests when no key is configured (admin commands only): anything that
            # would sign with it fails loudly instead of using a guessable key.
            "SECRET_KEY": self.secret_key or ("testing-only-secret" if self.testing else None),
            "TESTING": self.testing,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(self.database_url),
            # One byte over the limit: a chunked body has no Content-Length, and Werkzeug cuts
            # such a stream at MAX_CONTENT_LENGTH silently (then the JSON looks malformed, a
            # 400). Reading one byte more lets ``decompressed_body`` see the excess and answer
            # 413 (issue 9); an announced Content-Length over the limit is still refused first.
            "MAX_CONTENT_LENGTH": self.max_request_bytes + 1,
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_TRANSLATION_DIRECTORIES": str(self.translations_dir),
            "RATELIMIT_ENABLED": self.ratelimit_enabled,
            "RATELIMIT_STORAGE_URI": self.rate_limit_storage,
            "RATELIMIT_HEADERS_ENABLED": True,
            "API_TITLE": "outreach",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/api/v1",
            "OPENAPI_JSON_PATH": "openapi.json",
            "OUTREACH": self,
        }


SECRET_KEY_FILE = "secret-key"  # noqa: S105  (a file name, not a secret)


def read_secret_key_file(instance_dir: Path) -> str:
    """The generated key, or "" when there is none."""
    path = Path(instance_dir) / SECRET_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # Gunicorn workers are separate processes; each connection waits for the write lock
        # rather than failing at once with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _parse(name: str, type_: Any, raw: str) -> Any:
    kind = str(type_)
    try:
        if kind == "bool":
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(raw)
        if kind == "Path":
            return Path(raw).resolve()
    except ValueError as exc:
        raise ConfigError(f"OUTREACH_{name.upper()}={raw!r} is not a valid {kind}") from exc
    return raw
