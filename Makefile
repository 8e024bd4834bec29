# One way to set up, run and test. `make run` starts everything on the embedded default;
# `make test` sets up the same and runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export DATA_DIR ?= ./var

.PHONY: setup run test lint typecheck frontend frontend-test schema clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

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

test: setup frontend lint typecheck frontend-test
	$(VENV)/bin/pytest

schema: setup
	$(VENV)/bin/metricsql export-schema > schema.graphql

clean:
	rm -rf $(VENV) var frontend/dist frontend/node_modules
