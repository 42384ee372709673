"""A body sent with `Transfer-Encoding: chunked` has no Content-Length to refuse up front: the
limit of PROTOCOL §0 (8 MiB) must still answer 413 problem+json, through the real gunicorn
(issue 9, point 10: it answered 400)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

LIMIT = 8 * 1024 * 1024


def _post_chunked(
    url: str, path: str, headers: dict[str, str], chunks: int, chunk: bytes
) -> tuple[int, str, dict]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.putrequest("POST", path)
        for name, value in {
            **headers,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            connection.send(_wrap(b'{"push": [], "since": null, "pad": "'))
            for _ in range(chunks):
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before it has read everything we send
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Type", ""), json.loads(body)
    finally:
        connection.close()


def _wrap(text: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(text), text)


def test_a_chunked_body_over_the_limit_is_413_problem_json(live_world):
    world, server = live_world
    worker = world.login("worker1")
    # 9 MiB in 64 KiB chunks: over the limit, and never announced in a Content-Length.
    status, content_type, problem = _post_chunked(
        server.url, "/api/v1/sync", worker.headers, chunks=144, chunk=b"a" * 65536
    )
    assert status == 413, problem
    assert content_type.startswith("application/problem+json")
    assert problem["type"] == "/problems/too-large"
    assert problem["status"] == 413


def test_a_chunked_body_under_the_limit_is_served(live_world):
    world, server = live_world
    worker = world.login("worker1")
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    body = json.dumps({"push": [], "since": None}).encode()
    connection.request(
        "POST",
        "/api/v1/sync",
        body=iter([body[:5], body[5:]]),
        headers={
            **worker.headers,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 200, response.read()
    assert "cursor" in json.loads(response.read())
    connection.close()
