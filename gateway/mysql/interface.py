"""What the MySQL gateway needs from the rest of the system, as narrow injected Protocols.

The connection code depends only on these; the lead wires them to ``gateway.session`` and the
engine. ``execute`` receives MySQL-dialect SQL exactly as the client sent it plus the client's
parameters as Python values: parameters must reach the data source as bound parameters, never
spliced into SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from backend.connectors.base import QueryResult, ResultColumn
from backend.core.grants import CredentialGrant
from gateway.engine.types import VirtualTable

from .catalog import MysqlCatalog


@dataclass(frozen=True)
class StatementShape:
    """What COM_STMT_PREPARE must announce: the ``?`` count and types, when known the
    columns."""

    param_count: int
    columns: tuple[ResultColumn, ...] = ()
    param_types: tuple[str, ...] = ()  # neutral types, one per ``?`` (``params.py``)


class SqlSession(Protocol):
    """One authenticated client's view of its models (database ``db``)."""

    async def ready(self) -> None:
        """Wait until what ``tables()`` reports is known (the data source's column types)."""

    def tables(self) -> Sequence[VirtualTable]:
        """The cubes this credential may see, already filtered by its access policy."""

    def catalog(self) -> MysqlCatalog:
        """The sandboxed DuckDB holding MySQL's information_schema of ``tables()`` (where
        catalog statements run, off the event loop, within its ``limits``)."""

    async def execute(self, sql: str, params: Sequence[object] = ()) -> QueryResult:
        """Run one MySQL-dialect SELECT over the cubes; raise an AppError on failure."""

    async def describe(self, sql: str) -> StatementShape: ...

    def replace_grant(self, grant: CredentialGrant) -> None:
        """The credential changed in a way that keeps the session (e.g. a new model version)."""

    async def close(self) -> None: ...


class SessionFactory(Protocol):
    async def __call__(self, grant: CredentialGrant) -> SqlSession: ...
