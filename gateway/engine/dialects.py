"""Stage 4 helpers: engine differences, kept here rather than in the planner.

The planner builds one neutral sqlglot tree; these functions replace the few constructs whose
SQL differs by engine (time truncation, EXTRACT, approximate distinct counts, parameters) and
render the tree as text for the target.
"""

from __future__ import annotations

import re
from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from backend.core.errors import NotSupported

from . import functions
from .snippets import atom
from .types import TargetDialect

_ARG = "__x__"

# MySQL and SQLite have no DATE_TRUNC; truncate by formatting (Monday-start weeks, as
# PostgreSQL and DuckDB do). Results are DATETIME in MySQL, 'YYYY-MM-DD HH:MM:SS' text in SQLite.
_TRUNC_TEMPLATES: dict[str, dict[str, str]] = {
    "mysql": {
        "second": "CAST(DATE_FORMAT(__x__, '%Y-%m-%d %H:%i:%s') AS DATETIME)",
        "minute": "CAST(DATE_FORMAT(__x__, '%Y-%m-%d %H:%i:00') AS DATETIME)",
        "hour": "CAST(DATE_FORMAT(__x__, '%Y-%m-%d %H:00:00') AS DATETIME)",
        "day": "CAST(DATE_FORMAT(__x__, '%Y-%m-%d') AS DATETIME)",
        "week": "CAST(DATE_FORMAT(DATE_SUB(__x__, INTERVAL (WEEKDAY(__x__)) DAY), '%Y-%m-%d')"
        " AS DATETIME)",
        "month": "CAST(DATE_FORMAT(__x__, '%Y-%m-01') AS DATETIME)",
        "quarter": "CAST(DATE_FORMAT(MAKEDATE(YEAR(__x__), 1) + INTERVAL (QUARTER(__x__) - 1)"
        " QUARTER, '%Y-%m-%d') AS DATETIME)",
        "year": "CAST(DATE_FORMAT(__x__, '%Y-01-01') AS DATETIME)",
    },
    "sqlite": {
        "second": "STRFTIME('%Y-%m-%d %H:%M:%S', __x__)",
        "minute": "STRFTIME('%Y-%m-%d %H:%M:00', __x__)",
        "hour": "STRFTIME('%Y-%m-%d %H:00:00', __x__)",
        "day": "DATETIME(__x__, 'start of day')",
        "week": "DATETIME(__x__, 'start of day', '-' || ((CAST(STRFTIME('%w', __x__) AS INTEGER)"
        " + 6) % 7) || ' days')",
        "month": "DATETIME(__x__, 'start of month')",
        "quarter": "DATETIME(__x__, 'start of month', '-' || ((CAST(STRFTIME('%m', __x__) AS"
        " INTEGER) - 1) % 3) || ' months')",
        "year": "DATETIME(__x__, 'start of year')",
    },
}

# EXTRACT units that differ from PostgreSQL's meaning (dow: 0 = Sunday; week: ISO week).
_EXTRACT_TEMPLATES: dict[str, dict[str, str]] = {
    "mysql": {
        "dow": "DAYOFWEEK(__x__) - 1",
        "doy": "DAYOFYEAR(__x__)",
        "week": "WEEK(__x__, 3)",
        "isodow": "WEEKDAY(__x__) + 1",
        "isoyear": "FLOOR(YEARWEEK(__x__, 3) / 100)",
        "epoch": "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', __x__) / 1000000",
    },
    "sqlite": {
        "year": "CAST(STRFTIME('%Y', __x__) AS INTEGER)",
        "quarter": "(CAST(STRFTIME('%m', __x__) AS INTEGER) + 2) / 3",
        "month": "CAST(STRFTIME('%m', __x__) AS INTEGER)",
        "day": "CAST(STRFTIME('%d', __x__) AS INTEGER)",
        "hour": "CAST(STRFTIME('%H', __x__) AS INTEGER)",
        "minute": "CAST(STRFTIME('%M', __x__) AS INTEGER)",
        "second": "CAST(STRFTIME('%S', __x__) AS INTEGER)",
        "dow": "CAST(STRFTIME('%w', __x__) AS INTEGER)",
        "doy": "CAST(STRFTIME('%j', __x__) AS INTEGER)",
        "isodow": "(CAST(STRFTIME('%w', __x__) AS INTEGER) + 6) % 7 + 1",
        "epoch": "CAST(STRFTIME('%s', __x__) AS INTEGER)",
    },
    "duckdb": {"dow": "DAYOFWEEK(__x__)", "doy": "DAYOFYEAR(__x__)", "isodow": "ISODOW(__x__)",
               "isoyear": "ISOYEAR(__x__)", "epoch": "EPOCH(__x__)"},
}


