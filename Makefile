# ContentGenAI: `make run` starts the whole embedded stack; `make test` runs the suite.
# Both create .venv on first use and reinstall only when a requirements file changes (the stamp
# files under .venv carry a checksum of them).

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
VENV_PY := $(VENV)/bin/python
PIP := $(VENV_PY) -m pip --disable-pip-version-check --quiet
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

# When make started: `make run` prints how long installing took as its first start-up phase.
MAKE_STARTED := $(shell date +%s.%N)
RUNTIME_SUM := $(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV_SUM := $(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
RUNTIME_STAMP := $(VENV)/.installed-runtime-$(RUNTIME_SUM)
DEV_STAMP := $(VENV)/.installed-dev-$(DEV_SUM)

.DEFAULT_GOAL := help
.PHONY: help run test lint migrate makemigrations-check translations clean distclean venv venv-dev

help:
	@echo "make run                   start web, worker, beat (and an embedded Redis) on http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test                  run the test suite (PYTEST_WORKERS=$(PYTEST_WORKERS), PYTEST_ARGS=...)"
	@echo "make lint                  ruff check, ruff format --check, mypy, the import-order contract"
	@echo "make migrate               apply migrations"
	@echo "make translations          compile locale/*/LC_MESSAGES/*.po into .mo (pure Python, no gettext needed)"
	@echo "make makemigrations-check  fail when a model change has no migration"
	@echo "make clean                 remove caches and generated files (keeps .venv, the SQLite database and media)"
	@echo "make distclean             clean, then remove .venv and var/ (the database too)"

$(VENV_PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install python3.11 or set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# `make run` needs only the runtime set; the dev stamp implies it, so `make test` then `make run`
# (or the reverse) never installs twice.
$(RUNTIME_STAMP): | $(VENV_PY)
	@if [ -f $(DEV_STAMP) ]; then touch $@; else \
		echo "Installing requirements.txt into $(VENV) (a few minutes on a fresh machine)"; \
		$(PIP) install -r requirements.txt && rm -f $(VENV)/.installed-runtime-* && touch $@; fi

$(DEV_STAMP): | $(VENV_PY)
	@echo "Installing requirements-dev.txt into $(VENV) (a few minutes on a fresh machine)"
	$(PIP) install -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-* $(VENV)/.installed-runtime-*
	touch $@ $(RUNTIME_STAMP)

venv: $(RUNTIME_STAMP)
venv-dev: $(DEV_STAMP)

# The .mo files are build output: compiled from the committed .po files (only the stale ones).
translations: venv
	$(VENV_PY) manage.py compile_translations

run: venv translations
	RUNSTACK_MAKE_STARTED=$(MAKE_STARTED) $(VENV_PY) scripts/runstack.py

test: venv-dev
	$(VENV_PY) manage.py compile_translations
	@if [ -z "$(SKIP_SYSTEM_DEPS)" ]; then ./scripts/ensure-system-deps.sh; fi
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

migrate: venv
	$(VENV_PY) manage.py migrate --noinput

makemigrations-check: venv
	$(VENV_PY) manage.py makemigrations --check --dry-run

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis test-results
	rm -rf var/staticfiles var/test-media var/redis var/celerybeat.pid var/celerybeat-schedule* var/ci-junit.xml

distclean: clean
	rm -rf $(VENV) var
