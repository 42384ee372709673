"""A `limits` storage in the application's own database: ``outreach+db://``.

Flask-Limiter's ``memory://`` counts per process, so two gunicorn workers allowed twice the
limit and a restart forgot every count. Where a shared store is configured (``redis://…``,
``memcached://…``) it is used as is; otherwise the counters live in the database every worker
already shares. Each hit is one upsert on its own short transaction, never the request's: a
request that fails and rolls back still counts.
"""

from __future__ import annotations

import time
from typing import Any, cast

from limits.storage import Storage
from sqlalchemy import Table, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from outreach.extensions import db
from outreach.ratelimit.models import RateLimitCounter

SCHEME = "outreach+db"
PURGE_EVERY = 500


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the limits registry reads this list as is)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table = cast(Table, RateLimitCounter.__table__)
        now = time.time()
        engine = db.engine
        insert = sqlite_insert if engine.dialect.name == "sqlite" else pg_insert
        statement: Any = insert(table).values(key=key, count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((expired, amount), else_=table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.count)
        with engine.begin() as connection:
            count = int(connection.execute(statement).scalar_one())
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            self.purge_expired()  # windows of addresses never seen again
        return count

    def get(self, key: str) -> int:
        with db.engine.connect() as connection:
            count = connection.execute(
                select(RateLimitCounter.count)
                .where(RateLimitCounter.key == key, RateLimitCounter.expires_at > time.time())
            ).scalar_one_or_none()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as connection:
            expires = connection.execute(
                select(RateLimitCounter.expires_at).where(RateLimitCounter.key == key)
            ).scalar_one_or_none()
        return float(expires) if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))

    def purge_expired(self) -> int:
        with db.engine.begin() as connection:
            return connection.execute(
                delete(RateLimitCounter).where(RateLimitCounter.expires_at <= time.time())
            ).rowcount
