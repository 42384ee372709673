"""The OpenAPI document is true: schemathesis' conformance checks (status codes, content types,
response schemas) over every operation, plus what a reader relies on — problem+json errors,
per-operation security, summaries, the identifier constraints — and the reference page.

Bounded: a few examples per operation, derandomized, so the run takes the same time each time.
(Engineer i09's test_schemathesis.py fuzzes the same operations for server errors.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from outreach import create_app
from outreach.auth.guard import PUBLIC_ENDPOINTS
from tests.fixtures.database import make_test_config

METHODS = {"get", "post", "put", "delete", "patch"}


def _document() -> dict:
    app = create_app(make_test_config("sqlite://"))
    return app.test_client().get("/api/v1/openapi.json").get_json()


DOCUMENT = _document()
OPERATIONS = sorted((path, method.upper()) for path, item in DOCUMENT["paths"].items()
                    for method in item if method in METHODS)


def test_every_operation_is_documented_truthfully():
    assert DOCUMENT["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "Problem" in DOCUMENT["components"]["schemas"]
    assert "Error" not in DOCUMENT["components"]["schemas"]  # flask-smorest's stock schema
    public = {("/api/v1/auth/prelogin", "POST"), ("/api/v1/auth/login", "POST"),
              ("/api/v1/auth/refresh", "POST"), ("/api/v1/forms", "GET"),
              ("/api/v1/auth/enrolment", "POST"), ("/api/v1/auth/enrol", "POST")}
    for path, method in OPERATIONS:
        operation = DOCUMENT["paths"][path][method.lower()]
        assert operation.get("summary"), (method, path)
        if (path, method) in public:
            assert operation["security"] == [], (method, path)
        else:
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)
        successes = [code for code in operation["responses"] if code.startswith("2")]
        assert successes, (method, path)
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")) or code == "default":
                assert list(response["content"]) == ["application/problem+json"], (method, code)
        if "requestBody" in operation:
            assert {"413", "422"} <= set(operation["responses"]), (method, path)
    assert "application/pdf" in DOCUMENT["paths"]["/paper/forms/{form}.pdf"]["get"][
        "responses"]["200"]["content"]
    assert "412" in DOCUMENT["paths"]["/api/v1/sync"]["post"]["responses"]
    assert "429" in DOCUMENT["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert all(endpoint in PUBLIC_ENDPOINTS for endpoint in ("apidocs.reference",
                                                             "apidocs.asset"))


def test_identifier_constraints_are_in_the_document():
    text = str(DOCUMENT["components"]["schemas"])
    assert "^[A-Za-z0-9_-]*$" in text  # base64url fields
    assert "'format': 'uuid'" in text


def test_the_reference_page_is_served_locally(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "/api/v1/docs/swagger-ui-bundle.js" in page.get_data(as_text=True)
    assert "https://" not in page.get_data(as_text=True)  # no CDN
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
        with client.get(f"/api/v1/docs/{asset}") as response:
            assert response.status_code == 200, asset
    assert client.get("/api/v1/docs/package.json").status_code == 404


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_the_server_conforms_to_its_document(world, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", world.app)
    operation = schema[path][method]
    headers = world.login("supervisor1").headers
    seen: list[int] = []

    @given(case=operation.as_strategy(), authorised=st.booleans())
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case, authorised):
        # The WSGI transport does not undo Content-Encoding; the app gzips what is asked for.
        plain = {"Accept-Encoding": "identity"}
        response = case.call_and_validate(
            headers={**headers, **plain} if authorised else plain,
            checks=[status_code_conformance, content_type_conformance,
                    response_schema_conformance])
        seen.append(response.status_code)

    check()
    assert seen
