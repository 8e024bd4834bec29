"""Scalar functions with their PostgreSQL or MySQL meaning on every target.

Two halves:

* ``normalize`` (parse stage, after the allowlist): the client's spelling of a function —
  sqlglot's node for it in the client's dialect, or a name sqlglot does not know — becomes
  one canonical node whose meaning the engine defines (``YEAR(x)`` and ``DATE_PART('year',
  x)`` are ``EXTRACT(YEAR FROM x)``; ``DATE_ADD``, ``ADDDATE`` and ``x + INTERVAL ...`` are a
  ``DateAdd``; format strings are read from the literal the client wrote). The name the
  client wrote travels in the node's meta (``WRITTEN``) for error messages.
* ``render`` (render stage, from ``dialects.adapt``): each canonical node as the target's own
  SQL, or NotSupported naming the client's function and the target when the target cannot
  give it its meaning (a regular expression on SQLite).

Every function here is a pure scalar function of its arguments (and the clock).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.tokenizer_core import Token, TokenType

from backend.core.errors import NotSupported

from . import formats
from .formats import ELEMENTS, PADDED, Item
from .types import ClientDialect, TargetDialect

WRITTEN = "written"  # meta key: the function name as the client wrote it
NAME = "output_name"  # meta key on a select item: its name computed before normalising

_TARGET_NAMES = {"postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite",
                 "duckdb": "DuckDB"}


_TEXT = "client_text"  # meta key on the statement: the text the positions refer to


def written_name(node: exp.Expr) -> str | None:
    """The function name as the client wrote it, read from the text on first use (sqlglot
    keeps where a function's name token was)."""
    meta = node.meta if node.meta else None
    if not meta:
        return None
    name = meta.get(WRITTEN)
    if name is None:
        start, end = meta.get("start"), meta.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            return None
        root = node.root()
        text = root.meta.get(_TEXT) if root.meta else None
        if not isinstance(text, str):
            return None
        name = meta[WRITTEN] = text[start : end + 1]
    return str(name)


def written(node: exp.Expr, fallback: str | None = None) -> str:
    name = written_name(node)
    if name:
        return str(name)
    if fallback:
        return fallback
    return node.sql_name() if isinstance(node, exp.Func) else node.key.upper()


def keep_written(old: exp.Expr, new: exp.Expr) -> exp.Expr:
    """``new`` with the client's spelling of ``old`` (for stages that rebuild nodes)."""
    name = written_name(old)
    if name:
        new.meta[WRITTEN] = name
    return new


def unavailable(node: exp.Expr, target: TargetDialect, what: str | None = None) -> NotSupported:
    name = written(node)
    shown = f"{name}()" if name[:1].isalpha() and "(" not in name else name
    return NotSupported(
        f"{what or shown} is not available on {_TARGET_NAMES[target]} data sources"
    )


# --- what the client wrote (from the text and its tokens) --------------------------------------

FORMAT_FUNCTIONS = frozenset({"TO_CHAR", "TO_TIMESTAMP", "TO_DATE", "DATE_FORMAT",
                              "STR_TO_DATE", "TIME_FORMAT"})


def has_format_function(lowered: str) -> bool:
    return any(name.lower() in lowered for name in FORMAT_FUNCTIONS)


def client_formats(tokens: list[Token]) -> dict[int, str]:
    """Offset of a format function's name -> its format argument, when that is one string
    literal (the second argument)."""
    found: dict[int, str] = {}
    for i, token in enumerate(tokens[:-1]):
        if token.text.upper() not in FORMAT_FUNCTIONS:
            continue
        if tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        depth = 0
        j = i + 1
        while j < len(tokens):
            kind = tokens[j].token_type
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    break
            elif kind == TokenType.COMMA and depth == 1:
                if (
                    j + 2 < len(tokens)
                    and tokens[j + 1].token_type in (TokenType.STRING, TokenType.NATIONAL_STRING)
                    and tokens[j + 2].token_type == TokenType.R_PAREN
                ):
                    found[token.start] = tokens[j + 1].text
                break
            j += 1
    return found


def record_written(statement: exp.Expr, text: str) -> None:
    """Keep the text the functions' name positions refer to (see ``written_name``)."""
    statement.meta[_TEXT] = text


def needs_tokens(lowered: str) -> bool:
    return has_format_function(lowered) or "date_part" in lowered


def record_extract_names(statement: exp.Expr, tokens: list[Token]) -> None:
    """sqlglot reads DATE_PART(...) as an EXTRACT and keeps no position for it: the calls are
    matched with the EXTRACT/DATE_PART name tokens in text order."""
    names = [t.text for i, t in enumerate(tokens[:-1])
             if t.text.upper() in ("EXTRACT", "DATE_PART")
             and tokens[i + 1].token_type == TokenType.L_PAREN]
    nodes = [n for n in statement.walk(bfs=False) if isinstance(n, exp.Extract)]
    if len(names) == len(nodes):
        for name, node in zip(names, nodes, strict=True):
            if name.upper() == "DATE_PART" and not written_name(node):
                node.meta[WRITTEN] = name


# --- normalising the client's tree -------------------------------------------------------------

_EXTRACTORS: dict[type[exp.Expr], str] = {
    exp.Year: "year", exp.Quarter: "quarter", exp.Month: "month", exp.Day: "day",
    exp.DayOfMonth: "day", exp.Hour: "hour", exp.Minute: "minute", exp.Second: "second",
    exp.DayOfYear: "doy",
}
_UNITS = {
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
    "weeks": "week", "month": "month", "months": "month", "mon": "month", "mons": "month",
    "quarter": "quarter", "year": "year", "years": "year",
}
_NOW_NAMES = frozenset({"NOW", "SYSDATE", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_TIMESTAMP",
                        "UTC_TIMESTAMP"})
# Functions by a name sqlglot does not know, with their argument counts.
ANONYMOUS_ARITY: dict[str, tuple[int, ...]] = {
    "WEEKDAY": (1,), "ADDDATE": (2,), "SUBDATE": (2,), "MAKEDATE": (2,), "MAKE_DATE": (3,),
    "UNIX_TIMESTAMP": (0, 1), "NOW": (0,), "SYSDATE": (0,), "UTC_DATE": (0,),
}


def normalize(statement: exp.Expr, dialect: ClientDialect, found: dict[int, str]) -> None:
    """Rewrite the client's functions into the engine's canonical nodes, in place."""
    handled = _HANDLED_MYSQL if dialect == "mysql" else _HANDLED
    pending = [n for n in statement.walk() if type(n) in handled]
    if not pending:
        return  # most statements: nothing to rewrite (the walk is the whole cost)
    names: list[tuple[exp.Select, int, str]] = []
    for select in statement.find_all(exp.Select):
        for index, item in enumerate(select.expressions):
            if not isinstance(item, exp.Alias | exp.Column | exp.Star):
                names.append((select, index, _client_name(item, dialect)))
    for node in reversed(pending):  # breadth first, reversed: children before parents
        new = _normalize(node, dialect, found)
        if dialect == "mysql":
            new = _mysql_types(new)
        if new is not node:
            keep_written(node, new)
            node.replace(new)
    for select, index, name in names:
        select.expressions[index].meta[NAME] = name
    interval = statement.find(exp.Interval)
    if interval is not None:
        raise NotSupported(
            "an INTERVAL is only supported added to or subtracted from a date or time",
            hint="write created_at - INTERVAL '90 days'",
        )


def _is_date(node: exp.Expr) -> bool:
    if isinstance(node, exp.Cast | exp.TryCast):
        to = node.args.get("to")
        return isinstance(to, exp.DataType) and to.this == exp.DataType.Type.DATE
    return isinstance(node, exp.DateFromParts | exp.CurrentDate | exp.StrToDate)


def _mysql_types(node: exp.Expr) -> exp.Expr:
    """MySQL's types where they differ: a date moved by days, months or years stays a DATE
    (PostgreSQL's date + interval is a timestamp); CAST(x AS CHAR) is a string of any length
    (PostgreSQL's char is one character)."""
    if (isinstance(node, exp.DateAdd) and _is_date(node.this)
            and node.args["unit"].name.lower() in ("day", "month", "year")):
        return exp.Cast(this=node, to=exp.DataType.build("DATE"))
    if isinstance(node, exp.Cast):
        to = node.args.get("to")
        if isinstance(to, exp.DataType) and to.this == exp.DataType.Type.CHAR \
                and not to.expressions:
            return exp.Cast(this=node.this, to=exp.DataType.build("TEXT"))
        if isinstance(to, exp.DataType) and to.this == exp.DataType.Type.TIMESTAMPTZ:
            # sqlglot reads MySQL's TIMESTAMP '...' as TIMESTAMPTZ; MySQL's has no zone
            return exp.Cast(this=node.this, to=exp.DataType.build("TIMESTAMP"))
    return node


# The node types _normalize rewrites (or refuses: a bare Interval), so others are skipped.
_HANDLED: frozenset[type[exp.Expr]] = frozenset({
    *_EXTRACTORS, exp.Extract, exp.TsOrDsToDate, exp.TsOrDsToTimestamp, exp.Timestamp,
    exp.Date, exp.Localtime, exp.Initcap, exp.DayOfWeek, exp.Week, exp.Dayname,
    exp.TimeToStr, exp.StrToTime, exp.StrToDate, exp.UnixToTime, exp.DateAdd, exp.DateSub,
    exp.TimestampAdd, exp.Add, exp.Sub, exp.Anonymous, exp.CurrentTimestamp,
    exp.Localtimestamp, exp.UtcTimestamp, exp.CurrentDate, exp.RegexpLike, exp.RegexpILike,
    exp.StrPosition, exp.Interval,
})
_HANDLED_MYSQL = _HANDLED | {exp.Cast}  # _mysql_types


def _client_name(node: exp.Expr, dialect: ClientDialect) -> str:
    from .naming import default_name

    if dialect == "postgres":
        inner = node
        while isinstance(inner, exp.Paren):
            inner = inner.this
        if isinstance(inner, exp.Func) and not isinstance(inner, exp.Cast | exp.TryCast):
            name = written_name(inner)
            if name:
                return str(name).lower()
        if isinstance(inner, exp.Binary) and inner.find(exp.Interval):
            return "?column?"
    return default_name(node, dialect)


def _normalize(node: exp.Expr, dialect: ClientDialect, found: dict[int, str]) -> exp.Expr:
    kind = type(node)
    if kind in _EXTRACTORS:
        return _extract(_EXTRACTORS[kind], node.this)
    if kind is exp.Extract and dialect == "mysql" and node.this.name.lower() == "week":
        return _mysql_week(node.expression, 0)
    if kind is exp.TsOrDsToDate or kind is exp.TsOrDsToTimestamp:
        to = "DATE" if kind is exp.TsOrDsToDate else "TIMESTAMP"
        if not written_name(node) and not _is_string(node.this):
            inner: exp.Expr = node.this
            return inner  # sqlglot's implicit conversion around a MySQL argument
        return exp.Cast(this=node.this, to=exp.DataType.build(to))
    if kind in (exp.Date, exp.Timestamp) and node.this is None:
        raise NotSupported(f"{written(node)}() needs an argument")
    if kind is exp.Date:  # PostgreSQL's date(x)
        if node.args.get("zone") or node.expressions:
            raise NotSupported("DATE() takes one argument")
        return exp.Cast(this=node.this, to=exp.DataType.build("DATE"))
    if kind is exp.Localtime:
        return exp.CurrentTime()
    if kind is exp.Initcap:  # sqlglot fills in PostgreSQL's word delimiters; nothing to keep
        return exp.Initcap(this=node.this)
    if kind is exp.Timestamp:
        if node.args.get("zone") or node.args.get("expression"):
            raise NotSupported("TIMESTAMP(x, time) is not supported; use TIMESTAMP(x)")
        return exp.Cast(this=node.this, to=exp.DataType.build("TIMESTAMP"))
    if kind is exp.DayOfWeek:
        return exp.Add(this=_extract("dow", node.this), expression=exp.Literal.number(1))
    if kind is exp.Week:
        mode = node.args.get("mode")
        return _mysql_week(node.this, _integer(mode, "WEEK mode") if mode is not None else 0)
    if kind is exp.Dayname:
        return _time_to_str(node.this, [("FMDay", "")])
    if kind is exp.TimeToStr:
        return _format_call(node, dialect, found)
    if kind is exp.StrToTime or kind is exp.StrToDate:
        return _parse_call(node, dialect, found)
    if kind is exp.UnixToTime:
        if any(node.args.get(k) for k in ("scale", "zone", "hours", "minutes", "format")):
            raise NotSupported(f"{written(node)}() takes one argument here")
        return _date_add(_epoch(), node.this, "second")
    if kind is exp.DateAdd or kind is exp.DateSub or kind is exp.TimestampAdd:
        unit = _unit(node.args.get("unit"), written(node))
        amount = _number(node.expression)
        if kind is exp.DateSub:
            amount = exp.Neg(this=_atom(amount))
        return _date_add(node.this, amount, unit)
    if kind is exp.Add or kind is exp.Sub:
        return _interval_arithmetic(node)
    if kind is exp.Anonymous:
        return _anonymous(node)
    if kind is exp.CurrentTimestamp or kind is exp.Localtimestamp or kind is exp.UtcTimestamp:
        return exp.CurrentTimestamp()  # the gateways' sessions are UTC
    if kind is exp.CurrentDate and node.args.get("zone") is not None:
        zone = node.args["zone"]
        if not (_is_string(zone) and zone.this.upper() == "UTC"):
            raise NotSupported("CURRENT_DATE takes no time zone")
        return exp.CurrentDate()  # MySQL's UTC_DATE()
    if kind is exp.RegexpLike and dialect == "mysql":
        # MySQL's REGEXP follows the collation, case-insensitive by default (utf8mb4_*_ci).
        node = exp.RegexpILike(this=node.this, expression=node.expression,
                               flag=node.args.get("flag"))
        node.meta[WRITTEN] = "REGEXP"
        return node
    if kind is exp.RegexpLike or kind is exp.RegexpILike:
        if node.args.get("flag") is not None or node.args.get("full_match"):
            raise NotSupported(f"{written(node)} with flags is not supported")
        node.meta[WRITTEN] = "~" if kind is exp.RegexpLike else "~*"
        return node
    if kind is exp.StrPosition and (node.args.get("position") or node.args.get("occurrence")):
        raise NotSupported(f"{written(node)}() with a start position is not supported")
    return node


def _anonymous(node: exp.Expr) -> exp.Expr:
    name = node.name.upper()
    args = node.expressions
    if name == "MEASURE":
        return node
    arity = ANONYMOUS_ARITY.get(name)
    if arity is None or len(args) not in arity:
        raise NotSupported(f"function {node.name}() with {len(args)} arguments is not supported")
    if name == "WEEKDAY":
        return exp.Mod(
            this=exp.Paren(this=exp.Add(this=_extract("dow", args[0]),
                                        expression=exp.Literal.number(6))),
            expression=exp.Literal.number(7),
        )
    if name in ("ADDDATE", "SUBDATE"):
        base, amount = args
        if isinstance(amount, exp.Interval):
            moved = _interval_add(base, amount, negate=name == "SUBDATE")
        else:
            step = _number(amount)
            moved = _date_add(base, exp.Neg(this=_atom(step)) if name == "SUBDATE" else step,
                              "day")
        return moved
    if name == "MAKEDATE":
        year, day = args
        first = exp.DateFromParts(year=year, month=exp.Literal.number(1),
                                  day=exp.Literal.number(1))
        return _date_add(first, exp.Sub(this=_atom(day), expression=exp.Literal.number(1)),
                         "day")
    if name == "MAKE_DATE":
        return exp.DateFromParts(year=args[0], month=args[1], day=args[2])
    if name == "UNIX_TIMESTAMP":
        return _extract("epoch", args[0] if args else exp.CurrentTimestamp())
    if name in ("NOW", "SYSDATE"):
        return exp.CurrentTimestamp()
    if name == "UTC_DATE":
        return exp.CurrentDate()
    return node


def _extract(unit: str, argument: exp.Expr) -> exp.Expr:
    return exp.Extract(this=exp.var(unit), expression=argument)


def _mysql_week(argument: exp.Expr, mode: int) -> exp.Expr:
    """MySQL's WEEK(x, mode) from day of year and day of week (modes 0, 1 and 3)."""
    if mode == 3:
        return _extract("week", argument)
    if mode not in (0, 1):
        raise NotSupported(f"WEEK(x, {mode}) is not supported", hint="use mode 0, 1 or 3")
    doy = _extract("doy", argument.copy())
    dow = _extract("dow", argument.copy())
    days: exp.Expr
    if mode == 0:  # Sunday first; week 1 starts on the first Sunday
        days = exp.Sub(this=exp.Add(this=doy, expression=exp.Literal.number(6)), expression=dow)
    else:  # Monday first; week 1 is the first with four days in the year
        monday_based = exp.Mod(this=exp.Paren(this=exp.Add(this=dow,
                                                           expression=exp.Literal.number(6))),
                               expression=exp.Literal.number(7))
        days = exp.Add(this=exp.Sub(this=doy, expression=monday_based),
                       expression=exp.Literal.number(9))
    return exp.Floor(this=exp.Div(this=exp.Paren(this=days),
                                  expression=exp.Literal.number("7.0")))


def _integer(node: exp.Expr, what: str) -> int:
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    raise NotSupported(f"{what} must be an integer literal")


def _is_int(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string and node.is_int


def _is_string(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def _number(node: exp.Expr) -> exp.Expr:
    """An interval amount: MySQL's ``INTERVAL '1' DAY`` reads the string as a number."""
    if _is_string(node):
        text = node.this.strip()
        try:
            float(text)
        except ValueError:
            raise NotSupported(f"interval amount {node.this!r} is not a number") from None
        if text.startswith("-"):
            return exp.Neg(this=exp.Literal.number(text[1:]))
        return exp.Literal.number(text.lstrip("+"))
    return node


def _atom(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Literal | exp.Column | exp.Func | exp.Paren | exp.Placeholder):
        return node
    return exp.Paren(this=node)


def _unit(node: exp.Expr | None, function: str) -> str:
    name = node.name.lower() if isinstance(node, exp.Expr) else "day"
    name = name.removeprefix("sql_tsi_")
    unit = _UNITS.get(name)
    if unit is None:
        raise NotSupported(f"{function} unit {name.upper()!r} is not supported",
                           hint="use SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or YEAR")
    return unit


def _date_add(base: exp.Expr, amount: exp.Expr, unit: str) -> exp.Expr:
    if _is_string(base) or isinstance(base, exp.TimeToStr | exp.Concat | exp.DPipe):
        # text read as a time, as PostgreSQL reads an unknown literal and MySQL any string
        base = exp.Cast(this=base, to=exp.DataType.build("TIMESTAMP"))
    if unit == "week":
        amount, unit = exp.Mul(this=_atom(amount), expression=exp.Literal.number(7)), "day"
    elif unit == "quarter":
        amount, unit = exp.Mul(this=_atom(amount), expression=exp.Literal.number(3)), "month"
    return exp.DateAdd(this=base, expression=amount, unit=exp.Literal.string(unit))


def _interval_parts(interval: exp.Interval) -> list[tuple[exp.Expr, str]]:
    """``INTERVAL '90 days'``, ``INTERVAL '1 day 2 hours'``, ``INTERVAL 3 MONTH``."""
    value = interval.this
    unit = interval.args.get("unit")
    if unit is not None:
        if isinstance(unit, exp.IntervalSpan) or not isinstance(unit, exp.Var):
            raise NotSupported("compound INTERVAL units are not supported")
        return [(_number(value) if value is not None else exp.Literal.number(1),
                 _unit(unit, "INTERVAL"))]
    if not _is_string(value):
        raise NotSupported("INTERVAL needs a unit")
    words = value.this.replace(",", " ").split()
    if not words or len(words) % 2:
        raise NotSupported(f"INTERVAL {value.this!r} is not supported")
    parts = []
    for amount, unit_word in zip(words[::2], words[1::2], strict=True):
        parts.append((_number(exp.Literal.string(amount)), _unit(exp.var(unit_word),
                                                                  "INTERVAL")))
    return parts


def _interval_add(base: exp.Expr, interval: exp.Interval, *, negate: bool,
                  scale: exp.Expr | None = None) -> exp.Expr:
    for amount, unit in _interval_parts(interval):
        if scale is not None:
            amount = exp.Mul(this=_atom(scale.copy()), expression=_atom(amount))
        if negate:
            amount = exp.Neg(this=_atom(amount))
        base = _date_add(base, amount, unit)
    return base


def _scaled_interval(node: exp.Expr) -> tuple[exp.Interval, exp.Expr | None] | None:
    if isinstance(node, exp.Interval):
        return node, None
    if isinstance(node, exp.Mul):
        if isinstance(node.expression, exp.Interval):
            return node.expression, node.this
        if isinstance(node.this, exp.Interval):
            return node.this, node.expression
    return None


def _interval_arithmetic(node: exp.Expr) -> exp.Expr:
    right = _scaled_interval(node.expression)
    if right is not None:
        base = node.this
        if isinstance(base, exp.Cast) and _is_string(base.this) and base.this.this == "epoch":
            base = _epoch()  # PostgreSQL's timestamp 'epoch'
        elif _is_string(base) and base.this.lower() == "epoch":
            base = _epoch()
        return _interval_add(base, right[0], negate=isinstance(node, exp.Sub), scale=right[1])
    left = _scaled_interval(node.this)
    if left is not None and isinstance(node, exp.Add):
        return _interval_add(node.expression, left[0], negate=False, scale=left[1])
    return node


def _epoch() -> exp.Expr:
    return exp.Cast(this=exp.Literal.string("1970-01-01 00:00:00"),
                    to=exp.DataType.build("TIMESTAMP"))


def _time_to_str(argument: exp.Expr, items: list[Item]) -> exp.Expr:
    return exp.TimeToStr(this=argument, format=exp.Literal.string(formats.encode(items)))


def _client_format(node: exp.Expr, dialect: ClientDialect, found: dict[int, str]) -> list[Item]:
    name = written(node).upper()
    start = node.meta.get("start") if node.meta else None
    text = found.get(start) if isinstance(start, int) else None
    if text is None:
        raise NotSupported(f"the format of {written(node)}() must be a string literal")
    if name == "TO_CHAR" and any(c in "09" for c in re.sub(r'"[^"]*"', "", text)):
        # 9 and 0 are digit positions of a number template ('999D99'), never date patterns
        raise NotSupported(f"{written(node)}() of a number is not supported",
                           hint="CAST the number AS TEXT, or ROUND it")
    if name in ("TO_CHAR", "TO_TIMESTAMP", "TO_DATE") or (
        dialect == "postgres" and name not in ("DATE_FORMAT", "STR_TO_DATE", "TIME_FORMAT")
    ):
        items = formats.read_pg(text, written(node))
    else:
        items = formats.read_mysql(text, written(node))
    if not any(isinstance(i, tuple) for i in items):
        raise NotSupported(
            f"{written(node)}() format {text!r} has no date or time pattern",
            hint="number formatting is not supported" if name == "TO_CHAR" else None,
        )
    return items


def _format_call(node: exp.Expr, dialect: ClientDialect, found: dict[int, str]) -> exp.Expr:
    if node.args.get("culture") or node.args.get("zone"):
        raise NotSupported(f"{written(node)}() takes two arguments here")
    name = written(node).upper()
    if name == "MONTHNAME":
        return _time_to_str(node.this, [("FMMonth", "")])
    if name not in FORMAT_FUNCTIONS:
        raise NotSupported(f"function {written(node)}() is not supported")
    return _time_to_str(node.this, _client_format(node, dialect, found))


def _parse_call(node: exp.Expr, dialect: ClientDialect, found: dict[int, str]) -> exp.Expr:
    if node.args.get("format") is None:
        raise NotSupported(f"{written(node)}() needs a format")
    for key in ("zone", "safe", "target_type", "default_year", "nlsparam"):
        if node.args.get(key):
            raise NotSupported(f"{written(node)}() takes two arguments here")
    items = _client_format(node, dialect, found)
    date_only = isinstance(node, exp.StrToDate) or (not any(
        isinstance(i, tuple) and i[0] in ("HH24", "HH12", "FMHH24", "FMHH12", "MI", "SS", "US",
                                          "MS", "AM") for i in items
    ) and written(node).upper() == "TO_DATE")
    for item in items:
        if isinstance(item, tuple) and (ELEMENTS[item[0]].python is None or item[1]):
            raise NotSupported(f"{written(node)}() cannot read the format element {item[0]!r}")
    literal = _fold(node.this, items, date_only)
    if literal is not None:
        return literal
    kind = exp.StrToDate if date_only else exp.StrToTime
    return kind(this=node.this, format=exp.Literal.string(formats.encode(items)))


def _fold(value: exp.Expr, items: list[Item], date_only: bool) -> exp.Expr | None:
    """A literal read while planning (Superset's ``TO_TIMESTAMP('2024-01-01 00:00:00.000000',
    ...)``): the same on every target, and SQLite needs no format parser."""
    if not _is_string(value):
        return None
    pattern = formats.python_format(items)
    if pattern is None:
        return None
    try:
        moment = datetime.strptime(value.this.strip(), pattern)
    except ValueError:
        return None
    if date_only:
        return exp.Cast(this=exp.Literal.string(moment.date().isoformat()),
                        to=exp.DataType.build("DATE"))
    text = moment.isoformat(sep=" ", timespec="microseconds" if moment.microsecond else "seconds")
    return exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build("TIMESTAMP"))


# --- rendering canonical nodes for a target --------------------------------------------------

_ARG = "__x__"


@cache
def _template(sql: str, dialect: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read=dialect)


def apply(sql: str, dialect: str, **arguments: exp.Expr) -> exp.Expr:
    """``sql`` (in ``dialect``) with ``__name__`` columns replaced by ``arguments``."""
    tree = _template(sql, dialect).copy()

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name.startswith("__"):
            key = node.name.strip("_")
            if key in arguments:
                return _atom(arguments[key].copy())
        return node

    result = tree.transform(swap, copy=False)
    return _atom(result)


def render(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    """The target's SQL for a canonical node (``node`` itself when it renders as it is)."""
    handler = _RENDERERS.get(type(node))
    return node if handler is None else handler(node, target)


def _lang(target: TargetDialect) -> str:
    return {"postgres": "pg", "mysql": "mysql", "duckdb": "strftime", "sqlite": "sqlite"}[target]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _names_case(part: str, names: tuple[str, ...], abbreviate: bool, first: int) -> str:
    whens = " ".join(
        f"WHEN '{i + first:0{2 if first else 1}d}' THEN '{n[:3] if abbreviate else n}'"
        for i, n in enumerate(names)
    )
    return f"CASE STRFTIME('{part}', __x__) {whens} END"


# Elements a target's format language lacks, as expressions in the target's SQL.
_FALLBACKS: dict[tuple[str, str], str] = {
    ("Q", "mysql"): "CAST(QUARTER(__x__) AS CHAR)",
    ("Q", "duckdb"): "CAST(QUARTER(__x__) AS VARCHAR)",
    ("Q", "sqlite"): "CAST((CAST(STRFTIME('%m', __x__) AS INTEGER) + 2) / 3 AS TEXT)",
    ("D", "mysql"): "CAST(DAYOFWEEK(__x__) AS CHAR)",
    ("D", "duckdb"): "CAST(DAYOFWEEK(__x__) + 1 AS VARCHAR)",
    ("D", "sqlite"): "CAST(CAST(STRFTIME('%w', __x__) AS INTEGER) + 1 AS TEXT)",
    ("ID", "mysql"): "CAST(WEEKDAY(__x__) + 1 AS CHAR)",
    ("ID", "sqlite"): "CAST((CAST(STRFTIME('%w', __x__) AS INTEGER) + 6) % 7 + 1 AS TEXT)",
    ("w", "postgres"): "CAST(CAST(EXTRACT(DOW FROM __x__) AS INTEGER) AS TEXT)",
    ("MS", "mysql"): "LEFT(DATE_FORMAT(__x__, '%f'), 3)",
    ("MS", "sqlite"): "SUBSTR(STRFTIME('%f', __x__), 4)",
    ("US", "sqlite"): "SUBSTR(STRFTIME('%f', __x__), 4) || '000'",
    ("YY", "sqlite"): "SUBSTR(STRFTIME('%Y', __x__), 3)",
    ("FMMM", "sqlite"): "CAST(CAST(STRFTIME('%m', __x__) AS INTEGER) AS TEXT)",
    ("FMDD", "sqlite"): "CAST(CAST(STRFTIME('%d', __x__) AS INTEGER) AS TEXT)",
    ("FMHH24", "sqlite"): "CAST(CAST(STRFTIME('%H', __x__) AS INTEGER) AS TEXT)",
    ("HH12", "sqlite"): "SUBSTR('0' || CAST((CAST(STRFTIME('%H', __x__) AS INTEGER) + 11) % 12"
    " + 1 AS TEXT), -2)",
    ("FMHH12", "sqlite"): "CAST((CAST(STRFTIME('%H', __x__) AS INTEGER) + 11) % 12 + 1 AS TEXT)",
    ("AM", "sqlite"): "CASE WHEN CAST(STRFTIME('%H', __x__) AS INTEGER) < 12 THEN 'AM'"
    " ELSE 'PM' END",
    ("FMMonth", "sqlite"): _names_case("%m", _MONTHS, False, 1),
    ("Mon", "sqlite"): _names_case("%m", _MONTHS, True, 1),
    ("FMDay", "sqlite"): _names_case("%w", _DAYS, False, 0),
    ("Dy", "sqlite"): _names_case("%w", _DAYS, True, 0),
}


def _native_call(argument: exp.Expr, text: str, target: TargetDialect) -> exp.Expr:
    literal = exp.Literal.string(text)
    if target == "postgres":
        return exp.Anonymous(this="TO_CHAR", expressions=[argument.copy(), literal])
    if target == "mysql":
        return exp.Anonymous(this="DATE_FORMAT", expressions=[argument.copy(), literal])
    if target == "duckdb":
        return exp.Anonymous(this="STRFTIME", expressions=[argument.copy(), literal])
    return exp.Anonymous(this="STRFTIME", expressions=[literal, argument.copy()])


def _concat(pieces: list[exp.Expr], target: TargetDialect) -> exp.Expr:
    if len(pieces) == 1:
        return pieces[0]
    if target == "mysql":  # CONCAT is NULL when any piece is, as || is elsewhere
        return exp.Anonymous(this="CONCAT", expressions=pieces)
    result = pieces[0]
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=piece, safe=True)
    return exp.Paren(this=result)


def _render_time_to_str(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    argument = node.this
    items = formats.decode(node.args["format"].this)
    lang = _lang(target)
    pieces: list[exp.Expr] = []
    buffer = ""  # the target's format text since the last piece
    raw = ""  # the same, unescaped, while it holds literal text only
    literal_only = True

    def flush() -> None:
        nonlocal buffer, raw, literal_only
        if buffer:
            pieces.append(exp.Literal.string(raw) if literal_only
                          else _native_call(argument, buffer, target))
        buffer, raw, literal_only = "", "", True

    for item in items:
        if isinstance(item, str):
            buffer += formats.escape_literal(item, lang)
            raw += item
            continue
        name, case = item
        if name in PADDED.values() and "pad" in case and target == "postgres":
            token = {"FMMonth": "Month", "FMDay": "Day"}[name]
            token = token.upper() if "upper" in case else token.lower() if "lower" in case \
                else token
            buffer += token
            literal_only = False
            continue
        native = getattr(ELEMENTS[name], lang)
        if native is not None and not case:
            buffer += native
            literal_only = False
            continue
        flush()
        if native is not None:
            piece = _native_call(argument, native, target)
        else:
            template = _FALLBACKS.get((name, target))
            if template is None:
                raise unavailable(node, target, f"{written(node)}() format element {name!r}")
            piece = apply(template, target, x=argument)
        if "upper" in case:
            piece = exp.Upper(this=piece)
        elif "lower" in case:
            piece = exp.Lower(this=piece)
        if "pad" in case:  # PostgreSQL pads month and day names to nine characters
            padded: exp.Expr = exp.DPipe(this=piece, expression=exp.Literal.string(" " * 9),
                                         safe=True)
            if target == "mysql":
                padded = exp.Anonymous(this="CONCAT",
                                       expressions=[piece, exp.Literal.string(" " * 9)])
            piece = exp.Substring(this=padded, start=exp.Literal.number(1),
                                  length=exp.Literal.number(9))
        pieces.append(piece)
    flush()
    if all(isinstance(p, exp.Literal) for p in pieces):  # no element: NULL stays NULL
        pieces.insert(0, _native_call(argument, "", target))
    return _concat(pieces, target)


def _render_parse(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    date_only = isinstance(node, exp.StrToDate)
    items = formats.decode(node.args["format"].this)
    to = exp.DataType.build("DATE" if date_only else "TIMESTAMP")
    if target == "sqlite":
        if not formats.iso_layout(items):
            raise unavailable(node, target, f"{written(node)}() with this format")
        return exp.Anonymous(this="DATE" if date_only else "DATETIME", expressions=[node.this])
    lang = _lang(target)
    text = ""
    for item in items:
        if isinstance(item, str):
            text += formats.escape_literal(item, lang)
            continue
        token = getattr(ELEMENTS[item[0]], lang)
        if token is None:
            raise unavailable(node, target, f"{written(node)}() format element {item[0]!r}")
        text += token
    function = {"postgres": "TO_TIMESTAMP", "mysql": "STR_TO_DATE", "duckdb": "STRPTIME"}[target]
    call = exp.Anonymous(this=function, expressions=[node.this, exp.Literal.string(text)])
    return exp.Cast(this=call, to=to)


_SQLITE_UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}
# SQLite moves '2024-01-31' + 1 month to March 2; PostgreSQL, MySQL and DuckDB stop at the
# month's last day. So: the first of the target month, plus the day clamped to its length,
# plus the time of day.
_SQLITE_ADD_MONTHS = (
    "DATETIME(__x__, 'start of month', PRINTF('%+d months', __n__),"
    " PRINTF('%+d days', MIN(CAST(STRFTIME('%d', __x__) AS INTEGER),"
    " CAST(STRFTIME('%d', DATETIME(__x__, 'start of month', PRINTF('%+d months', __n__ + 1),"
    " '-1 day')) AS INTEGER)) - 1), '+' || STRFTIME('%H:%M:%f', __x__))"
)


def _render_date_add(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    base, amount = node.this, node.expression
    unit = node.args["unit"].name.lower()  # a string literal: the canonical node's unit
    if target == "mysql":
        return exp.DateAdd(this=base, expression=amount, unit=exp.var(unit.upper()))
    if target == "sqlite":
        if unit in ("month", "year"):
            months = amount if unit == "month" else exp.Mul(this=_atom(amount),
                                                            expression=exp.Literal.number(12))
            return apply(_SQLITE_ADD_MONTHS, "sqlite", x=base, n=months)
        modifier = exp.Anonymous(this="PRINTF", expressions=[
            exp.Literal.string(f"%+f {_SQLITE_UNITS[unit]}"), amount])
        return exp.Anonymous(this="DATETIME", expressions=[base, modifier])
    one = exp.Interval(this=exp.Literal.string("1"), unit=exp.var(unit.upper()))
    if target == "duckdb":
        one = exp.Interval(this=exp.Literal.number(1), unit=exp.var(unit.upper()))
    if isinstance(amount, exp.Literal) and not amount.is_string and target == "postgres":
        step: exp.Expr = exp.Interval(this=exp.Literal.string(amount.this),
                                      unit=exp.var(unit.upper()))
    else:
        step = exp.Mul(this=_atom(amount), expression=one)
    added = exp.Add(this=_atom(base), expression=step)
    if target == "duckdb":  # DATE + INTERVAL is a TIMESTAMP in PostgreSQL; keep it one here
        return exp.Cast(this=added, to=exp.DataType.build("TIMESTAMP"))
    return exp.Paren(this=added)


def _render_date_from_parts(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    year, month, day = node.args["year"], node.args["month"], node.args["day"]
    if target in ("postgres", "duckdb"):  # EXTRACT is numeric in PostgreSQL: make them ints
        parts = [exp.Cast(this=p, to=exp.DataType.build("INT")) if not _is_int(p) else p
                 for p in (year, month, day)]
        return exp.Anonymous(this="MAKE_DATE", expressions=parts)
    if target == "mysql":
        return apply("MAKEDATE(__y__, 1) + INTERVAL (__m__ - 1) MONTH + INTERVAL (__d__ - 1) DAY",
                     "mysql", y=year, m=month, d=day)
    return apply("DATE(PRINTF('%04d-%02d-%02d', __y__, __m__, __d__))", "sqlite",
                 y=year, m=month, d=day)


# The current time is UTC on every target (the gateways' sessions are UTC), as a timestamp
# without time zone, comparable with the sources' timestamp columns.
_NOW: dict[type[exp.Expr], dict[str, str]] = {
    exp.CurrentTimestamp: {
        "postgres": "(NOW() AT TIME ZONE 'UTC')", "mysql": "UTC_TIMESTAMP(6)",
        "sqlite": "DATETIME('now')", "duckdb": "CAST(TIMEZONE('UTC', NOW()) AS TIMESTAMP)",
    },
    exp.CurrentDate: {
        "postgres": "CAST(NOW() AT TIME ZONE 'UTC' AS DATE)", "mysql": "UTC_DATE()",
        "sqlite": "DATE('now')", "duckdb": "CAST(TIMEZONE('UTC', NOW()) AS DATE)",
    },
    exp.CurrentTime: {
        "postgres": "CAST(NOW() AT TIME ZONE 'UTC' AS TIME)", "mysql": "UTC_TIME()",
        "sqlite": "TIME('now')", "duckdb": "CAST(TIMEZONE('UTC', NOW()) AS TIME)",
    },
}


_MYSQL_NOW: dict[type[exp.Expr], str] = {
    exp.CurrentTimestamp: "UTC_TIMESTAMP", exp.CurrentDate: "UTC_DATE", exp.CurrentTime: "UTC_TIME",
}


def _render_now(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    if target == "mysql":  # sqlglot reads UTC_DATE() as CURRENT_DATE AT TIME ZONE 'UTC'
        precision = [exp.Literal.number(6)] if isinstance(node, exp.CurrentTimestamp) else []
        return exp.Anonymous(this=_MYSQL_NOW[type(node)], expressions=precision)
    return apply(_NOW[type(node)][target], target)


def _render_trunc(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    value = node.this
    places = node.args.get("decimals") or exp.Literal.number(0)
    if target == "postgres":
        return exp.Anonymous(this="TRUNC", expressions=[
            exp.Cast(this=value, to=exp.DataType.build("DECIMAL")), places])
    if target == "mysql":
        return exp.Anonymous(this="TRUNCATE", expressions=[value, places])
    scale = exp.Pow(this=exp.Literal.number("10.0"), expression=_atom(places))
    if target == "sqlite":
        return apply("CAST(__v__ * __s__ AS INTEGER) / __s__", "sqlite", v=value, s=scale)
    return apply("TRUNC(__v__ * __s__) / __s__", "duckdb", v=value, s=scale)


def _render_regex(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    insensitive = isinstance(node, exp.RegexpILike)
    value, pattern = node.this, node.expression
    if target == "sqlite":
        raise unavailable(node, target, f"the regular expression operator {written(node)}")
    if target == "postgres":
        return node
    if target == "duckdb":
        args = [value, pattern] + ([exp.Literal.string("i")] if insensitive else [])
        return exp.Anonymous(this="REGEXP_MATCHES", expressions=args)
    flag = exp.Literal.string("(?i)" if insensitive else "(?-i)")
    if _is_string(pattern):
        full: exp.Expr = exp.Literal.string(flag.this + pattern.this)
    else:
        full = exp.Anonymous(this="CONCAT", expressions=[flag, pattern])
    # MariaDB has no REGEXP_LIKE(); REGEXP_INSTR exists there and in MySQL 8
    found = exp.Anonymous(this="REGEXP_INSTR", expressions=[value, full])
    return exp.Paren(this=exp.GT(this=found, expression=exp.Literal.number(0)))


def _render_left_right(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    value, count = node.this, node.expression
    left = isinstance(node, exp.Left)
    negative = isinstance(count, exp.Neg) and isinstance(count.this, exp.Literal)
    if target == "postgres":
        return node
    if negative:  # PostgreSQL: all but the last (first) n characters
        n = count.this
        if left:
            length = exp.Sub(this=exp.Length(this=value.copy()), expression=n)
            return exp.Substring(this=value, start=exp.Literal.number(1), length=length)
        return exp.Substring(this=value, start=exp.Add(this=n, expression=exp.Literal.number(1)))
    if target != "sqlite":
        return node
    if left:
        return exp.Substring(this=value, start=exp.Literal.number(1), length=count)
    return apply("CASE WHEN __n__ > 0 THEN SUBSTR(__v__, -__n__) ELSE '' END", "sqlite",
                 v=value, n=count)


def _render_split_part(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    value, delimiter, index = node.this, node.args.get("delimiter"), node.args.get("part_index")
    if delimiter is None or index is None:
        raise NotSupported(f"{written(node, 'SPLIT_PART')}() takes three arguments")
    if target in ("postgres", "duckdb"):
        return exp.Anonymous(this="SPLIT_PART", expressions=[value, delimiter, index])
    if target == "mysql":
        return apply(
            "CASE WHEN __n__ < 1 THEN NULL WHEN __n__ > (CHAR_LENGTH(__v__) - CHAR_LENGTH("
            "REPLACE(__v__, __d__, ''))) / CHAR_LENGTH(__d__) + 1 THEN '' ELSE SUBSTRING_INDEX("
            "SUBSTRING_INDEX(__v__, __d__, __n__), __d__, -1) END",
            "mysql", v=value, d=delimiter, n=index,
        )
    raise unavailable(node, target, f"{written(node, 'SPLIT_PART')}()")


def _render_substring_index(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    if target == "mysql":
        return node
    raise unavailable(node, target, f"{written(node, 'SUBSTRING_INDEX')}()")


def _render_concat_ws(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    separator, *values = node.expressions
    if target == "sqlite":  # no CONCAT_WS: NULLs are skipped, as there
        joined: exp.Expr = exp.Literal.string("")
        for value in values:
            piece = exp.Coalesce(this=exp.DPipe(this=separator.copy(), expression=value,
                                                safe=True),
                                 expressions=[exp.Literal.string("")])
            joined = exp.DPipe(this=joined, expression=piece, safe=True)
        return exp.Substring(this=exp.Paren(this=joined), start=exp.Add(
            this=exp.Length(this=separator.copy()), expression=exp.Literal.number(1)))
    return exp.Anonymous(this="CONCAT_WS", expressions=[separator, *values])


_COLLATIONS = {"c": "binary", "posix": "binary", "binary": "binary", "utf8mb4_bin": "binary",
               "ucs_basic": "binary"}
_BINARY_COLLATION = {"postgres": '"C"', "mysql": "utf8mb4_bin", "sqlite": "BINARY",
                     "duckdb": None}


def _render_collate(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    name = node.expression.name.lower()
    if _COLLATIONS.get(name) != "binary":
        raise NotSupported(f"COLLATE {node.expression.name!r} is not supported",
                           hint='use COLLATE "C" (byte order)')
    collation = _BINARY_COLLATION[target]
    if collation is None:  # DuckDB compares and sorts text in byte order by default
        value: exp.Expr = node.this
        return value
    identifier = exp.to_identifier(collation.strip('"'), quoted=collation.startswith('"'))
    return exp.Collate(this=node.this, expression=identifier)


_INTEGER_TYPES = (exp.DataType.Type.SMALLINT, exp.DataType.Type.INT, exp.DataType.Type.BIGINT)


def _render_cast(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    to = node.args.get("to")
    if (target == "sqlite" and isinstance(to, exp.DataType)
            and to.this == exp.DataType.Type.DECIMAL and len(to.expressions) == 2):
        # SQLite has no fixed-point type: NUMERIC(p, s) rounds to s places, as PostgreSQL's
        scale = to.expressions[1].this
        return exp.Round(this=exp.Cast(this=node.this, to=exp.DataType.build("DOUBLE")),
                         decimals=scale)
    if target == "sqlite" and isinstance(to, exp.DataType) \
            and to.this == exp.DataType.Type.TIMESTAMPTZ:
        return exp.Anonymous(this="DATETIME", expressions=[node.this])  # UTC text, as stored
    if target == "sqlite" and isinstance(to, exp.DataType) and to.this in _INTEGER_TYPES:
        # SQLite truncates 2.5 to 2; PostgreSQL, MySQL and DuckDB round to 3.
        value = node.this
        if not (isinstance(value, exp.Literal) and not value.is_string and value.is_int):
            return exp.Cast(this=exp.Round(this=value), to=to)
    return node


def _render_like(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    """PostgreSQL and MySQL escape LIKE patterns with a backslash by default; SQLite and
    DuckDB need it said. SQLite's LIKE ignores case, so a literal pattern becomes GLOB."""
    if target not in ("sqlite", "duckdb") or isinstance(node.parent, exp.Escape):
        return node
    pattern = node.expression
    if target == "sqlite" and isinstance(node, exp.Like) and _is_string(pattern):
        glob = exp.Glob(this=node.this, expression=exp.Literal.string(_glob(pattern.this)))
        return exp.Not(this=glob) if node.args.get("negate") else glob
    if _is_string(pattern) and "\\" not in pattern.this:
        return node
    return exp.Escape(this=node, expression=exp.Literal.string("\\"))


def _glob(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            char = pattern[i + 1]
            out.append(f"[{char}]" if char in "*?[" else char)
            i += 2
            continue
        if char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        elif char in "*?[":
            out.append(f"[{char}]")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _render_escape(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    like = node.this
    if (target == "sqlite" and isinstance(like, exp.Like) and _is_string(like.expression)
            and _is_string(node.expression) and len(node.expression.this) == 1):
        escape = node.expression.this
        pattern = like.expression.this.replace("\\", "\\\\").replace(escape + escape, "\x01")
        pattern = pattern.replace(escape, "\\").replace("\x01", escape)
        glob = exp.Glob(this=like.this, expression=exp.Literal.string(_glob(pattern)))
        return exp.Not(this=glob) if like.args.get("negate") else glob
    return node


def _render_extremum(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    """PostgreSQL's GREATEST/LEAST skip NULLs (DuckDB's too); MySQL's are NULL when an argument
    is (SQLite's MAX/MIN too)."""
    values = [node.this, *node.expressions]
    skips = target in ("postgres", "duckdb")
    if bool(node.args.get("ignore_nulls")) == skips:
        return node  # sqlglot renders ignore_nulls as each target needs
    if not node.args.get("ignore_nulls"):
        any_null = exp.or_(*(exp.Is(this=v.copy(), expression=exp.Null()) for v in values))
        plain = node.__class__(this=node.this, expressions=node.expressions, ignore_nulls=True)
        return exp.Case(ifs=[exp.If(this=any_null, true=exp.Null())], default=plain)
    coalesced = [exp.Coalesce(this=v, expressions=[o.copy() for o in values if o is not v])
                 for v in values]
    return node.__class__(this=coalesced[0], expressions=coalesced[1:], ignore_nulls=False)


def _render_concat(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    """SQLite before 3.44 has no CONCAT(): PostgreSQL's skips NULLs, so each piece is
    COALESCEd; MySQL's (NULL when a piece is) sqlglot already writes as ||."""
    if target != "sqlite" or not node.args.get("coalesce"):
        return node
    pieces: list[exp.Expr] = [
        exp.Coalesce(this=p, expressions=[exp.Literal.string("")]) for p in node.expressions
    ]
    return _concat(pieces, "sqlite")


def _render_int_div(node: exp.Expr, target: TargetDialect) -> exp.Expr:
    """MySQL's DIV and PostgreSQL's div() truncate toward zero; DuckDB's // floors."""
    if target != "duckdb":
        return node
    quotient = exp.Div(this=_atom(node.this), expression=_atom(node.expression))
    return exp.Cast(this=exp.Anonymous(this="TRUNC", expressions=[quotient]),
                    to=exp.DataType.build("BIGINT"))


def _render_only_on(*targets: str) -> Callable[[exp.Expr, TargetDialect], exp.Expr]:
    def render(node: exp.Expr, target: TargetDialect) -> exp.Expr:
        if target not in targets:
            raise unavailable(node, target)
        return node

    return render


_RENDERERS: dict[type[exp.Expr], Callable[[exp.Expr, TargetDialect], exp.Expr]] = {
    exp.TimeToStr: _render_time_to_str,
    exp.StrToTime: _render_parse,
    exp.StrToDate: _render_parse,
    exp.DateAdd: _render_date_add,
    exp.DateFromParts: _render_date_from_parts,
    exp.CurrentTimestamp: _render_now,
    exp.CurrentDate: _render_now,
    exp.CurrentTime: _render_now,
    exp.Trunc: _render_trunc,
    exp.RegexpLike: _render_regex,
    exp.RegexpILike: _render_regex,
    exp.Left: _render_left_right,
    exp.Right: _render_left_right,
    exp.SplitPart: _render_split_part,
    exp.SubstringIndex: _render_substring_index,
    exp.ConcatWs: _render_concat_ws,
    exp.Collate: _render_collate,
    exp.Cast: _render_cast,
    exp.Like: _render_like,
    exp.ILike: _render_like,
    exp.Escape: _render_escape,
    exp.Concat: _render_concat,
    exp.IntDiv: _render_int_div,
    exp.Greatest: _render_extremum,
    exp.Least: _render_extremum,
    exp.Pad: _render_only_on("postgres", "mysql", "duckdb"),
    exp.Reverse: _render_only_on("postgres", "mysql", "duckdb"),
    exp.Initcap: _render_only_on("postgres"),
}


# Result types of the canonical nodes, for infer.py (neutral type names; None: the type of the
# first argument). Casts, EXTRACT and the comparison-like operators are typed there already.
RESULT_TYPES: dict[type[exp.Expr], str | None] = {
    exp.TimeToStr: "text", exp.StrToTime: "timestamp", exp.StrToDate: "date",
    exp.DateAdd: "timestamp", exp.DateFromParts: "date", exp.CurrentTime: "time",
    exp.CurrentTimestamp: "timestamptz", exp.CurrentDate: "date",
    exp.StrPosition: "int4", exp.Trunc: "numeric", exp.Left: "text", exp.Right: "text",
    exp.SplitPart: "text", exp.SubstringIndex: "text", exp.ConcatWs: "text",
    exp.Replace: "text", exp.Pad: "text", exp.Reverse: "text", exp.Initcap: "text",
    exp.RegexpLike: "bool", exp.RegexpILike: "bool", exp.Collate: None,
    exp.Pow: "float8", exp.Sqrt: "float8", exp.Ln: "float8", exp.Exp: "float8",
    exp.Sign: None, exp.IntDiv: "int8",
}
