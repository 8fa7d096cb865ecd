# Vestnik — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run setup test test-postgres lint format bench bench-production bench-readership backup restore messages lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

setup: $(VENV)/.installed-runtime ## Create .venv, install, migrate, load demo content, create the admin account
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin

run: setup ## Set everything up and serve http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev ## Install what the tests need and run the whole suite
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev ## The database-dependent suite against PostgreSQL (DATABASE_URL)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## ruff, mypy and the layer contract (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vestnik
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev ## Benchmarks (prints tables; see docs/performance.md)
	$(PY) bench/run.py

bench-production: $(VENV)/.installed-dev ## nginx page cache + gunicorn as deployed (needs nginx, wrk)
	$(PY) bench/production.py

bench-readership: $(VENV)/.installed-dev ## Page views counted at the front cache's rate (needs nginx, wrk)
	$(PY) bench/readership.py

backup: $(VENV)/.installed-runtime ## Back up the database and media into var/backups/ (BACKUP_DIR=… elsewhere)
	$(MANAGE) backup $(if $(BACKUP_DIR),--output "$(BACKUP_DIR)")

restore: $(VENV)/.installed-runtime ## Restore BACKUP=path into an empty database (FORCE=1 replaces data)
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/vestnik-backup-… [FORCE=1]"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

messages: $(VENV)/.installed-dev ## Extract and compile translations
	$(MANAGE) makemessages -l ru -l en --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

lock: $(PY) ## Re-pin requirements*.txt from requirements*.in
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
