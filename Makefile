# Two commands on a fresh machine: `make run` and `make test`. See README.md.
# `make run` serves with keep-alive (threaded workers): on 2G a new connection costs round trips.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := outreach
INSTANCE := instance

.PHONY: run test test-sqlite test-postgres lint install catalogs pwa system-deps bench bench-cost bench-scale clean lock

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package from the hashed lock files; then the project itself, editable, built by the
# setuptools the test lock just installed (no unpinned download).
$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements-runtime.lock requirements-test.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-runtime.lock -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e '.[test]'
	touch $@

# Built from the committed .po files: .mo for the server and PDFs, JSON for the PWA.
catalogs: $(VENV)/.installed
	@OUTREACH_SECRET_KEY=build $(BIN)/flask i18n compile --json-dir static/pwa/build/i18n

# The PWA's JavaScript: dependencies from the committed lock file, bundled by esbuild.
PWA := static/pwa
$(PWA)/node_modules/.package-lock.json: $(PWA)/package-lock.json
	cd $(PWA) && npm ci --no-audit --no-fund --loglevel=error

pwa: catalogs $(PWA)/node_modules/.package-lock.json
	cd $(PWA) && npm run --silent build

install: $(VENV)/.installed catalogs pwa

$(INSTANCE)/secret-key:
	@mkdir -p $(INSTANCE)
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))' > $@

run: install $(INSTANCE)/secret-key
	@bash .ci/system-deps.sh run
	@export OUTREACH_SECRET_KEY=$${OUTREACH_SECRET_KEY:-$$(cat $(INSTANCE)/secret-key)}; \
	$(BIN)/flask db upgrade && \
	$(BIN)/flask forms publish && \
	$(BIN)/flask demo --if-empty && \
	echo "Serving on http://127.0.0.1:$(PORT)" && \
	exec $(BIN)/gunicorn --workers 2 --worker-class gthread --threads 4 --keep-alive 30 \
		--bind 127.0.0.1:$(PORT) --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' 'outreach:create_app()'

system-deps:
	@bash .ci/system-deps.sh

# ruff, then mypy (strict for crypto/, sync/ and auth/; settings in pyproject.toml).
lint: install
	$(BIN)/ruff check outreach tests bench
	$(BIN)/mypy

test: install system-deps lint test-sqlite test-postgres

# Branch coverage of the in-process suite is printed; below the floor in pyproject.toml
# ([tool.coverage.report] fail_under) the run fails.
test-sqlite: install
	$(BIN)/python -m pytest -q --cov --cov-report=term

# The API suites again on a throwaway PostgreSQL (started by the fixtures as an unprivileged user).
test-postgres: install
	OUTREACH_TEST_DB=postgres $(BIN)/python -m pytest -q -m "not sqlite_only" \
		tests/api tests/admin tests/sync tests/reports tests/robustness/test_bad_input.py \
		tests/test_migrations.py tests/operations

bench: install system-deps
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/paper.py
	$(BIN)/python bench/shell.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/field.py
	$(BIN)/python bench/client.py

# The CPU cost of a sync as instructions (valgrind), steady where time on a shared machine is
# not; AGAINST=<git ref> measures that ref in the same run and prints the ratios.
bench-cost: install
	bash .ci/system-deps.sh bench
	$(BIN)/python bench/cost.py $(if $(AGAINST),--against $(AGAINST))

# Push and pull latency at 10k, 100k and 1M envelopes on SQLite and PostgreSQL: long (the fill
# is most of it); SIZES=10000,100000 for a quicker look.
bench-scale: install system-deps
	$(BIN)/python bench/scale.py --sizes $${SIZES:-10000,100000,1000000}

# requirements-runtime.lock and requirements-test.lock, with hashes (UPGRADE=1 to move pins).
lock: $(BIN)/activate
	$(BIN)/python .ci/lock.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info $(PWA)/node_modules $(PWA)/build
