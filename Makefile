# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install install-dev system-deps frontend-check migrate demo-data demo serve test test-fast lint format check openapi bench backup restore clean

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime ## Create .venv and install the runtime dependencies

install-dev: $(VENV)/.dev system-deps frontend/node_modules/.package-lock.json ## Install test, lint and benchmark tools (and Chromium when missing), and the public site's packages

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --silent

system-deps: ## Install Chromium and fonts from Debian when they are missing (needs root)
	@bash scripts/system-deps.sh

migrate: install ## Apply database migrations
	$(MANAGE) migrate --no-input

demo-data: migrate ## Load the demo content (idempotent)
	$(MANAGE) load_demo_content

demo: demo-data ## Install, migrate, load demo content; serve the CMS on :8000 and the public site on :3000 (Ctrl-C stops both)
	@HOST=$(HOST) PORT=$(PORT) bash scripts/demo.sh

serve: install ## Serve without reloading demo content
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev ## Run the whole test suite (PostgreSQL, S3 server, Chromium, the public site); PYTEST_ARGS adds options
	@$(BIN)/python scripts/check_test_database.py
	@# Both halves run even when the first fails, so one run reports every failure.
	@status=0; $(MAKE) --no-print-directory frontend-check || status=1; $(BIN)/pytest $(PYTEST_ARGS) || status=1; exit $$status

frontend-check: frontend/node_modules/.package-lock.json ## The public site: generated API types up to date, astro check, tsc, unit tests
	cd frontend && npm run --silent types:check && npm run --silent check && npm test

test-fast: install-dev ## The suite without the browser tests
	@$(BIN)/python scripts/check_test_database.py
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install-dev ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev ## Migrations up to date, Django system checks
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check

openapi: install frontend/node_modules/.package-lock.json ## Regenerate docs/openapi.json, the API contract, and the site's types from it, after a deliberate API change
	$(MANAGE) export_openapi
	cd frontend && npm run --silent types

bench: install-dev ## Run the benchmarks and write benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.run

backup: install ## Back up the database, then the media, into the new directory DIR: make backup DIR=/var/backups/passeurs/2026-12-07
	@test -n "$(DIR)" || { echo "Usage: make backup DIR=<a new directory>"; exit 1; }
	$(MANAGE) backup "$(DIR)"

restore: install ## Restore the backup in DIR (its files, then its database), after asking: make restore DIR=...
	@test -n "$(DIR)" || { echo "Usage: make restore DIR=<a backup directory>"; exit 1; }
	$(MANAGE) restore "$(DIR)"

clean: ## Remove the virtualenv, the SQLite database and local media
	rm -rf $(VENV) db.sqlite3 media private-media static
