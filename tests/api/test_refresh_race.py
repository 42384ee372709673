"""Refresh-token reuse is detected under any race (issue 9, finding 8).

Two requests presenting one refresh token at the same moment, on two gunicorn workers: at most
one gets new tokens, and the other's use counts as reuse, which ends the whole family, so the
winner's new tokens stop working too. Before, both succeeded in 9 tries of 10.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

TRIES = 6


def test_parallel_uses_of_one_refresh_token_end_the_family(live_world):
    world, server = live_world
    for _ in range(TRIES):
        session = world.login("worker1")
        token = session.tokens["refresh_token"]
        barrier = threading.Barrier(2)

        def use(_: int, token: str = token, barrier: threading.Barrier = barrier):
            barrier.wait()
            return requests.post(server.url + "/api/v1/auth/refresh",
                                 json={"refresh_token": token}, timeout=60)

        with ThreadPoolExecutor(2) as pool:
            responses = list(pool.map(use, range(2)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses in ([200, 401], [401, 401]), statuses
        assert {r.json()["type"] for r in responses if r.status_code == 401} == {
            "/problems/token-invalid"}
        for response in responses:
            if response.status_code != 200:
                continue
            # The winner's pair belongs to the ended family: neither half works any more.
            tokens = response.json()
            again = requests.post(server.url + "/api/v1/auth/refresh",
                                  json={"refresh_token": tokens["refresh_token"]}, timeout=60)
            assert again.status_code == 401
            keys = requests.get(server.url + "/api/v1/keys", timeout=60, headers={
                "Authorization": f"Bearer {tokens['access_token']}"})
            assert keys.status_code == 401


def test_sequential_refresh_still_rotates(world):
    session = world.login("worker1")
    first = world.client.post("/api/v1/auth/refresh",
                              json={"refresh_token": session.tokens["refresh_token"]})
    assert first.status_code == 200
    second = world.client.post("/api/v1/auth/refresh",
                               json={"refresh_token": first.get_json()["refresh_token"]})
    assert second.status_code == 200
    replay = world.client.post("/api/v1/auth/refresh",
                               json={"refresh_token": session.tokens["refresh_token"]})
    assert replay.status_code == 401
    after = world.client.post("/api/v1/auth/refresh",
                              json={"refresh_token": second.get_json()["refresh_token"]})
    assert after.status_code == 401  # the replay ended the family
