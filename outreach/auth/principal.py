"""Who is calling: the authenticated principal of the current request.

Kept apart from the request guard (``auth/guard.py``) so services can name a ``Principal``
without importing the guard, which itself needs ``teams.service``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from outreach.errors import Unauthorized


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    role: str
    organisation_id: int
    device_id: str
    family_id: str
    # Slug → primary key of every team the user is a member of.
    teams: dict[str, int]
    locale: str | None = None
    # The calling device's signing key (b64u), read with the token: a push signed by the
    # caller's own device needs no second look-up of its device (sync/signers.py).
    device_public_key: str | None = None

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")


def current_principal() -> Principal:
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise Unauthorized()
    return principal
