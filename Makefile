# Aftersales — set-up, run and test. Every target builds what it needs from locked dependencies.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/aftersales/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test system-packages test-core test-browser test-postgres test-fault test-api-schema lint format migrations-check assets setup bench clean

$(STAMP): requirements.lock pyproject.toml
	scripts/system-packages  # python-ldap compiles against the OpenLDAP/SASL headers
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/echarts $(VENDOR)/signature_pad
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/signature_pad/dist/signature_pad.umd.min.js $(VENDOR)/signature_pad/
	touch $@

assets: $(VENDOR)/.installed

setup: $(STAMP) assets
	$(BIN)/aftersales compilemessages --ignore=.venv --ignore=node_modules >/dev/null 2>&1 || true

run: setup
	$(BIN)/aftersales serve --demo --host $(HOST) --port $(PORT)

system-packages:
	scripts/system-packages

test: system-packages setup
	$(BIN)/python -m pytest -q -n 2 -m "not browser" $(PYTEST_ARGS)

test-postgres: system-packages setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q -n 2 -m "not browser" $(PYTEST_ARGS)

# The fault test alone (tests/fault/): kills the real server mid-close and mid-import on PostgreSQL. It is part
# of test-postgres too (and so of .ci/run); on SQLite it is skipped.
test-fault: system-packages setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q -m fault $(PYTEST_ARGS)

# schemathesis against the real server (scripts/api-schema-check): every operation of /api/schema/ as HR
# and as an employee, bounded examples (API_SCHEMA_EXAMPLES, default 8); no 5xx, every answer as documented.
test-api-schema: setup
	$(BIN)/python scripts/api-schema-check

test-browser: setup
	scripts/system-packages --browser
	$(BIN)/python -m pytest -q -m browser $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

migrations-check: setup
	$(BIN)/aftersales makemigrations --check --dry-run

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var

# The English catalogue (docs/i18n.md): extract every {% translate %}/gettext string of the package into
# src/aftersales/locale/en/LC_MESSAGES/django.po, then compile django.mo. Run from the package folder so
# the references are relative; `*/locale` keeps every string in the one project catalogue (an app with its
# own locale/ folder would otherwise get a catalogue of its own).
MESSAGES_ARGS := -l en --ignore=static --ignore=migrations --ignore='*/locale' --ignore=var --no-obsolete

.PHONY: messages
messages: $(STAMP)
	cd src/aftersales && AFTERSALES_VAR_DIR=$(CURDIR)/var ../../$(BIN)/aftersales makemessages $(MESSAGES_ARGS)
	cd src/aftersales && AFTERSALES_VAR_DIR=$(CURDIR)/var ../../$(BIN)/aftersales compilemessages -l en --ignore=var