@cache
def _template(sql: str, dialect: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read=dialect)


def _apply(sql: str, dialect: str, argument: exp.Expr) -> exp.Expr:
    tree = _template(sql, dialect).copy()

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and node.name == _ARG and not node.table:
            return atom(argument.copy())
        return node

    return atom(tree.transform(swap, copy=False))


def time_trunc(argument: exp.Expr, unit: str, target: TargetDialect) -> exp.Expr:
    templates = _TRUNC_TEMPLATES.get(target)
    if templates is None:
        return exp.TimestampTrunc(this=argument, unit=exp.var(unit.upper()))
    return _apply(templates[unit], target, argument)


def extract(argument: exp.Expr, unit: str, target: TargetDialect) -> exp.Expr:
    template = _EXTRACT_TEMPLATES.get(target, {}).get(unit)
    if template is not None:
        return _apply(template, target, argument)
    if target == "sqlite":
        raise NotSupported(f"EXTRACT({unit.upper()} ...) is not available on SQLite sources")
    return exp.Extract(this=exp.var(unit.upper()), expression=argument)


def approx_count_distinct(argument: exp.Expr, target: TargetDialect) -> exp.Expr:
    """DuckDB estimates (HyperLogLog); PostgreSQL, MySQL and SQLite have no built-in estimate,
    so the count there is exact."""
    if target == "duckdb":
        return exp.Anonymous(this="APPROX_COUNT_DISTINCT", expressions=[argument])
    return exp.Count(this=exp.Distinct(expressions=[argument]))


_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between)


def _sqlite_time_literals(node: exp.Expr) -> None:
    """SQLite compares truncated times ('2024-01-01 00:00:00') with literals as text, so a
    literal compared with DATE_TRUNC is normalised with DATETIME() first."""
    operands = [node.this, node.args.get("expression"), node.args.get("low"),
                node.args.get("high"), *(node.args.get("expressions") or [])]
    if not any(isinstance(o, exp.Expr) and o.meta and o.meta.get(_TRUNCATED) for o in operands):
        return
    for operand in operands:
        if isinstance(operand, exp.Literal) and operand.is_string:
            operand.replace(exp.Anonymous(this="DATETIME", expressions=[operand.copy()]))


_NO_BARE_OFFSET = {"mysql": "18446744073709551615", "sqlite": "-1"}
_TRUNCATED = "truncated_time"  # meta: a SQLite truncation, compared as text


def adapt(tree: exp.Expr, target: TargetDialect) -> exp.Expr:
    """Replace the neutral constructs (time truncation, EXTRACT, the functions of
    functions.py) by the target's own SQL, innermost first, so that each rendering embeds
    already adapted arguments."""
    for node in reversed(list(tree.walk())):
        new = _adapt_node(node, target)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _adapt_node(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    if (
        isinstance(node, exp.Query)
        and node.args.get("offset") is not None
        and node.args.get("limit") is None
        and target in _NO_BARE_OFFSET
    ):
        # MySQL and SQLite only accept OFFSET after a LIMIT.
        node.set("limit", exp.Limit(expression=exp.Literal.number(_NO_BARE_OFFSET[target])))
    if target == "sqlite" and isinstance(node, _COMPARISONS):
        _sqlite_time_literals(node)
    if isinstance(node, exp.TimestampTrunc):
        unit = node.args["unit"].name.lower()
        truncated = time_trunc(node.this, unit, target)
        if target == "sqlite":
            truncated.meta[_TRUNCATED] = True
        return truncated
    if isinstance(node, exp.Extract):
        try:
            return extract(node.expression, node.this.name.lower(), target)
        except NotSupported:
            if functions.written_name(node):
                raise functions.unavailable(node, target) from None  # YEARWEEK(), WEEK()...
            raise
    return functions.render(node, target)


_MARKER = re.compile("\x00(\\d+)\x00")


def render(tree: exp.Expr, target: TargetDialect) -> tuple[str, tuple[int, ...]]:
    """SQL text for ``target`` and, per placeholder in text order, the client parameter."""

    def mark(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder):
            return exp.var(f"\x00{node.name}\x00")
        return node

    text = tree.transform(mark, copy=False).sql(
        dialect=target, unsupported_level=ErrorLevel.RAISE, copy=False, comments=False
    )
    order = tuple(int(m.group(1)) for m in _MARKER.finditer(text))
    if not order:
        return text, ()
    if target == "mysql":
        text = text.replace("%", "%%")  # aiomysql/PyMySQL %-format the query when given args
    counter = iter(range(1, len(order) + 1))

    def style(_: re.Match[str]) -> str:
        if target == "postgres":
            return f"${next(counter)}"
        return "%s" if target == "mysql" else "?"

    return _MARKER.sub(style, text), order

