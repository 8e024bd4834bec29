"""From a data source's type and params to its connector, inside the operator's limits.

``SourceEnvironment`` gathers what every connector of a process is bound by — timeouts, the
network policy, the file policy — from settings, once; ``connector_for`` applies it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from backend.connectors.base import Connector
from backend.connectors.duckdb import DuckDBConnector
from backend.connectors.filepolicy import FilePolicy
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.mysql import MySQLConnector
from backend.connectors.netpolicy import (
    DEFAULT_POLICY,
    NetworkPolicy,
    PlatformEndpoints,
    parse_networks,
)
from backend.connectors.params import source_type, validate_params
from backend.connectors.postgres import PostgresConnector
from backend.connectors.sqlite import SqliteConnector

if TYPE_CHECKING:
    from backend.core.settings import Settings

DEMO_FILE = "demo.duckdb"  # backend.connectors.demo writes it into DATA_DIR


def connector_for(
    type_: str,
    params: Mapping[str, Any],
    *,
    limits: Limits = DEFAULT_LIMITS,
    file_roots: Sequence[str | Path] | None = None,
    files: FilePolicy | None = None,
    network: NetworkPolicy = DEFAULT_POLICY,
    team_id: str | None = None,
) -> Connector:
    """A connector for a data source; params are validated first (``InvalidInput``).

    ``files`` (or just ``file_roots``), when given, confine SQLite and DuckDB paths to the
    team's folder (``filepolicy``), checked again at every open; ``team_id`` names the team,
    or None to use the team folder the stored path itself names. ``network`` is checked at
    every connect of a PostgreSQL or MySQL source (``netpolicy``).
    """
    kind = source_type(type_)
    values = validate_params(kind, params)
    if kind in ("SQLITE", "DUCKDB"):
        if files is None and file_roots is not None:
            files = FilePolicy.build(file_roots)
        typed = str(values["path"])
        locate: Callable[[], Path] | None = None
        if files is not None:
            locate = functools.partial(files.locate, typed, team_id)
            path = locate()  # fails now, not at first use, for a path outside the folder
        else:
            path = Path(typed).expanduser()
        if kind == "SQLITE":
            return SqliteConnector(path, limits=limits, locate=locate)
        return DuckDBConnector(path, limits=limits, locate=locate)
    server = {k: values[k] for k in ("host", "port", "database", "user", "password", "ssl")}
    if kind == "POSTGRES":
        return PostgresConnector(**server, limits=limits, network=network)
    return MySQLConnector(**server, limits=limits, network=network)


@dataclass(frozen=True)
class SourceEnvironment:
    """What every data-source connector of this process is bound by."""

    limits: Limits = DEFAULT_LIMITS
    network: NetworkPolicy = DEFAULT_POLICY
    files: FilePolicy = field(default_factory=lambda: FilePolicy(()))

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceEnvironment:
        data_dir = settings.data_dir.resolve()
        forbidden = [data_dir / "secret.key", data_dir / "tls"]
        if settings.is_sqlite:
            meta = Path(settings.database_url.split("///", 1)[-1]).resolve()
            forbidden += [meta, meta.with_name(meta.name + "-wal"),
                          meta.with_name(meta.name + "-shm")]
        platform = PlatformEndpoints.build(
            own_ports=(settings.web_port, settings.pg_port, settings.mysql_port),
            metadata=metadata_endpoints(settings.database_url),
        )
        return cls(
            limits=Limits(connect_timeout=settings.source_connect_timeout_seconds,
                          statement_timeout=settings.source_statement_timeout_seconds,
                          duckdb_memory_limit_mb=settings.source_duckdb_memory_limit_mb,
                          duckdb_threads=settings.source_duckdb_threads,
                          sqlite_max_value_bytes=settings.source_sqlite_max_value_bytes),
            network=NetworkPolicy(
                allow=parse_networks(settings.source_network_allow,
                                     setting="SOURCE_NETWORK_ALLOW"),
                deny=parse_networks(settings.source_network_deny, setting="SOURCE_NETWORK_DENY"),
                platform=platform,
            ),
            files=FilePolicy.build(settings.file_source_roots, shared=[data_dir / DEMO_FILE],
                                   forbidden=forbidden),
        )

    def connector(self, type_: str, params: Mapping[str, Any], *,
                  team_id: str | None = None) -> Connector:
        return connector_for(type_, params, limits=self.limits, files=self.files,
                             network=self.network, team_id=team_id)

    def factory(self) -> Callable[[str, Mapping[str, Any]], Connector]:
        """A connector factory for the gateways (which hold stored params, not a team id:
        file paths are confined to the team folder the stored path names)."""
        return lambda type_, params: self.connector(type_, params)


def metadata_endpoints(database_url: str) -> list[tuple[str, int]]:
    """(host, port) of a server-based metadata database; an empty host is a local socket."""
    parts = urlsplit(database_url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    defaults = {"postgresql": 5432, "postgres": 5432, "mysql": 3306, "mariadb": 3306}
    if scheme not in defaults:
        return []
    query = parse_qs(parts.query)
    hosts = [parts.hostname or ""]
    hosts += [h for value in query.get("host", []) for h in value.split(",")]
    try:
        port = parts.port or defaults[scheme]
    except ValueError:
        port = defaults[scheme]
    ports = [int(p) for value in query.get("port", []) for p in value.split(",") if p.isdigit()]
    return [(h, p) for h in hosts for p in (ports or [port])]


__all__ = ["SourceEnvironment", "connector_for", "metadata_endpoints"]
