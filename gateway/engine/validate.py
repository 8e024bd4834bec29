"""The one gate between client SQL and the rest of the engine: an allowlist of node types and
of the argument slots each may fill, checked on every node of the parsed statement.

Later stages rebuild the data-source tree from what they recognise, but they copy pieces of the
client's tree (literals, casts, operators, LIMIT values); whatever they copy has passed here.
A node type that is not listed, or a listed type with an argument in a slot that is not listed
(``Star.replace``, ``DataType`` parameters, ``In.query``, ``Limit.expression`` holding a
subquery), is refused with 0A000 naming it — never passed on. Adding a construct to the engine
means adding it here first, with the slots it may use.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from backend.core.errors import NotSupported

from .functions import ANONYMOUS_ARITY, written_name
from .limits import InputLimits, check_in_list, too_deep

# A slot holds expressions (walked in turn) or plain values: flags, names and type names.
_BINARY = frozenset({"this", "expression"})

# node type -> the slots a client may fill. Empty: the node takes no argument at all.
SLOTS: dict[type[exp.Expr], frozenset[str]] = {
    # statements and clauses
    exp.Select: frozenset({"with_", "expressions", "distinct", "from_", "joins", "where",
                           "group", "having", "order", "limit", "offset"}),
    exp.Union: frozenset({"with_", "this", "expression", "distinct", "order", "limit",
                          "offset"}),
    exp.Intersect: frozenset({"with_", "this", "expression", "distinct", "order", "limit",
                              "offset"}),
    exp.Except: frozenset({"with_", "this", "expression", "distinct", "order", "limit",
                           "offset"}),
    exp.Subquery: frozenset({"this", "alias"}),
    exp.With: frozenset({"expressions"}),
    exp.CTE: frozenset({"this", "alias"}),
    exp.From: frozenset({"this"}),
    exp.Join: frozenset({"this", "on", "side", "kind"}),
    exp.Table: frozenset({"this", "db", "catalog", "alias"}),
    exp.TableAlias: frozenset({"this"}),
    exp.Where: frozenset({"this"}),
    exp.Having: frozenset({"this"}),
    exp.Group: frozenset({"expressions"}),
    exp.Order: frozenset({"expressions"}),
    exp.Ordered: frozenset({"this", "desc", "nulls_first"}),
    exp.Distinct: frozenset({"expressions"}),  # COUNT(DISTINCT x)
    exp.Limit: frozenset({"expression"}),
    exp.Offset: frozenset({"expression"}),
    exp.Fetch: frozenset({"direction", "count", "limit_options"}),
    exp.LimitOptions: frozenset({"rows", "percent", "with_ties"}),
    # names and values
    exp.Alias: frozenset({"this", "alias"}),
    exp.Column: frozenset({"this", "table", "db", "catalog"}),
    exp.Identifier: frozenset({"this", "quoted"}),
    exp.Star: frozenset(),
    exp.Literal: frozenset({"this", "is_string"}),
    exp.Boolean: frozenset({"this"}),
    exp.Null: frozenset(),
    exp.Placeholder: frozenset({"this"}),
    exp.Var: frozenset({"this"}),
    # operators
    exp.Paren: frozenset({"this"}),
    exp.Neg: frozenset({"this"}),
    exp.Not: frozenset({"this"}),
    exp.And: _BINARY,
    exp.Or: _BINARY,
    exp.EQ: _BINARY,
    exp.NEQ: _BINARY,
    exp.GT: _BINARY,
    exp.GTE: _BINARY,
    exp.LT: _BINARY,
    exp.LTE: _BINARY,
    exp.NullSafeEQ: _BINARY,
    exp.NullSafeNEQ: _BINARY,
    exp.Add: _BINARY,
    exp.Sub: _BINARY,
    exp.Mul: _BINARY,
    exp.Div: frozenset({"this", "expression", "typed", "safe"}),
    exp.Mod: _BINARY,
    exp.DPipe: frozenset({"this", "expression", "safe"}),
    exp.Like: frozenset({"this", "expression", "negate"}),
    exp.ILike: frozenset({"this", "expression", "negate"}),
    exp.Escape: _BINARY,
    exp.Is: frozenset({"this", "expression", "negate"}),
    exp.In: frozenset({"this", "expressions"}),
    exp.Between: frozenset({"this", "low", "high"}),
    exp.Tuple: frozenset({"expressions"}),
    # conditionals and casts
    exp.Case: frozenset({"this", "ifs", "default"}),
    exp.If: frozenset({"this", "true", "false"}),
    exp.Cast: frozenset({"this", "to"}),
    exp.TryCast: frozenset({"this", "to", "safe"}),
    exp.DataType: frozenset({"this", "expressions", "nested"}),
    exp.DataTypeParam: frozenset({"this"}),
    # scalar functions
    exp.Coalesce: frozenset({"this", "expressions", "is_nvl", "is_null"}),
    exp.Nullif: _BINARY,
    exp.Lower: frozenset({"this"}),
    exp.Upper: frozenset({"this"}),
    exp.Length: frozenset({"this", "binary"}),
    exp.Concat: frozenset({"expressions", "safe", "coalesce"}),
    exp.Substring: frozenset({"this", "start", "length"}),
    exp.Trim: frozenset({"this", "expression", "position"}),
    exp.Abs: frozenset({"this"}),
    exp.Round: frozenset({"this", "decimals"}),
    exp.Floor: frozenset({"this", "decimals"}),
    exp.Ceil: frozenset({"this", "decimals"}),
    exp.Greatest: frozenset({"this", "expressions", "ignore_nulls"}),
    exp.Least: frozenset({"this", "expressions", "ignore_nulls"}),
    exp.TimestampTrunc: frozenset({"this", "unit"}),
    exp.DateTrunc: frozenset({"this", "unit"}),
    exp.Extract: _BINARY,
    exp.CurrentDate: frozenset({"zone"}),  # MySQL's UTC_DATE() (functions.py checks UTC)
    exp.CurrentTimestamp: frozenset(),
    # date and time functions (gateway/engine/functions.py normalises them)
    exp.CurrentTime: frozenset(),
    exp.Localtimestamp: frozenset(),
    exp.UtcTimestamp: frozenset(),
    exp.TimeToStr: frozenset({"this", "format"}),
    exp.StrToTime: frozenset({"this", "format"}),
    exp.StrToDate: frozenset({"this", "format"}),
    exp.TsOrDsToDate: frozenset({"this"}),
    exp.TsOrDsToTimestamp: frozenset({"this"}),
    exp.Timestamp: frozenset({"this"}),
    exp.UnixToTime: frozenset({"this"}),
    exp.Year: frozenset({"this"}),
    exp.Quarter: frozenset({"this"}),
    exp.Month: frozenset({"this"}),
    exp.Day: frozenset({"this"}),
    exp.DayOfMonth: frozenset({"this"}),
    exp.DayOfWeek: frozenset({"this"}),
    exp.DayOfYear: frozenset({"this"}),
    exp.Hour: frozenset({"this"}),
    exp.Minute: frozenset({"this"}),
    exp.Second: frozenset({"this"}),
    exp.Week: frozenset({"this", "mode"}),
    exp.Dayname: frozenset({"this"}),
    exp.DateAdd: frozenset({"this", "expression", "unit"}),
    exp.DateSub: frozenset({"this", "expression", "unit"}),
    exp.TimestampAdd: frozenset({"this", "expression", "unit"}),
    exp.Interval: frozenset({"this", "unit"}),
    exp.Date: frozenset({"this"}),
    exp.Localtime: frozenset(),
    # string and number functions, operators
    exp.Replace: frozenset({"this", "expression", "replacement"}),
    exp.Pad: frozenset({"this", "expression", "fill_pattern", "is_left"}),
    exp.Reverse: frozenset({"this"}),
    exp.Initcap: frozenset({"this", "expression"}),
    exp.Pow: _BINARY,
    exp.IntDiv: _BINARY,
    exp.Sqrt: frozenset({"this"}),
    exp.Sign: frozenset({"this"}),
    exp.Ln: frozenset({"this"}),
    exp.Exp: frozenset({"this"}),
    exp.Trunc: frozenset({"this", "decimals"}),
    exp.StrPosition: frozenset({"this", "substr"}),
    exp.Left: _BINARY,
    exp.Right: _BINARY,
    exp.SplitPart: frozenset({"this", "delimiter", "part_index"}),
    exp.SubstringIndex: frozenset({"this", "delimiter", "count"}),
    exp.ConcatWs: frozenset({"expressions", "safe", "coalesce"}),
    exp.RegexpLike: _BINARY,
    exp.RegexpILike: _BINARY,
    exp.Collate: _BINARY,
    # aggregates
    exp.Count: frozenset({"this", "big_int"}),
    exp.Sum: frozenset({"this"}),
    exp.Avg: frozenset({"this"}),
    exp.Min: frozenset({"this"}),
    exp.Max: frozenset({"this"}),
    exp.Stddev: frozenset({"this"}),
    exp.StddevPop: frozenset({"this"}),
    exp.StddevSamp: frozenset({"this"}),
    exp.Variance: frozenset({"this"}),
    exp.VariancePop: frozenset({"this"}),
    exp.Filter: _BINARY,  # aggregate FILTER (WHERE ...)
    # GROUP BY ROLLUP/CUBE/GROUPING SETS and GROUPING() (gateway/engine/grouping_sets.py)
    exp.Rollup: frozenset({"expressions"}),
    exp.Cube: frozenset({"expressions"}),
    exp.GroupingSets: frozenset({"expressions"}),
    exp.Grouping: frozenset({"expressions"}),
    # window functions (gateway/engine/windows.py); frames are rebuilt from constant bounds
    exp.Window: frozenset({"this", "partition_by", "order", "spec", "over"}),
    exp.WindowSpec: frozenset({"kind", "start", "start_side", "end", "end_side"}),
    exp.RowNumber: frozenset(),
    exp.Rank: frozenset(),
    exp.DenseRank: frozenset(),
    exp.PercentRank: frozenset(),
    exp.CumeDist: frozenset(),
    exp.Ntile: frozenset({"this"}),
    exp.Lag: frozenset({"this", "offset", "default"}),
    exp.Lead: frozenset({"this", "offset", "default"}),
    exp.FirstValue: frozenset({"this"}),
    exp.LastValue: frozenset({"this"}),
    exp.NthValue: frozenset({"this", "offset"}),
    # MEASURE(m): the only function call by name (checked below)
    exp.Anonymous: frozenset({"this", "expressions"}),
}

# Functions a client may call by a name sqlglot does not know (normalised in functions.py).
NAMED_FUNCTIONS = frozenset({"MEASURE", *ANONYMOUS_ARITY})
_INTEGER_TYPES = frozenset({
    exp.DataType.Type.SMALLINT, exp.DataType.Type.INT, exp.DataType.Type.BIGINT,
})
# Slots whose value is a unit keyword (a Var), not an expression.
_UNIT_SLOTS: dict[type[exp.Expr], str] = {
    exp.TimestampTrunc: "unit", exp.DateTrunc: "unit", exp.Extract: "this",
    exp.DateAdd: "unit", exp.DateSub: "unit", exp.TimestampAdd: "unit", exp.Interval: "unit",
    exp.Collate: "expression",
}


def validate_statement(statement: exp.Expr, dialect: str, limits: InputLimits) -> None:
    """Refuse (NotSupported, 0A000) the first node or slot the allowlist does not know;
    ``dialect`` is the client's, to name what it wrote. Past an input bound of ``limits``,
    StatementTooComplex (54001)."""
    stack: list[tuple[exp.Expr, exp.Expr | None, str, int]] = [(statement, None, "", 0)]
    while stack:
        node, parent, slot, depth = stack.pop()
        if depth > limits.max_nesting_depth:
            raise too_deep(limits.max_nesting_depth)
        kind = type(node)
        allowed = SLOTS.get(kind)
        if allowed is None:
            raise NotSupported(f"{_describe(node, dialect)} is not supported")
        if kind is exp.Var and not (parent is not None and _UNIT_SLOTS.get(type(parent)) == slot):
            raise NotSupported(f"the keyword {node.name!r} is not supported here")
        check = _CHECKS.get(kind)
        if check is not None:
            check(node)
        if kind is exp.In:
            check_in_list(len(node.expressions), limits)
        for key, value in node.args.items():
            if value is None or value is False or (isinstance(value, list) and not value):
                continue
            if key not in allowed:
                raise _refused_slot(node, key, dialect)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, exp.Expr):
                    stack.append((item, node, key, depth + 1))
                elif not isinstance(item, bool | str | int | exp.DataType.Type):
                    raise _refused_slot(node, key, dialect)


# --- slot contents ---------------------------------------------------------------------------


def _check_row_count(node: exp.Expr) -> None:
    """LIMIT, OFFSET and FETCH take a non-negative integer literal or a parameter, optionally
    cast to an integer type (SQLAlchemy with psycopg 3 sends ``LIMIT $1::INTEGER``)."""
    clause = {"limit": "LIMIT", "offset": "OFFSET", "fetch": "FETCH"}[node.key]
    value = node.args.get("count") if isinstance(node, exp.Fetch) else node.args.get("expression")
    if value is None:
        if isinstance(node, exp.Fetch):
            return  # FETCH FIRST ROW ONLY: one row
        raise NotSupported(f"{clause} needs a row count")
    if not is_row_count(value):
        raise NotSupported(
            f"{clause} must be a non-negative integer or a parameter",
            hint=f"write {clause} 10 or {clause} $1",
        )


def is_row_count(value: exp.Expr) -> bool:
    if isinstance(value, exp.Cast) and isinstance(value.to, exp.DataType):
        if value.to.this not in _INTEGER_TYPES or value.to.expressions:
            return False
        value = value.this
    if isinstance(value, exp.Placeholder):
        return True
    if isinstance(value, exp.Null):
        return True  # LIMIT NULL / LIMIT ALL: no limit
    return isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit()


def _check_type_parameter(node: exp.Expr) -> None:
    value = node.this
    if not (isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit()):
        raise NotSupported(
            "a type argument must be an integer literal",
            hint="write VARCHAR(10) or DECIMAL(10, 2)",
        )


def _check_data_type(node: exp.Expr) -> None:
    if node.args.get("nested"):
        raise NotSupported(f"the type {node.sql()} is not supported")
    for param in node.expressions:
        if not isinstance(param, exp.DataTypeParam):
            raise NotSupported(
                "a type argument must be an integer literal",
                hint="write VARCHAR(10) or DECIMAL(10, 2)",
            )


def _check_anonymous(node: exp.Expr) -> None:
    if node.name.upper() not in NAMED_FUNCTIONS:
        raise NotSupported(f"function {node.name}() is not supported")


def _check_escape(node: exp.Expr) -> None:
    if not isinstance(node.this, exp.Like | exp.ILike):
        raise NotSupported("ESCAPE belongs to LIKE")
    if not (isinstance(node.expression, exp.Literal) and node.expression.is_string):
        raise NotSupported("ESCAPE takes a string literal")


def _check_fetch_options(node: exp.Expr) -> None:
    if node.args.get("percent") or node.args.get("with_ties"):
        raise NotSupported("FETCH ... PERCENT / WITH TIES is not supported")


def _check_with(node: exp.Expr) -> None:
    if node.args.get("recursive"):
        raise NotSupported("WITH RECURSIVE is not supported")


_CHECKS: dict[type[exp.Expr], Callable[[exp.Expr], None]] = {
    exp.Limit: _check_row_count,
    exp.Offset: _check_row_count,
    exp.Fetch: _check_row_count,
    exp.LimitOptions: _check_fetch_options,
    exp.DataType: _check_data_type,
    exp.DataTypeParam: _check_type_parameter,
    exp.Anonymous: _check_anonymous,
    exp.Escape: _check_escape,
    exp.With: _check_with,
}


def _describe(node: exp.Expr, dialect: str = "postgres") -> str:
    """What the client wrote, as it would name it (not sqlglot's internal class name)."""
    name = written_name(node)
    if name:
        return f"function {name}()"
    if isinstance(node, exp.Anonymous):
        return f"function {node.name}()"
    if isinstance(node, exp.Func):
        try:
            written = node.sql(dialect=dialect)
        except Exception:  # a node this dialect cannot render: fall back to sqlglot's name
            written = node.sql_name()
        name = written.split("(", 1)[0].strip() or node.sql_name()
        return f"function {name}()" if len(name) <= 64 else f"function {node.sql_name()}()"
    return node.key.upper().replace("_", " ")


# How a refused slot reads to the client, where "<SLOT> on <NODE>" would not say it.
_SLOT_WORDS: dict[tuple[type[exp.Expr], str], tuple[str, str | None]] = {
    (exp.In, "query"): ("a subquery in IN (...)", "list the values"),
    (exp.Join, "using"): ("JOIN ... USING", "use JOIN ... ON"),
    (exp.Distinct, "on"): ("DISTINCT ON", None),
    (exp.Group, "rollup"): ("GROUP BY ROLLUP", None),
    (exp.Group, "cube"): ("GROUP BY CUBE", None),
    (exp.Group, "grouping_sets"): ("GROUP BY GROUPING SETS", None),
    (exp.With, "recursive"): ("WITH RECURSIVE", None),
    (exp.Star, "except_"): ("* EXCEPT (...)", "name the columns"),
    (exp.Star, "replace"): ("* REPLACE (...)", "name the columns"),
    (exp.Star, "rename"): ("* RENAME (...)", "name the columns"),
    (exp.Star, "ilike"): ("* ILIKE ...", "name the columns"),
    (exp.DataType, "nested"): ("a nested type", None),
}


def _refused_slot(node: exp.Expr, key: str, dialect: str) -> NotSupported:
    words, hint = _SLOT_WORDS.get((type(node), key), (None, None))
    if words is None:
        slot = key.rstrip("_").upper().replace("_", " ")
        clause = isinstance(node, exp.Select | exp.SetOperation | exp.Subquery)
        words = slot if clause else f"{slot} on {_describe(node, dialect)}"
    return NotSupported(f"{words} is not supported", hint=hint)
