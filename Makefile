# One way to set up, run and test. `make run` starts everything on the embedded default;
# `make test` sets up the same and runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export DATA_DIR ?= ./var

.PHONY: setup run test lint typecheck frontend frontend-test schema clean lock mycli duckdb-attach

# Installs come from the hashed lock (every package, the build backend included), so every
# machine gets the same bytes; the project itself is then added without resolving anything.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed

# mycli pins an older sqlglot than the engine uses, so the MySQL gateway's mycli tests run it
# from a virtualenv of its own (tests/gateway_mysql/tools/mycli.lock).
MYCLI_VENV ?= .venv-mycli
$(MYCLI_VENV)/.installed: tests/gateway_mysql/tools/mycli.lock
	$(PYTHON) -m venv $(MYCLI_VENV)
	$(MYCLI_VENV)/bin/pip install -q --require-hashes -r tests/gateway_mysql/tools/mycli.lock
	touch $@

mycli: $(MYCLI_VENV)/.installed

# DuckDB's postgres extension is published only for the DuckDB release it was built for, older
# than the project's duckdb: the test that attaches the gateway from DuckDB runs it from a
# virtualenv of its own (tests/gateway_pg/tools/duckdb_attach.lock).
DUCKDB_ATTACH_VENV ?= .venv-duckdb-attach
$(DUCKDB_ATTACH_VENV)/.installed: tests/gateway_pg/tools/duckdb_attach.lock
	$(PYTHON) -m venv $(DUCKDB_ATTACH_VENV)
	$(DUCKDB_ATTACH_VENV)/bin/pip install -q --require-hashes -r tests/gateway_pg/tools/duckdb_attach.lock
	touch $@

duckdb-attach: $(DUCKDB_ATTACH_VENV)/.installed

# Regenerate the lock files from pyproject.toml (docs/operations.md): pins already in the lock
# are kept unless UPGRADE="--upgrade" or UPGRADE="--upgrade-package NAME" is given.
# requirements-runtime.lock (the Docker image) is constrained to the same versions.
LOCK_FLAGS = --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command "make lock" $(UPGRADE)
BUILD_REQUIRES = $(PY) -c 'import tomllib; \
  print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
lock: setup
	$(BUILD_REQUIRES) | $(VENV)/bin/uv pip compile pyproject.toml - --extra dev $(LOCK_FLAGS) \
	  -o requirements.lock
	$(BUILD_REQUIRES) | $(VENV)/bin/uv pip compile pyproject.toml - -c requirements.lock \
	  $(LOCK_FLAGS) -o requirements-runtime.lock
	$(VENV)/bin/uv pip compile tests/gateway_mysql/tools/mycli.in $(LOCK_FLAGS) \
	  -o tests/gateway_mysql/tools/mycli.lock
	$(VENV)/bin/uv pip compile tests/gateway_pg/tools/duckdb_attach.in $(LOCK_FLAGS) \
	  -o tests/gateway_pg/tools/duckdb_attach.lock

# The SPA is built when frontend/ has one (npm ci uses the committed package-lock.json).
frontend:
	@if [ -f frontend/package.json ]; then \
	  cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

run: setup frontend
	$(VENV)/bin/metricsql serve

lint: setup
	$(VENV)/bin/ruff check backend gateway tests bench

typecheck: setup
	$(VENV)/bin/mypy

frontend-test: frontend
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi

test: setup mycli duckdb-attach frontend lint typecheck frontend-test
	$(VENV)/bin/pytest

schema: setup
	$(VENV)/bin/metricsql export-schema > schema.graphql

clean:
	rm -rf $(VENV) var frontend/dist frontend/node_modules
