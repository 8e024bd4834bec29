"""The client SQL the engine understands, as sqlglot node types.

Anything outside these sets is refused (NotSupported naming it) rather than passed on: a
function the engine does not know could read files or sleep on the data source.
"""

from __future__ import annotations

from sqlglot import exp

from .functions import written_name

# Scalar expression nodes allowed anywhere an expression may appear.
SCALAR_NODES: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Null, exp.Paren, exp.Neg,
        exp.Not, exp.And, exp.Or, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
        exp.NullSafeEQ, exp.NullSafeNEQ, exp.In, exp.Between, exp.Like, exp.ILike, exp.Is,
        exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe, exp.Case, exp.If,
        exp.Cast, exp.TryCast, exp.DataType, exp.Coalesce, exp.Nullif, exp.Lower, exp.Upper,
        exp.Length, exp.Concat, exp.Substring, exp.Trim, exp.Abs, exp.Round, exp.Floor,
        exp.Ceil, exp.Greatest, exp.Least, exp.Placeholder, exp.Tuple,
        exp.TimestampTrunc, exp.DateTrunc, exp.Extract, exp.CurrentDate, exp.CurrentTimestamp,
        exp.Tuple, exp.Alias, exp.Star, exp.Distinct, exp.Ordered, exp.DataTypeParam, exp.Escape,
        # the canonical nodes of functions.py (client spellings are normalised to these)
        exp.TimeToStr, exp.StrToTime, exp.StrToDate, exp.DateAdd, exp.DateFromParts,
        exp.CurrentTime, exp.Trunc, exp.StrPosition, exp.Left, exp.Right, exp.SplitPart,
        exp.SubstringIndex, exp.ConcatWs, exp.RegexpLike, exp.RegexpILike, exp.Collate,
        exp.Replace, exp.Pad, exp.Reverse, exp.Initcap, exp.Pow, exp.Sqrt, exp.Sign, exp.Ln,
        exp.Exp, exp.IntDiv,
        exp.Var,  # a unit keyword: validate.py admits it only in the unit slots
    }
)

AGGREGATE_NODES: frozenset[type[exp.Expr]] = frozenset(
    {exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max,
     exp.Stddev, exp.StddevPop, exp.StddevSamp, exp.Variance, exp.VariancePop}
)

# Types a client may CAST to; the generator renders each per dialect.
CAST_TYPES: frozenset[object] = frozenset(
    {
        exp.DataType.Type.BOOLEAN, exp.DataType.Type.SMALLINT, exp.DataType.Type.INT,
        exp.DataType.Type.BIGINT, exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE,
        exp.DataType.Type.DECIMAL, exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR,
        exp.DataType.Type.CHAR, exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP,
        exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIME,
    }
)

GRANULARITIES: tuple[str, ...] = (
    "second", "minute", "hour", "day", "week", "month", "quarter", "year"
)
EXTRACT_UNITS: tuple[str, ...] = (
    "second", "minute", "hour", "day", "week", "month", "quarter", "year", "dow", "doy",
    "isodow", "isoyear", "epoch",
)


def describe(node: exp.Expr) -> str:
    """A short name for a refused construct, for error messages."""
    written = written_name(node)
    if written:  # the client's spelling (functions.WRITTEN), not sqlglot's class name
        return f"function {written}()" if written[:1].isalpha() else f"operator {written}"
    if isinstance(node, exp.Anonymous):
        return f"function {node.name.upper()}()"
    if isinstance(node, exp.Func):
        return f"function {node.sql_name()}()"
    return node.key.upper().replace("_", " ")
EXTRACT_SYNONYMS = {"dayofweek": "dow", "dayofyear": "doy", "weekday": "dow"}
