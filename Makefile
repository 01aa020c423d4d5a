# Uppsikt developer tasks. `make demo` runs the whole thing locally; `make test` is what CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL := $(or $(UPPSIKT_PG_URL),postgres://postgres@127.0.0.1:5432/postgres)
HOST ?= 127.0.0.1
PORT ?= 8000
# Only paths that exist: ruff reports a missing path as an error.
LINT_PATHS := $(wildcard uppsikt tests benchmarks scripts)
# The twenty slowest tests are printed after each run, so a slow one shows in CI's output.
PYTEST_ARGS ?= --durations=20
# pytest-xdist workers: one per CPU (at most four), each with its own test database, live
# server and Chromium; `make test PYTEST_WORKERS=0` runs everything in one process.
PYTEST_WORKERS ?= auto
XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),-n 0,-n $(PYTEST_WORKERS) --maxprocesses 4)

.PHONY: messages help venv lock system-packages system-packages-demo demo demo-load demo-reset lint test test-sqlite test-postgres bench format clean distclean

help:
	@echo "make venv      create .venv from requirements.lock + requirements-dev.lock (+ editable uppsikt)"
	@echo "make lock      regenerate both lock files from pyproject.toml (pins kept)"
	@echo "make system-packages  check (as root: install) the Debian packages the tests need"
	@echo "make demo      migrate, load the Örebro demo region (once), create demo users, serve on http://$(HOST):$(PORT)"
	@echo "make demo-reset empty the database and load the demo again"
	@echo "make lint      ruff check, ruff format --check, mypy, import contracts, makemigrations --check"
	@echo "make test      lint, pytest on SQLite, then on PostgreSQL if reachable (UPPSIKT_PG_URL)"
	@echo "make bench     run every benchmarks/*.py"
	@echo "make messages update and compile the translation catalogues"
	@echo "make format    ruff format + ruff check --fix"
	@echo "make clean     remove caches, build output and collected static files"
	@echo "make distclean clean + remove .venv and var/ (local database, secret key)"

venv: $(STAMP)

# Developers get both locks; a production host installs requirements.lock only
# (docs/operations.md).
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# The Debian packages outside Python (scripts/system-packages.sh): `make test` needs the
# "test" set (Chromium, LibreOffice, gettext, Pango and fonts, python3-venv); `make demo`
# only the "demo" set (python3-venv, Pango and fonts for PDF reports). As root the script
# installs what is missing; otherwise it prints the apt-get line and stops. The "test" set
# includes redis-server: tests/test_pagecache_redis.py uses the Redis on 127.0.0.1:6379, or
# starts its own when none answers (UPPSIKT_REQUIRE_REDIS=1, as in .ci/run, forbids that).
system-packages:
	@bash scripts/system-packages.sh test

system-packages-demo:
	@bash scripts/system-packages.sh demo

# migrate, collectstatic, the demo load (once) and demo_users, in one process (demo_setup).
demo: system-packages-demo venv
	$(BIN)/uppsikt demo_setup
	@echo
	@echo "Uppsikt is running at http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	@echo
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

# Load the demo into an empty database (make demo does this once).
demo-load: venv
	$(BIN)/uppsikt load_demo  # the steps of uppsikt/portal/demo_steps.py, in one process

# Empty the database (every change made in the demo is lost) and load the demo again.
demo-reset: venv
	$(BIN)/uppsikt migrate --noinput
	$(BIN)/uppsikt flush --noinput
	@# The old trail is gone on purpose: its anchors no longer apply, so keep them aside.
	@anchors="$${UPPSIKT_AUDIT_ANCHORS_FILE:-$${UPPSIKT_VAR_DIR:-var}/audit-anchors.log}"; \
	if [ -f "$$anchors" ]; then \
		mv "$$anchors" "$$anchors.$$(date +%Y%m%d-%H%M%S)"; \
		echo "The audit trail was emptied; its earlier anchors are kept in $$anchors.<time>."; \
	fi
	$(MAKE) --no-print-directory demo-load

# Regenerate requirements.lock (runtime) and requirements-dev.lock (the dev extra) from
# pyproject.toml with pip-tools in a throwaway venv; existing pins are kept.
lock:
	PYTHON=$(PYTHON) bash scripts/lock.sh

lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/uppsikt makemigrations --check --dry-run

test: system-packages lint test-sqlite test-postgres

test-sqlite: system-packages venv
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: system-packages venv
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
		echo "== pytest on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest $(XDIST) $(PYTEST_ARGS); \
	elif [ -n "$${UPPSIKT_REQUIRE_PG:-}" ]; then \
		echo "ERROR: PostgreSQL at $(PG_URL) is not reachable, and UPPSIKT_REQUIRE_PG is set" >&2; \
		exit 1; \
	else \
		echo "PostgreSQL: not reachable, skipped"; \
	fi

BENCHMARKS := benchmarks/plan_page.py
BENCHMARKS += benchmarks/control_import.py
BENCHMARKS += benchmarks/budget_import.py
BENCHMARKS += benchmarks/report.py
BENCHMARKS += benchmarks/indicators_national.py
BENCHMARKS += benchmarks/login.py
BENCHMARKS += benchmarks/plan_read_quality.py

bench: venv
	@for f in $(BENCHMARKS); do echo "== $$f =="; $(BIN)/python "$$f"; done

messages: venv
	cd uppsikt && ../$(BIN)/django-admin makemessages -l en --settings=uppsikt.settings --pythonpath=.. -i "migrations/*"
	$(BIN)/python scripts/compile_messages.py

format: venv
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache .hypothesis var/static test-results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) var *.egg-info

.PHONY: api-schema
api-schema: venv  ## write the REST API's OpenAPI document (tests fail when it drifts)
	$(BIN)/uppsikt api_schema -o docs/api/openapi.json
BENCHMARKS += benchmarks/api.py
BENCHMARKS += benchmarks/plan_authoring.py
BENCHMARKS += benchmarks/tasks_page.py
BENCHMARKS += benchmarks/organisations_scale.py
BENCHMARKS += benchmarks/kolada_search.py
BENCHMARKS += benchmarks/kolada_sync.py
BENCHMARKS += benchmarks/opendata_stream.py
BENCHMARKS += benchmarks/plan_read.py
# Exits non-zero when the load test saw an error or a stale page after its edit.
BENCHMARKS += benchmarks/public_site.py
# Last: it needs PostgreSQL and exits non-zero when a request failed or an update was lost.
BENCHMARKS += benchmarks/mixed_load.py
