"""sqlglot's Python executor with the functions drivers' catalog queries use added.

information_schema is a few hundred rows at most, so evaluating driver SQL (JDBC's getColumns,
ODBC's SQLColumns) in Python is cheap and needs no database; sqlglot's executor only lacks
some MySQL functions, supplied here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlglot import exp
from sqlglot.executor.python import PythonExecutor
from sqlglot.executor.table import Table, ensure_tables
from sqlglot.optimizer import optimize
from sqlglot.planner import Plan
from sqlglot.schema import ensure_schema


def _null_safe(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        return None if any(a is None for a in args) else fn(*args)

    return wrapper


def _replace(text: str, old: str, new: str) -> str:
    return text.replace(old, new)


def _nullif(a: Any, b: Any) -> Any:
    return None if a == b else a


EXTRA_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "LEAST": _null_safe(min),
    "GREATEST": _null_safe(max),
    "NULLIF": _nullif,
    "CHR": _null_safe(lambda *codes: "".join(chr(int(c)) for c in codes)),
    "REPLACE": _null_safe(_replace),
}


def execute(expression: exp.Expression, schema: dict[str, Any],
            tables: dict[str, Any]) -> Table:
    """Run ``expression`` (MySQL dialect) over in-memory ``tables`` described by ``schema``."""
    tables_ = ensure_tables(tables, dialect="mysql")
    optimized = optimize(expression, ensure_schema(schema, dialect="mysql"),
                         leave_tables_isolated=True, dialect="mysql")
    executor = PythonExecutor(env=EXTRA_FUNCTIONS, tables=tables_)  # type: ignore[no-untyped-call]
    return cast(Table, executor.execute(Plan(optimized)))  # type: ignore[no-untyped-call]
