"""The engine's public value types: what a compiled query and the visible schema look like."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ClientDialect = Literal["postgres", "mysql"]
TargetDialect = Literal["postgres", "mysql", "sqlite", "duckdb"]
CLIENT_DIALECTS: tuple[ClientDialect, ...] = ("postgres", "mysql")
TARGET_DIALECTS: tuple[TargetDialect, ...] = ("postgres", "mysql", "sqlite", "duckdb")

# Neutral type names shared with backend.connectors.base.ResultColumn; the wire gateways map
# them to OIDs / MySQL column types.
NeutralType = str


@dataclass(frozen=True)
class OutputColumn:
    name: str
    type: NeutralType


@dataclass(frozen=True)
class CompiledQuery:
    """Data-source SQL produced by the engine for one client statement.

    Parameter contract: ``sql`` holds ``len(param_order)`` placeholders in the target's style
    (``$1..$n`` for postgres/asyncpg, ``%s`` for mysql/aiomysql, ``?`` for sqlite and duckdb),
    numbered/ordered as they appear in ``sql``. ``param_order[i]`` is the 0-based index of the
    client parameter that feeds output placeholder ``i`` (a client parameter may feed several,
    e.g. when a filter is repeated in fan-out-safe subqueries). Use :meth:`bind` to build the
    argument list. ``param_count`` is the number of client parameters ($1..$n or ``?``s) and
    ``param_types`` their inferred neutral types (``text`` when nothing tells).

    When the target is mysql and the query has parameters, every literal ``%`` in ``sql`` is
    doubled, as aiomysql/PyMySQL's ``%``-formatting expects; without parameters it is not.
    """

    sql: str
    columns: tuple[OutputColumn, ...]
    target_dialect: TargetDialect
    param_order: tuple[int, ...] = ()
    param_count: int = 0
    param_types: tuple[NeutralType, ...] = ()

    def bind(self, params: tuple[object, ...] | list[object]) -> list[object]:
        """The argument list for the data-source driver, given the client's parameters."""
        if len(params) != self.param_count:
            from backend.core.errors import InvalidInput

            raise InvalidInput(
                f"the statement has {self.param_count} parameter(s), {len(params)} given"
            )
        return [params[i] for i in self.param_order]


ColumnKind = Literal["dimension", "measure", "segment", "join_field"]


@dataclass(frozen=True)
class VirtualColumn:
    name: str
    type: NeutralType
    kind: ColumnKind
    description: str | None = None
    primary_key: bool = False  # a dimension marked primary_key in the model


@dataclass(frozen=True)
class VirtualTable:
    """A cube as the SQL API shows it: table ``name`` in schema ``public`` (database ``db``)."""

    name: str
    columns: tuple[VirtualColumn, ...]
    description: str | None = None
