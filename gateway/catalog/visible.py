"""What a credential may see of its models, as relational tables and columns.

The engine's ``visible_schema`` decides which cubes and members are visible (the access policy
applied once, with the same types the engine reports for query results); this adds what the
catalog also shows: primary keys, and a comment on every column saying whether it is a
dimension or a measure, with its model type, title and description. ``__cubeJoinField`` is
left out of the catalog because BI tools select every listed column and the engine refuses to
select it (it still works in ON); so are ``number`` measures, which have no value per row (the
table comment names them; ``MEASURE(name)`` reaches them). The columns are then exactly what
``SELECT *`` returns.
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
        per_row_less: list[str] = []
        for c in vt.columns:
            member = cube.member(c.name) if cube is not None else None
            if c.kind == "measure" and getattr(member, "type", None) == "number":
                # A formula over aggregates has no value per row: a column tools would select
                # (SQLAlchemy, pandas.read_sql_table) and be refused. MEASURE(name) reaches it.
                per_row_less.append(c.name)
                continue
            pk = bool(getattr(member, "primary_key", False)) and c.kind == "dimension"
            member_type = str(getattr(member, "type", "boolean" if c.kind == "segment" else ""))
            comment = column_comment(c.kind, member_type, getattr(member, "title", None),
                                     c.description, pk)
            cols.append(VisibleColumn(c.name, c.type, comment, pk, c.kind))
        description = vt.description or (cube.title if cube is not None else None)
        if per_row_less:
            note = ("measures without a per-row value (query them with MEASURE(name) and "
                    "GROUP BY): " + ", ".join(per_row_less))
            description = f"{description}. {note}" if description else note
        tables.append(VisibleTable(vt.name, description, tuple(cols)))
    return sorted(tables, key=lambda t: t.name)
