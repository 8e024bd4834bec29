"""The compiled pieces the benchmarks count on are what a `make setup` install runs."""

from __future__ import annotations

import platform

import pytest

CPYTHON = platform.python_implementation() == "CPython"


@pytest.mark.skipif(not CPYTHON, reason="sqlglotc and uvloop are CPython builds")
def test_planning_runs_on_the_compiled_sqlglot() -> None:
    import sqlglot
    from sqlglot import parser, tokens

    assert tokens.SQLGLOTC_INSTALLED, "sqlglotc's compiled modules are not loaded"
    assert not str(parser.__file__).endswith(".py")  # the overlay, not the pure module
    # Compiled and pure builds must agree on what the engine relies on.
    tree = sqlglot.parse_one("SELECT a, COUNT(*) FROM t WHERE b = $1 GROUP BY 1",
                             read="postgres")
    assert tree.sql(dialect="postgres") == "SELECT a, COUNT(*) FROM t WHERE b = $1 GROUP BY 1"


@pytest.mark.skipif(not CPYTHON, reason="uvloop is a CPython build")
def test_the_default_event_loop_is_installed() -> None:
    import uvloop  # noqa: F401  (EVENT_LOOP=uvloop falls back with a warning otherwise)
