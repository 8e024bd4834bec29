"""What a credential may see of its models, as relational tables and columns.

This is the single place that decides which cubes and members appear in the catalog (the
access policy is applied here, once) and which PostgreSQL type each member is shown with.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.semantic.model import AccessPolicy, Cube, Dimension, Measure, ModelSet

# Types as PostgreSQL names them (pg_type.typname).
DIMENSION_PG_TYPES = {"string": "text", "number": "numeric", "time": "timestamp",
                      "boolean": "bool"}
COUNT_MEASURES = frozenset({"count", "count_distinct", "count_distinct_approx"})


@dataclass(frozen=True)
class VisibleColumn:
    name: str
    pg_type: str
    description: str | None
    primary_key: bool = False
    kind: str = "dimension"  # dimension | measure | segment


@dataclass(frozen=True)
class VisibleTable:
    name: str
    description: str | None
    columns: tuple[VisibleColumn, ...]


def member_pg_type(member: Dimension | Measure) -> str:
    if isinstance(member, Dimension):
        return DIMENSION_PG_TYPES.get(member.type, "text")
    return "int8" if member.type in COUNT_MEASURES else "numeric"


def _table(cube: Cube, access: AccessPolicy) -> VisibleTable | None:
    if not cube.public or not access.allows_cube(cube.name):
        return None
    cols: list[VisibleColumn] = []
    for d in cube.dimensions:
        if d.public and access.allows_member(cube.name, d.name):
            cols.append(VisibleColumn(d.name, member_pg_type(d), d.description or d.title,
                                      d.primary_key))
    for ms in cube.measures:
        if ms.public and access.allows_member(cube.name, ms.name):
            cols.append(VisibleColumn(ms.name, member_pg_type(ms), ms.description or ms.title,
                                      kind="measure"))
    for s in cube.segments:
        if s.public and access.allows_member(cube.name, s.name):
            cols.append(VisibleColumn(s.name, "bool", s.description or s.title, kind="segment"))
    if not cols:
        return None
    return VisibleTable(cube.name, cube.description or cube.title, tuple(cols))


def visible_tables(models: ModelSet, access: AccessPolicy) -> list[VisibleTable]:
    tables = (_table(c, access) for c in models)
    return sorted((t for t in tables if t is not None), key=lambda t: t.name)
