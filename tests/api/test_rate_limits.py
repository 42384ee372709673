"""Login limits hold across workers and restarts, per account at an address (issue 9, 9).

Before: counters lived in each gunicorn process (`memory://`), so 2 workers allowed twice the
limit and a restart forgot it, and they were keyed on the address only: behind a proxy or a
carrier's NAT, one guesser locked out everyone. Refresh shared the login allowance.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import requests

from outreach import crypto
from tests.fixtures.server import LiveServer
from tests.fixtures.world import build_world

LIMIT = 4


@dataclass
class LimitedServer(LiveServer):
    extra: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {**super().env(), **self.extra}


def wrong_login(server: LiveServer, username: str, address: str) -> requests.Response:
    device = crypto.public_key_to_b64u(crypto.generate_private_key().public_key())
    # A fresh connection each time, so the two workers both take turns.
    return requests.post(server.url + "/api/v1/auth/login", timeout=60, headers={
        "X-Forwarded-For": address, "Connection": "close"}, json={
        "username": username, "auth_key": crypto.b64u_encode(os.urandom(32)),
        "device": {"name": "guess", "signing_public_key": device}})


def test_login_limit_is_shared_by_workers_survives_a_restart_and_is_per_account(
        make_app, database_url, tmp_path):
    build_world(make_app())  # the users, on this test's database
    server = LimitedServer(database_url, tmp_path / "logs", workers=2, extra={
        "OUTREACH_RATELIMIT_ENABLED": "true",
        "OUTREACH_AUTH_RATE_LIMIT": f"{LIMIT} per hour",
        "OUTREACH_AUTH_ADDRESS_RATE_LIMIT": "1000 per hour",
        "OUTREACH_PROXY_HOPS": "1",
    }).start()
    try:
        statuses = [wrong_login(server, "worker1", "203.0.113.7").status_code
                    for _ in range(LIMIT)]
        assert statuses == [401] * LIMIT
        refused = wrong_login(server, "worker1", "203.0.113.7")
        assert refused.status_code == 429
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert int(refused.headers["Retry-After"]) > 0
        server.kill()
        server.start()
        assert wrong_login(server, "worker1", "203.0.113.7").status_code == 429
        # Another account behind the same address, and the same account elsewhere, go on.
        assert wrong_login(server, "worker2", "203.0.113.7").status_code == 401
        assert wrong_login(server, "worker1", "198.51.100.9").status_code == 401
        # Refresh has its own allowance: a phone behind the guesser's address still refreshes.
        session_tokens = _login(server, "worker2", "203.0.113.7")
        refreshed = requests.post(server.url + "/api/v1/auth/refresh", timeout=60,
                                  headers={"X-Forwarded-For": "203.0.113.7"},
                                  json={"refresh_token": session_tokens["refresh_token"]})
        assert refreshed.status_code == 200
    finally:
        server.kill()


def _login(server: LiveServer, username: str, address: str) -> dict:
    from tests.fixtures.world import PASSPHRASE

    headers = {"X-Forwarded-For": address}
    pre = requests.post(server.url + "/api/v1/auth/prelogin", json={"username": username},
                        headers=headers, timeout=60).json()
    derived = crypto.derive_login_keys(PASSPHRASE, crypto.b64u_decode(pre["kdf"]["salt"]),
                                       pre["kdf"]["iterations"])
    device = crypto.public_key_to_b64u(crypto.generate_private_key().public_key())
    response = requests.post(server.url + "/api/v1/auth/login", headers=headers, timeout=60,
                             json={"username": username,
                                   "auth_key": crypto.b64u_encode(derived.auth_key),
                                   "device": {"name": "phone", "signing_public_key": device}})
    assert response.status_code == 200, response.text
    return response.json()


def test_login_limit_holds_across_two_app_servers_on_one_database_and_their_restart(
    make_app, database_url, tmp_path
):
    """Issue 17: an organisation past one machine runs two app servers on one database; a
    guesser who alternates between them gets no more tries than against one, and restarting
    both forgets nothing."""
    build_world(make_app())
    settings = {
        "OUTREACH_RATELIMIT_ENABLED": "true",
        "OUTREACH_AUTH_RATE_LIMIT": f"{LIMIT} per hour",
        "OUTREACH_AUTH_ADDRESS_RATE_LIMIT": "1000 per hour",
        "OUTREACH_PROXY_HOPS": "1",
    }
    servers = [
        LimitedServer(database_url, tmp_path / f"logs{n}", workers=1, extra=settings)
        for n in (1, 2)
    ]
    try:
        for server in servers:
            server.start()
        statuses = [
            wrong_login(servers[turn % 2], "worker1", "203.0.113.7").status_code
            for turn in range(LIMIT)
        ]
        assert statuses == [401] * LIMIT
        # Over the limit on both, whichever served the earlier tries.
        for server in servers:
            refused = wrong_login(server, "worker1", "203.0.113.7")
            assert refused.status_code == 429
            assert refused.headers["Content-Type"].startswith("application/problem+json")
        for server in servers:
            server.kill()
        for server in servers:
            server.start()
        assert [wrong_login(s, "worker1", "203.0.113.7").status_code for s in servers] == [
            429,
            429,
        ]
        # The counter is per account: a colleague at the same address still gets their tries.
        assert wrong_login(servers[1], "worker2", "203.0.113.7").status_code == 401
        for server in servers:
            log = (server.log_dir / "access.log").read_text()
            assert "/api/v1/auth/login" in log  # both servers really answered
    finally:
        for server in servers:
            server.kill()
