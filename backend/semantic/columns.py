"""Which source columns a ``sql`` snippet reads, for the "unknown column" check.

A snippet is parsed with sqlglot after its references are replaced by placeholders:
``{CUBE}``/``{TABLE}`` by the own table, ``{other}`` by that cube's table, member references by
``NULL`` (they are checked as references, not columns). Unqualified columns then belong to
the cube's own table. The analysis is best-effort: when the snippet does not parse, or holds
a subquery or lambda (where unqualified names may belong to something else), it says so by
returning ``None`` and the caller falls back to what it can see without parsing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from backend.semantic.references import SELF_KEYWORDS, find_references

_OWN = "__cube__"
_OTHER = "__cube_"


@dataclass(frozen=True)
class ColumnUse:
    """A column read by a snippet: of the cube's own table (``cube`` None) or another cube's."""

    cube: str | None
    name: str
    quoted: bool


def columns_in(
    sql: str, own_members: Collection[str], cubes: Collection[str]
) -> list[ColumnUse] | None:
    expression = _parse(_with_placeholders(sql, own_members, cubes))
    if expression is None or expression.find(exp.Select, exp.Lambda) is not None:
        return None
    uses: list[ColumnUse] = []
    for column in expression.find_all(exp.Column):
        if column.args.get("db") or column.args.get("catalog"):
            continue  # a.b.c: not a column of a cube's table
        identifier = column.this
        if not isinstance(identifier, exp.Identifier) or column.name.startswith(_OWN[:-2]):
            continue
        table = column.table
        if table == _OWN or not table:
            uses.append(ColumnUse(None, column.name, bool(identifier.quoted)))
        elif table.startswith(_OTHER):
            uses.append(ColumnUse(table[len(_OTHER):], column.name, bool(identifier.quoted)))
    return uses


def _with_placeholders(sql: str, own_members: Collection[str], cubes: Collection[str]) -> str:
    out: list[str] = []
    last = 0
    for ref in find_references(sql):
        out.append(sql[last:ref.start])
        head = ref.path[0]
        if len(ref.path) == 1 and head in SELF_KEYWORDS:
            out.append(_OWN)
        elif len(ref.path) == 1 and head not in own_members and head in cubes:
            out.append(_OTHER + head)
        else:
            out.append("NULL")
        last = ref.end
    out.append(sql[last:])
    return "".join(out)


def _parse(sql: str) -> exp.Expr | None:  # Expr: newer sqlglot's base class
    for dialect in (None, "mysql"):  # the generic dialect, then MySQL's backquotes
        try:
            return sqlglot.parse_one(sql, read=dialect)
        except (SqlglotError, RecursionError, ValueError):
            continue
    return None
