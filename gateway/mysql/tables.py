"""The tables MySQL clients see: each cube with exactly the columns a query can return per row.

Tools reflect a table (DESCRIBE, SHOW COLUMNS, information_schema.COLUMNS) and then select
every listed column by name (SQLAlchemy ``select(table)``, ``pandas.read_sql_table``, DBeaver's
data tab), or run ``SELECT *`` and expect the listed columns back. So the list is what the
engine returns for ``SELECT * FROM cube`` — names, order and types taken from compiling that
statement, segments (boolean columns per row) included. Left out:
``__cubeJoinField`` (usable in ``JOIN ... ON`` only) and ``number`` measures (a formula over
aggregates has no value per row; ``MEASURE(name)`` or an aggregate query still reaches them;
the table comment names them). Comments say what each column is (``member_comment``).
"""

from __future__ import annotations

from backend.core.errors import AppError
from backend.semantic.model import AccessPolicy, ModelSet
from gateway.engine import compile_query, visible_schema
from gateway.engine.catalog import member_comment
from gateway.engine.types import TargetDialect, VirtualColumn, VirtualTable


def _star_columns(table: str, models: ModelSet, access: AccessPolicy,
                  target: TargetDialect) -> dict[str, str]:
    """Output name -> type of ``SELECT * FROM table`` (empty when the engine refuses it)."""
    try:
        compiled = compile_query(f"SELECT * FROM `{table}`", client_dialect="mysql",
                                 models=models, access=access, target_dialect=target)
    except AppError:
        return {}
    return {c.name: c.type for c in compiled.columns}


def catalog_tables(models: ModelSet, access: AccessPolicy,
                   target: TargetDialect = "duckdb") -> list[VirtualTable]:
    out: list[VirtualTable] = []
    for vt in visible_schema(models, access, include_join_field=False):
        cube = models.get(vt.name)
        assert cube is not None  # visible_schema lists only cubes of ``models``
        star = _star_columns(vt.name, models, access, target)
        by_name = {c.name: c for c in vt.columns}
        columns: list[VirtualColumn] = []
        for name, neutral in star.items():
            source = by_name[name]
            columns.append(VirtualColumn(name, neutral, source.kind,
                                         member_comment(cube, source), source.primary_key))
        hidden = [c.name for c in vt.columns if c.kind == "measure" and c.name not in star]
        description = vt.description or ""
        if hidden:
            note = ("measures without a per-row value (query them with MEASURE(name) and "
                    "GROUP BY): " + ", ".join(hidden))
            description = f"{description}. {note}" if description else note
        if columns:
            out.append(VirtualTable(vt.name, tuple(columns), description or None))
    return out
