# Rapport: `make run` sets up and starts everything; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The web server listens on it, and the settings derive SITE_URL (links in emails) from it unless SITE_URL is set.
export PORT

.PHONY: run stop test lint format bench check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: embedded mode (SQLite, filesystem broker, demo data); web + worker + beat. Ctrl-C stops all.
run: $(VENV)/.installed
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/python manage.py migrate --noinput || exit 1; \
	$(BIN)/python manage.py seed_demo || exit 1; \
	echo ""; echo "Rapport is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C or 'make stop' stops it)"; echo ""; \
	PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/honcho start -f Procfile || true; \
	echo "Rapport stopped."

## stop: stop what `make run` started (from another terminal); honcho stops its processes.
# Only the honcho process itself: its command line starts with the venv's python.
stop:
	@pkill -TERM -f "^[^ ]*python[^ ]* $(CURDIR)/$(BIN)/honcho start" && echo "Stopping Rapport…" \
	|| echo "Rapport is not running."

## test: dev requirements, then the whole suite (SQLite unless DATABASE_URL says otherwise).
test: $(VENV)/.installed-dev
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check-deploy: Django's deployment checks under production settings, on static files collected as a deploy
## does (into a temporary folder, so that collecting is checked too and the checkout stays as it was).
check-deploy: $(VENV)/.installed
	@export DEBUG=0 SECRET_KEY=$${SECRET_KEY:-check-deploy-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-rapport.example} STATIC_ROOT=$$(mktemp -d); \
	trap 'rm -rf "$$STATIC_ROOT"' EXIT; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 \
	&& $(BIN)/python manage.py check --deploy --fail-level WARNING

## bench: print benchmark figures, one JSON line each (needs PostgreSQL).
bench: $(VENV)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf var staticfiles test-output
