# syntax=docker/dockerfile:1
# The outreach app server as an image: a thin wrapper of the Debian path that tests/deploy runs
# (same wheel, same deploy/gunicorn.conf.py). It cannot be built on the project's CI machines
# (they pull no images); docs/operations.md says how to use it with deploy/compose.yaml.

FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Build the PWA (npm ci from the lock file) and the catalogs, then the wheel that carries both.
RUN python -m venv /build-venv \
 && /build-venv/bin/pip install --no-cache-dir --require-hashes -r requirements-runtime.lock \
      -r requirements-test.lock \
 && /build-venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation -e . \
 && (cd static/pwa && npm ci --no-audit --no-fund && npm run build) \
 && OUTREACH_SECRET_KEY=build /build-venv/bin/flask --app outreach i18n compile \
      --json-dir static/pwa/build/i18n \
 && /build-venv/bin/python -m build --wheel --no-isolation --outdir /dist .
# The runtime venv: the wheel and its runtime dependencies at the locked versions, nothing else.
RUN python -m venv /opt/outreach/venv \
 && /opt/outreach/venv/bin/pip install --no-cache-dir --require-hashes -r requirements-runtime.lock \
 && /opt/outreach/venv/bin/pip install --no-cache-dir --no-deps /dist/*.whl

FROM python:3.11-slim-bookworm
# Fonts for the paper PDFs; pg_dump/pg_restore for `backup` and `restore` on PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core fontconfig postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/outreach --create-home outreach
COPY --from=build /opt/outreach/venv /opt/outreach/venv
COPY deploy/gunicorn.conf.py /opt/outreach/deploy/gunicorn.conf.py
ENV PATH=/opt/outreach/venv/bin:$PATH \
    OUTREACH_INSTANCE_DIR=/var/lib/outreach \
    OUTREACH_BIND=0.0.0.0:8000 \
    OUTREACH_FORWARDED_ALLOW_IPS=* \
    OUTREACH_PROXY_HOPS=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/outreach-metrics \
    PYTHONUNBUFFERED=1
USER outreach
WORKDIR /var/lib/outreach
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"
# The secret key (made once, kept in the volume), migrations and form definitions first (all
# idempotent), then the server.
CMD ["sh", "-c", "python -m outreach secret-key && python -m outreach db upgrade && python -m outreach forms publish && exec gunicorn -c /opt/outreach/deploy/gunicorn.conf.py"]
