"""From a data source's type and params to its connector."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backend.connectors.base import Connector
from backend.connectors.duckdb import DuckDBConnector
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.mysql import MySQLConnector
from backend.connectors.params import source_type, validate_params
from backend.connectors.postgres import PostgresConnector
from backend.connectors.sqlite import SqliteConnector
from backend.core.errors import InvalidInput


def connector_for(
    type_: str,
    params: Mapping[str, Any],
    *,
    limits: Limits = DEFAULT_LIMITS,
    file_roots: Sequence[str | Path] | None = None,
) -> Connector:
    """A connector for a data source; params are validated first (``InvalidInput``).

    ``file_roots``, when given, are the only directories SQLite and DuckDB files may live in
    (after resolving symlinks and ``..``): a team admin must not be able to point a data
    source at the server's own files, such as the metadata database.
    """
    kind = source_type(type_)
    values = validate_params(kind, params)
    if kind in ("SQLITE", "DUCKDB"):
        path = Path(values["path"]).expanduser()
        if file_roots is not None:
            _check_within(path, file_roots)
        if kind == "SQLITE":
            return SqliteConnector(path, limits=limits)
        return DuckDBConnector(path, limits=limits)
    server = {k: values[k] for k in ("host", "port", "database", "user", "password", "ssl")}
    if kind == "POSTGRES":
        return PostgresConnector(**server, limits=limits)
    return MySQLConnector(**server, limits=limits)


def _check_within(path: Path, roots: Sequence[str | Path]) -> None:
    resolved = path.resolve()
    for root in roots:
        if resolved.is_relative_to(Path(root).expanduser().resolve()):
            return
    allowed = ", ".join(str(r) for r in roots) or "(none)"
    raise InvalidInput(f"files may only be opened from: {allowed}", field="path")
