# SIP Portal: `make run` to use it, `make test` to test it. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pyenv's shim honours .python-version (3.12); otherwise look for a 3.12+ interpreter by name.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

# Tests run as production would (DEBUG off) with a throwaway key, over plain http.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-not-secret STATIC_MANIFEST=0 SECURE_SSL_REDIRECT=0
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test setup install lint check-python check-npm check-pango clean

# The web server and one task worker together: Ctrl-C stops both, and so does the server stopping.
run: setup
	@$(RUN_ENV) $(PY) manage.py db_worker --queue-name='*' & worker=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup lint check-pango
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest

setup: install
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v0
	$(RUN_ENV) $(PY) manage.py load_seed
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v0

install: $(VENV)/.installed node_modules/.installed

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "ERROR: SIP Portal needs Python 3.12 or newer, and none was found on PATH." >&2; \
		echo "Install it (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi

check-npm:
	@command -v npm >/dev/null 2>&1 || { \
		echo "ERROR: npm is needed to install Bootstrap and htmx from the npm registry (no CDN is used)." >&2; \
		echo "Install Node.js 18+ with npm and run make again." >&2; exit 1; }

check-pango:
	@$(PY) -c 'import weasyprint' >/dev/null 2>&1 || { \
		echo "ERROR: the PDF board papers use WeasyPrint, which needs Pango from your system." >&2; \
		echo "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; }

$(VENV)/.installed: requirements.lock pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json | check-npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) node_modules var staticfiles
