"""The semantic SQL engine: SQL over cubes in, data-source SQL out. Pure: no I/O, no asyncio.

Entry points: :func:`compile_query` (one statement), :class:`PlanCache` (the same, memoised)
and :func:`visible_schema` (cubes and members a credential may see, for the catalog).
See docs/engine.md.
"""

from .cache import PlanCache
from .catalog import visible_schema
from .compile import compile_query
from .types import (
    ClientDialect,
    CompiledQuery,
    OutputColumn,
    TargetDialect,
    VirtualColumn,
    VirtualTable,
)

__all__ = [
    "ClientDialect",
    "CompiledQuery",
    "OutputColumn",
    "PlanCache",
    "TargetDialect",
    "VirtualColumn",
    "VirtualTable",
    "compile_query",
    "visible_schema",
]
