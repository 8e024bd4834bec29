"""What a credential may see of its models, as relational tables and columns.

The engine's ``visible_schema`` decides which cubes and members are visible (the access policy
applied once, with the same types the engine reports for query results); this adds what the
catalog also shows: primary keys. ``__cubeJoinField`` is left out of the catalog because BI
tools select every listed column and the engine refuses to select it; it still works in ON.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.semantic.model import AccessPolicy, ModelSet
from gateway.engine import visible_schema


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


def visible_tables(models: ModelSet, access: AccessPolicy) -> list[VisibleTable]:
    tables = []
    for vt in visible_schema(models, access, include_join_field=False):
        cube = models.get(vt.name)
        cols = []
        for c in vt.columns:
            dim = cube.dimension(c.name) if cube is not None and c.kind == "dimension" else None
            cols.append(VisibleColumn(c.name, c.type, c.description,
                                      bool(dim and dim.primary_key), c.kind))
        tables.append(VisibleTable(vt.name, vt.description, tuple(cols)))
    return sorted(tables, key=lambda t: t.name)
