"""How long and how wide a connector may go: timeouts and pool sizes, passed in explicitly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0  # seconds to open a connection (and for check())
    # Seconds one statement may run. PostgreSQL (COPY path) and MySQL count the whole stream;
    # SQLite, DuckDB and the PostgreSQL cursor path (queries with parameters) each fetch.
    statement_timeout: float = 300.0
    pool_max: int = 5  # connections (or worker threads) per connector
    idle_lifetime: float = 300.0  # seconds an idle pooled connection is kept
    # In-process sources share the gateway's memory. DuckDB: the memory its buffer pool may
    # use (no spilling to disk) and its threads per data source; a query past the limit fails
    # with 53200. SQLite: the longest string or blob a statement may build (or read).
    duckdb_memory_limit_mb: int = 256
    duckdb_threads: int = 2
    sqlite_max_value_bytes: int = 64 * 2**20


DEFAULT_LIMITS = Limits()
