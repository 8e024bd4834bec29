"""The dependency direction of STYLE.md, checked: a layer never imports the one above it.

* ``backend.core`` imports neither ``backend.api`` nor ``gateway``;
* ``backend.semantic`` and ``gateway.engine`` are pure: no I/O or event-loop modules;
* protocol codecs (``gateway.postgres.codec``/``messages``) know nothing of sessions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

IO_MODULES = {"asyncio", "socket", "ssl", "sqlite3", "duckdb", "asyncpg", "aiomysql",
              "pymysql", "sqlalchemy", "httpx", "subprocess"}


def imports_of(package: str) -> Iterator[tuple[Path, str]]:
    base = ROOT / package.replace(".", "/")
    files = [base.with_suffix(".py")] if base.with_suffix(".py").exists() else base.rglob("*.py")
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def offenders(package: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path, name in imports_of(package)
        if name.split(".")[0] in forbidden or any(name.startswith(f + ".") or name == f
                                                   for f in forbidden)
    )


def test_core_does_not_import_api_or_gateway() -> None:
    assert offenders("backend.core", {"backend.api", "gateway"}) == []


def test_semantic_layer_is_pure() -> None:
    assert offenders("backend.semantic", IO_MODULES | {"backend.api", "gateway"}) == []


def test_engine_is_pure() -> None:
    if not (ROOT / "gateway" / "engine").exists():
        pytest.skip("gateway/engine not present")
    assert offenders("gateway.engine", IO_MODULES | {"backend.api", "gateway.postgres",
                                                      "gateway.mysql"}) == []


@pytest.mark.parametrize("module", ["gateway.postgres.codec", "gateway.postgres.messages"])
def test_codecs_know_nothing_of_sessions(module: str) -> None:
    if not (ROOT / (module.replace(".", "/") + ".py")).exists():
        pytest.skip(f"{module} not present")
    assert offenders(module, {"gateway.session", "backend.core.services", "asyncio"}) == []
