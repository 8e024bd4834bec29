"""What a credential may see of its models, as relational tables and columns.

The engine's ``visible_schema`` decides which cubes and members are visible (the access policy
applied once, with the same types the engine reports for query results); this adds what the
catalog also shows: primary keys, and a comment on every column saying whether it is a
dimension or a measure, with its model type, title and description. ``__cubeJoinField`` is
left out of the catalog because BI tools select every listed column and the engine refuses to
select it; it still works in ON.
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


def column_comment(kind: str, member_type: str, title: str | None,
                   description: str | None, primary_key: bool = False) -> str:
    """What ``\\d+``, JDBC REMARKS and SQLAlchemy's comment show for a column: whether it is a
    dimension or a measure, its model type, then its title and description."""
    head = f"{kind.capitalize()} ({member_type}{', primary key' if primary_key else ''})"
    rest = [t for t in (title, description) if t]
    return head + (": " + ". ".join(rest) if rest else "")


def visible_tables(models: ModelSet, access: AccessPolicy) -> list[VisibleTable]:
    tables = []
    for vt in visible_schema(models, access, include_join_field=False):
        cube = models.get(vt.name)
        cols = []
        for c in vt.columns:
            member = cube.member(c.name) if cube is not None else None
            pk = bool(getattr(member, "primary_key", False)) and c.kind == "dimension"
            member_type = str(getattr(member, "type", "boolean" if c.kind == "segment" else ""))
            comment = column_comment(c.kind, member_type, getattr(member, "title", None),
                                     c.description, pk)
            cols.append(VisibleColumn(c.name, c.type, comment, pk, c.kind))
        description = vt.description or (cube.title if cube is not None else None)
        tables.append(VisibleTable(vt.name, description, tuple(cols)))
    return sorted(tables, key=lambda t: t.name)
