# The project's verbs. `make demo` and `make test` do all the set-up themselves.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Debian packages the project needs: Chromium for browser tests, Pango for
# WeasyPrint's PDFs (and poppler's pdftotext, with which tests read them back),
# gettext for translations.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
SYSTEM_PACKAGES := chromium gettext $(PDF_PACKAGES)
# wrk drives the pages in `make bench`; redis-server holds their cache and sessions.
BENCH_PACKAGES := wrk redis-server
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup system-deps demo serve test test-fast test-load test-postgres lint format bench messages clean

help:
	@echo "make demo    set up, load the demo site and serve it on http://$(HOST):$(PORT)"
	@echo "make test    set up and run the whole test suite, browser tests included"
	@echo "make test-postgres  the suite again on private PostgreSQL, Redis and S3 servers"
	@echo "make lint    ruff check, ruff format --check and lint-imports"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make messages  update and compile the translation files"
	@echo "make clean   remove the virtualenv, node_modules, databases and built files"

$(PY):
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): requirements.txt requirements-dev.txt | $(PY)
	@echo "==> Installing pinned Python requirements"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "==> Installing front-end packages (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(PY_STAMP) $(NODE_STAMP)

system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
		dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "==> Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(PDF_PACKAGES)"
	@echo "==> Migrating the database"
	$(PY) manage.py migrate --noinput -v 0
	@echo "==> Loading the demo site"
	$(PY) manage.py seed_demo
	@echo "==> Serving on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup system-deps
	@echo "==> Running the test suite"
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser and not load"

# 32 learners at once on both shapes: the embedded default (SQLite, one
# gunicorn), then nginx, two gunicorns, PostgreSQL, Redis, S3 and a task worker.
test-load: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(PDF_PACKAGES)"
	@echo "==> Load test on the embedded default"
	$(PY) -m pytest tests/load
	@echo "==> Load test on the scaled-out stack"
	scripts/stack.sh --s3 -- $(PY) -m pytest tests/load --ds=circles.settings.test_stack

# The suite on the production stack: scripts/stack.sh starts private PostgreSQL,
# Redis and S3 (moto) servers on free loopback ports and removes them afterwards;
# the load and deployment tests add nginx, gunicorn and a task worker.
# Browser tests run only in `make test`. .ci/run runs this after `make test`.
test-postgres: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(PDF_PACKAGES)"
	@echo "==> Running the test suite on PostgreSQL, Redis and S3"
	scripts/stack.sh --s3 -- $(PY) -m pytest -m "not browser" --ds=circles.settings.test_stack

lint: setup
	@echo "==> ruff check"
	$(VENV)/bin/ruff check .
	@echo "==> ruff format --check"
	$(VENV)/bin/ruff format --check .
	@echo "==> lint-imports (the dependency map in pyproject.toml)"
	$(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The page and load benchmarks start their own servers (scripts/stack.sh for
# the stack). BENCH_SECONDS and BENCH_ROUNDS shorten the page benchmark for a
# quick check; BENCH_DATABASE_URL and BENCH_REDIS_URL point it at PostgreSQL
# and a Redis instead of SQLite and a private redis-server.
bench: setup
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(PDF_PACKAGES) $(BENCH_PACKAGES)"
	@echo "==> Running benchmarks"
	$(PY) -m bench

# Spanish and Arabic. New Arabic entries need a translation and the comment
# "awaiting review by a native speaker" (see the top of locale/ar/.../django.po).
messages: setup
	$(PY) manage.py makemessages -l es -l ar --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media db.sqlite3* test*.sqlite3*
