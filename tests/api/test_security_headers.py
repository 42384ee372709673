"""Headers on every response, so a browser keeps the app to itself: no foreign script, no
framing, no sniffing, no referrer, no stored copy of anything personal; and only the built app
is served from static/pwa, never its sources or packages."""

from __future__ import annotations

CSP_MUST = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
            "frame-ancestors 'none'")


def assert_hardened(response) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in CSP_MUST:
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "no-referrer"
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS means nothing here


def fetch(world, path: str, **kwargs):  # type: ignore[no-untyped-def]
    """GET a file and close it at once: Flask streams files, an open one is a warning."""
    client = getattr(world, "client", world)
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def assert_not_stored(response) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers


def test_the_shell_and_the_service_worker_carry_the_headers(world):
    shell = fetch(world, "/")
    assert shell.status_code == 200
    assert_hardened(shell)
    worker = fetch(world, "/sw.js")
    assert_hardened(worker)
    assert worker.headers["Service-Worker-Allowed"] == "/"


def test_personal_api_responses_are_never_stored(world):
    session = world.login("supervisor1")
    for path in ("/api/v1/keys", "/api/v1/teams", "/api/v1/teams/east/members",
                 "/api/v1/teams/east/paper-serials", "/api/v1/reports/indicators?team=east"):
        response = world.client.get(path, headers=session.headers)
        assert response.status_code == 200, (path, response.get_json())
        assert_hardened(response)
        assert_not_stored(response)
    login = world.client.post("/api/v1/auth/prelogin", json={"username": "worker1"})
    assert_not_stored(login)


def test_errors_carry_the_headers_and_are_never_stored(world):
    for response in (world.client.get("/api/v1/keys"),  # 401
                     world.client.post("/api/v1/auth/prelogin", data="{",
                                       content_type="application/json"),
                     world.client.get("/static/pwa/nothing-here.js")):
        assert response.status_code in (400, 401, 404)
        assert response.content_type.startswith("application/problem+json")
        assert_hardened(response)
        assert_not_stored(response)


def test_a_paper_pdf_carries_the_headers_and_is_never_stored(world):
    session = world.login("worker1")
    response = world.client.get("/paper/forms/visit.pdf", query_string={"team": "east"},
                                headers=session.headers)
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert_hardened(response)
    assert_not_stored(response)


def test_hsts_is_sent_over_tls_only(world):
    response = fetch(world, "/", base_url="https://outreach.example")
    assert "max-age=" in response.headers.get("Strict-Transport-Security", "")


BUILT = ["/static/pwa/app.css", "/static/pwa/build/app.js", "/static/pwa/build/crypto.js",
         "/static/pwa/build/qr-decoder.js", "/static/pwa/build/i18n/nl.json",
         "/static/pwa/manifest.webmanifest", "/static/pwa/icons/icon.svg",
         "/static/pwa/icons/icon-192.png"]
NOT_SERVED = ["/static/pwa/package.json", "/static/pwa/package-lock.json", "/static/pwa/src/app.js",
              "/static/pwa/src/lock.js", "/static/pwa/node_modules/idb/package.json",
              "/static/pwa/node_modules/.package-lock.json", "/static/pwa/index.html",
              "/static/pwa/sw.js", "/static/pwa/build/../package.json",
              "/static/pwa/build/%2e%2e/package.json", "/static/pwa/BUILD/app.js"]


def test_the_built_app_is_served_with_the_headers(client, pwa_build):
    for path in BUILT:
        response = fetch(client, path)
        assert response.status_code == 200, path
        assert_hardened(response)


def test_sources_packages_and_node_modules_are_not_served(client, pwa_build):
    for path in NOT_SERVED:
        assert fetch(client, path).status_code == 404, path
