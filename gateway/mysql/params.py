"""Types of a prepared statement's ``?`` parameters, and client values converted to them.

MySQL clients often bind every parameter as a string (MariaDB/MySQL ODBC with SQL_C_CHAR,
Excel, Power BI; Connector/J's ``setString``), and MySQL converts ``'5'`` compared with an
integer column. The data source's driver does not (asyncpg refuses a str for a numeric
placeholder), so each parameter gets the type its context implies — the engine's inference
(``CompiledQuery.param_types``) first, then the type of the catalog column it is compared with
— and a text value is converted to it before it is bound. COM_STMT_PREPARE announces the same
types. Nothing is evaluated: conversion is parsing one value into one Python type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from backend.core.errors import AppError, InvalidInput
from gateway.engine.parse import parse_statement
from gateway.engine.types import VirtualTable

from .values import mysql_type_name

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ)
_CASTS = {"SIGNED": "int8", "UNSIGNED": "int8", "INT": "int8", "BIGINT": "int8",
          "DECIMAL": "numeric", "DOUBLE": "float8", "DATE": "date", "DATETIME": "timestamp",
          "TIMESTAMP": "timestamp", "CHAR": "text", "VARCHAR": "text", "TEXT": "text"}


def _column_types(tables: Sequence[VirtualTable]) -> dict[str, str]:
    """Column name -> type; a name with different types in different tables tells nothing."""
    out: dict[str, str] = {}
    for t in tables:
        for c in t.columns:
            key = c.name.lower()
            out[key] = c.type if out.get(key, c.type) == c.type else "text"
    return out


def _context_type(node: exp.Placeholder, columns: dict[str, str]) -> str:
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if isinstance(parent, exp.Cast):
        return _CASTS.get(parent.to.this.name if parent.to else "", "text")
    if isinstance(parent, exp.Limit | exp.Offset):
        return "int8"
    other: exp.Expr | None = None
    if isinstance(parent, _COMPARISONS):
        other = parent.expression if parent.this is node else parent.this
    elif isinstance(parent, exp.In | exp.Between) and parent.this is not node:
        other = parent.this
    if isinstance(other, exp.Column):
        return columns.get(other.name.lower(), "text")
    return "text"


def parameter_types(sql: str, tables: Sequence[VirtualTable],
                    engine: Sequence[str] = ()) -> list[str]:
    """One neutral type per ``?`` of ``sql``, in order ("text" when nothing tells)."""
    try:
        # The engine's parse numbers each ``?`` by where it appears in the text.
        parsed = parse_statement(sql, "mysql")
    except AppError:
        return list(engine)
    columns = _column_types(tables)
    found = ["text"] * parsed.param_count
    for p in parsed.statement.find_all(exp.Placeholder):
        if p.name.isdigit() and int(p.name) < len(found) and found[int(p.name)] == "text":
            found[int(p.name)] = _context_type(p, columns)
    if engine and len(engine) != len(found):
        return list(engine)
    return [e if e != "text" else f for e, f in zip(engine or found, found, strict=True)]


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8").strip()
        except UnicodeDecodeError:
            return None
    return None


def coerce(values: Sequence[object], types: Sequence[str]) -> list[object]:
    """``values`` with each text value converted to its parameter's type; other values (the
    client said what they are) and text parameters are left as they came."""
    out: list[object] = []
    for i, value in enumerate(values):
        target = types[i] if i < len(types) else "text"
        text = _text(value)
        if text is None or target in ("text", "null"):
            out.append(value)
            continue
        try:
            out.append(_convert(text, target))
        except (ValueError, InvalidOperation):
            raise InvalidInput(f"Incorrect {mysql_type_name(target)} value: '{text[:64]}' for "
                               f"parameter {i + 1}") from None
    return out


def _convert(text: str, target: str) -> object:
    if target in ("int2", "int4", "int8"):
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else number
    if target == "numeric":
        return Decimal(text)
    if target in ("float4", "float8"):
        return float(text)
    if target == "bool":
        return text.lower() in ("1", "true", "yes", "on")
    if target == "date":
        return dt.date.fromisoformat(text[:10])
    if target in ("timestamp", "timestamptz"):
        return dt.datetime.fromisoformat(text)
    return text
