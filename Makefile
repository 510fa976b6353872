# Aftersales — set-up, run and test. Every target builds what it needs from locked dependencies.
# The interpreter of the environment: Debian's python3.11 where there is one. Debian builds it with
# profile-guided and link-time optimisation; a Python built from source without --enable-optimizations
# (pyenv's default, first on this machine's PATH) takes ~10 % more CPU for the test suite, ~25 % for a
# pure-Python loop (docs/performance.md). PY=python3.11 (or any 3.11) overrides it; `make clean` before switching.
PY ?= $(if $(wildcard /usr/bin/python3.11),/usr/bin/python3.11,python3.11)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/aftersales/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
# Bytecode caches are written even where the environment turns them off (PYTHONDONTWRITEBYTECODE): each
# test worker and each server subprocess would otherwise compile every module it imports again.
unexport PYTHONDONTWRITEBYTECODE

# The lock (docs/operations.md, Dependencies): requirements/runtime.txt is what production installs,
# requirements/dev.txt is runtime + the dev extra (what every target here installs); both with hashes,
# compiled from pyproject.toml by uv, the one tool pinned here. `make lock` keeps every pinned version that
# still fits pyproject.toml and pins only what is new; LOCK_ARGS passes more, e.g.
# `make lock LOCK_ARGS="--upgrade-package django"`.
UV_VERSION := 0.13.9
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: run test system-packages test-core test-browser test-postgres test-fault test-redis test-api-schema lint format migrations-check assets setup bench clean lock messages

$(STAMP): requirements/dev.txt pyproject.toml
	scripts/system-packages  # python-ldap compiles against the OpenLDAP/SASL headers
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "the installed packages do not satisfy pyproject.toml: run make lock" >&2; exit 1; }
	touch $(STAMP)

$(UV_STAMP):
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps "uv==$(UV_VERSION)"
	touch $(UV_STAMP)

# Regenerates both lock files from pyproject.toml (+ requirements/build.in, the build backend). Run it after
# any change to the dependencies in pyproject.toml and commit the two files; the next make target installs them.
lock: $(UV_STAMP)
	$(UV_COMPILE) pyproject.toml requirements/build.in -o requirements/runtime.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev -c requirements/runtime.txt -o requirements/dev.txt

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/echarts $(VENDOR)/signature_pad
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/signature_pad/dist/signature_pad.umd.min.js $(VENDOR)/signature_pad/
	touch $@

assets: $(VENDOR)/.installed

# compilemessages' list of the files it compiled is dropped; its errors are shown and fail the set-up.
setup: $(STAMP) assets
	$(BIN)/aftersales compilemessages --ignore=.venv --ignore=node_modules >/dev/null

run: setup
	$(BIN)/aftersales serve --demo --host $(HOST) --port $(PORT)

system-packages:
	scripts/system-packages

test: system-packages setup
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not redis" $(PYTEST_ARGS)

# The rules core alone (tests/core/: plain Python, no database, about 20 s): the quick loop while changing a rule.
test-core: $(STAMP)
	$(BIN)/python -m pytest -q -p no:xdist tests/core $(PYTEST_ARGS)

test-postgres: system-packages setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q -n 2 -m "not browser and not redis" $(PYTEST_ARGS)

# The production queue (tests/jobs/test_redis.py): a job queued on the real Redis, done by a real
# `aftersales jobs_worker` process. Needs Redis at AFTERSALES_REDIS_URL (default redis://127.0.0.1:6379/0).
test-redis: system-packages setup
	AFTERSALES_REQUIRE_REDIS=1 $(BIN)/python -m pytest -q -p no:xdist -m redis $(PYTEST_ARGS)

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
	$(BIN)/lint-imports --no-cache

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

messages: $(STAMP)
	cd src/aftersales && AFTERSALES_VAR_DIR=$(CURDIR)/var ../../$(BIN)/aftersales makemessages $(MESSAGES_ARGS)
	cd src/aftersales && AFTERSALES_VAR_DIR=$(CURDIR)/var ../../$(BIN)/aftersales compilemessages -l en --ignore=var
