"""What a credential can see: cubes as tables, members as columns (for the gateways' catalog)."""

from __future__ import annotations

from backend.semantic.model import AccessPolicy, Cube, Dimension, Measure, ModelSet

from .infer import _MEASURE_TYPES, dimension_type, input_type
from .types import VirtualColumn, VirtualTable

JOIN_FIELD_COLUMN = "__cubeJoinField"


def visible_schema(
    models: ModelSet, access: AccessPolicy, *, include_join_field: bool = True
) -> list[VirtualTable]:
    """Every public cube the access policy allows, with the members it allows, in model order:
    dimensions, then measures, then segments (``bool``), then ``__cubeJoinField`` (a ``text``
    column that only exists to be named in ``JOIN ... ON``; selecting it is refused)."""
    tables: list[VirtualTable] = []
    for cube in models:
        if not cube.public or not access.allows_cube(cube.name):
            continue
        columns: list[VirtualColumn] = []
        for dimension in cube.dimensions:
            if dimension.public and access.allows_member(cube.name, dimension.name):
                columns.append(
                    VirtualColumn(dimension.name, dimension_type(models, cube.name, dimension),
                                  "dimension", dimension.description,
                                  primary_key=dimension.primary_key)
                )
        for measure in cube.measures:
            if measure.public and access.allows_member(cube.name, measure.name):
                # The column of a table shaped like the cube holds the measure's row-level
                # input (what SELECT * returns), so that is its type; a number measure has
                # none and shows its aggregate's.
                column_type = (
                    _MEASURE_TYPES[measure.type] if measure.type == "number"
                    else input_type(cube, measure, models)
                )
                columns.append(
                    VirtualColumn(measure.name, column_type, "measure", measure.description)
                )
        for segment in cube.segments:
            if segment.public and access.allows_member(cube.name, segment.name):
                columns.append(
                    VirtualColumn(segment.name, "bool", "segment", segment.description)
                )
        if not columns:
            continue
        if include_join_field:
            columns.append(VirtualColumn(JOIN_FIELD_COLUMN, "text", "join_field"))
        tables.append(VirtualTable(cube.name, tuple(columns), cube.description))
    return tables


def member_comment(cube: Cube, column: VirtualColumn) -> str:
    """What a catalog comment says about a column: measure or dimension (or segment), its
    model type, then its title and description (``measure (sum). Amount. Order total``)."""
    member = cube.member(column.name)
    if member is None:
        return column.description or ""
    if isinstance(member, Measure):
        head = f"measure ({member.type})"
    elif isinstance(member, Dimension):
        head = f"dimension ({member.type}{', primary key' if member.primary_key else ''})"
    else:
        head = "segment (boolean)"
    return ". ".join(p for p in (head, member.title, member.description) if p)
