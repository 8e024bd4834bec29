"""The one small interface every data-source engine implements.

A connector checks a connection, describes what the source holds, and runs a query streaming
its rows. Engines differ only behind this Protocol; everything above (services, the gateways)
depends on it alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str  # the source's own type name, lower case (e.g. "integer", "varchar", "timestamp")
    nullable: bool = True


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableInfo:
    schema: str
    name: str
    columns: tuple[ColumnInfo, ...] = ()
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ResultColumn:
    name: str
    type: str  # a neutral type name: bool, int2, int4, int8, float4, float8, numeric, text,
    #            date, time, timestamp, timestamptz, interval, uuid, json, bytea


class QueryResult(Protocol):
    """A running query: its columns are known before the first row arrives."""

    columns: Sequence[ResultColumn]

    def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[tuple[Any, ...]]]: ...

    async def cancel(self) -> None: ...

    async def close(self) -> None: ...


class Connector(Protocol):
    dialect: str  # the sqlglot dialect the engine renders for: postgres, mysql, sqlite, duckdb

    async def check(self) -> None:
        """Raise a ``backend.core.errors.DataSourceError`` subclass if the source is not usable."""

    async def list_schemas(self) -> list[str]: ...

    async def list_tables(self, schemas: Sequence[str] | None = None) -> list[TableInfo]: ...

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> QueryResult: ...

    async def close(self) -> None: ...
