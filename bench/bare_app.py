"""The framework limit: a bare Flask endpoint that parses the same JSON body and answers."""

from flask import Flask, request

app = Flask(__name__)


@app.post("/api/v1/sync")
def sync() -> dict[str, int]:
    body = request.get_json()
    return {"n": len(body.get("push", []))}


@app.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}
