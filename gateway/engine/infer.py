"""Neutral result types of resolved expressions (what RowDescription needs).

The model only knows string/number/time/boolean, so number dimensions and sum/avg measures
are ``numeric`` and counts ``int8``, unless the gateway described the data source: then a
dimension has its column's own type (int4, date; ``dimension_type``). The gateways convert
values to the declared type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlglot import exp

from backend.semantic.model import Cube, Measure

from .refs import is_dim, is_input, is_measure, is_ref, is_segment, ref_key
from .types import NeutralType

if TYPE_CHECKING:
    from backend.semantic.model import Dimension

_DIMENSION_TYPES = {"string": "text", "number": "numeric", "time": "timestamp", "boolean": "bool"}
_MEASURE_TYPES = {
    "count": "int8", "count_distinct": "int8", "count_distinct_approx": "int8",
    "sum": "numeric", "avg": "numeric", "min": "numeric", "max": "numeric", "number": "numeric",
}
_CAST_TYPES = {
    exp.DataType.Type.BOOLEAN: "bool", exp.DataType.Type.SMALLINT: "int2",
    exp.DataType.Type.INT: "int4", exp.DataType.Type.BIGINT: "int8",
    exp.DataType.Type.FLOAT: "float4", exp.DataType.Type.DOUBLE: "float8",
    exp.DataType.Type.DECIMAL: "numeric", exp.DataType.Type.TEXT: "text",
    exp.DataType.Type.VARCHAR: "text", exp.DataType.Type.CHAR: "text",
    exp.DataType.Type.DATE: "date", exp.DataType.Type.TIMESTAMP: "timestamp",
    exp.DataType.Type.DATETIME: "timestamp", exp.DataType.Type.TIMESTAMPTZ: "timestamptz",
}
_BOOLEAN_NODES = (
    exp.Predicate, exp.Not, exp.And, exp.Or, exp.Boolean, exp.In, exp.Between, exp.Like,
    exp.ILike, exp.Is,
)
_TEXT_NODES = (exp.Lower, exp.Upper, exp.Concat, exp.Substring, exp.Trim, exp.DPipe)
_INTEGER_NODES = (exp.Length, exp.Count)
_SAME_AS_INPUT = (exp.Abs, exp.Neg, exp.Min, exp.Max, exp.Paren, exp.Floor, exp.Ceil, exp.Round)
_INTEGERS = ("int2", "int4", "int8")
# Source types a model type may take on (``number`` over an integer column is int4).
_SOURCE_FITS = {
    "number": ("int2", "int4", "int8", "numeric", "float4", "float8"),
    "time": ("date", "timestamp", "timestamptz"),
}

ColumnTypes = Callable[[exp.Column], NeutralType]


def infer_type(
    node: exp.Expr, ctx: object | None = None, columns: ColumnTypes | None = None
) -> NeutralType:
    if is_ref(node):
        return _member_type(node, ctx)
    if isinstance(node, exp.Column):
        return columns(node) if columns is not None else "text"
    if isinstance(node, exp.Alias):
        return infer_type(node.this, ctx, columns)
    if isinstance(node, exp.Window | exp.Filter):
        return infer_type(node.this, ctx, columns)
    if isinstance(node, exp.RowNumber | exp.Rank | exp.DenseRank | exp.Ntile):
        return "int8"
    if isinstance(node, exp.PercentRank | exp.CumeDist):
        return "float8"
    if isinstance(node, exp.Lag | exp.Lead | exp.FirstValue | exp.LastValue | exp.NthValue):
        return infer_type(node.this, ctx, columns)
    if isinstance(node, exp.Cast | exp.TryCast):
        to = node.args.get("to")
        return _CAST_TYPES.get(to.this, "text") if isinstance(to, exp.DataType) else "text"
    if isinstance(node, _BOOLEAN_NODES):
        return "bool"
    if isinstance(node, exp.Literal):
        if node.is_string:
            return "text"
        return _number_literal_type(node.this)
    if isinstance(node, exp.TimestampTrunc):
        return "timestamp"
    if isinstance(node, exp.Extract):
        return "numeric"
    if isinstance(node, exp.CurrentDate):
        return "date"
    if isinstance(node, exp.CurrentTimestamp):
        return "timestamptz"
    if isinstance(node, _TEXT_NODES):
        return "text"
    if isinstance(node, _INTEGER_NODES):
        return "int8"
    if isinstance(node, exp.Sum | exp.Avg):
        return "numeric"
    if isinstance(node, _SAME_AS_INPUT):
        inner = infer_type(node.this, ctx, columns)
        if isinstance(node, exp.Round) and inner in _INTEGERS:
            return "numeric"
        return inner
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Mod):
        left = infer_type(node.this, ctx, columns)
        right = infer_type(node.expression, ctx, columns)
        if left in _INTEGERS and right in _INTEGERS:
            # PostgreSQL: the wider operand's type (int4 + int4 is int4, int4 * int8 int8)
            return max(left, right, key=_INTEGERS.index)
        if "float8" in (left, right) or "float4" in (left, right):
            return "float4" if left == right == "float4" else "float8"
        return "numeric"
    if isinstance(node, exp.Div):
        return "numeric"
    if isinstance(node, exp.Case | exp.If | exp.Coalesce | exp.Nullif | exp.Greatest | exp.Least):
        for branch in _branches(node):
            branch_type = infer_type(branch, ctx, columns)
            if not isinstance(branch, exp.Null | exp.Placeholder):
                return branch_type
        return "text"
    return "text"


def _number_literal_type(text: str) -> NeutralType:
    # As PostgreSQL types a numeric constant: int4 if it fits, else int8, else numeric.
    if not text.lstrip("-").isdigit():
        return "numeric"
    value = int(text)
    if -(2**31) <= value < 2**31:
        return "int4"
    return "int8" if -(2**63) <= value < 2**63 else "numeric"


def dimension_type(models: object | None, cube: str, dimension: Dimension) -> NeutralType:
    """A dimension's result type: the data source's own type of its values when the gateway
    described the source (``ModelSet.source_types``) and it fits the model's type, else the
    model type's default (``number`` is numeric, ``time`` timestamp)."""
    default = _DIMENSION_TYPES.get(dimension.type, "text")
    described = getattr(models, "source_types", None)
    if not described:
        return default
    found = described.get((cube, dimension.name))
    return found if found in _SOURCE_FITS.get(dimension.type, ()) else default


def _branches(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Case):
        return [i.args["true"] for i in node.args.get("ifs") or []] + (
            [node.args["default"]] if node.args.get("default") is not None else []
        )
    if isinstance(node, exp.If):
        return [v for v in (node.args.get("true"), node.args.get("false")) if v is not None]
    if isinstance(node, exp.Nullif):
        return [node.this]
    return [node.this, *node.expressions]


def _member_type(node: exp.Expr, ctx: object | None) -> NeutralType:
    models = getattr(ctx, "models", None)
    cube_name, member = ref_key(node)
    cube = models.get(cube_name) if models is not None else None
    if cube is None:
        return "text"
    if is_dim(node):
        if is_segment(node):
            return "bool"
        dimension = cube.dimension(member)
        return dimension_type(models, cube_name, dimension) if dimension else "text"
    aggregates = getattr(ctx, "aggregates", {})
    if (cube_name, member) in aggregates:  # an aggregate the client wrote over columns
        output_type: NeutralType = aggregates[cube_name, member].output_type
        return output_type
    measure = cube.measure(member)
    if is_input(node):
        return input_type(cube, measure, models)
    assert is_measure(node)
    return _MEASURE_TYPES.get(measure.type, "numeric") if measure else "numeric"


def input_type(
    cube: Cube, measure: Measure | None, models: object | None = None
) -> NeutralType:
    """A measure's row-level input: 1 for a count (int8, the count's own type); else the type
    of the dimension with the same SQL if there is one (``count_distinct`` of
    ``customer_id``), numeric for other inputs, text for other distinct counts."""
    if measure is None:
        return "numeric"
    if measure.type == "count":
        return "int8"
    same = next((d for d in cube.dimensions if d.sql == measure.sql), None)
    if same is not None:
        return dimension_type(models, cube.name, same)
    return "text" if measure.type.startswith("count_distinct") else "numeric"


_COMPARISONS = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
)
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)


def parameter_types(
    expressions: list[exp.Expr], ctx: object | None = None,
    columns: ColumnTypes | None = None,
) -> dict[int, NeutralType]:
    """Client parameter index -> the type its context implies (``$1`` compared with a time
    dimension is a timestamp); parameters without such context are left out."""
    types: dict[int, NeutralType] = {}
    for expression in expressions:
        placeholders = [expression] if isinstance(expression, exp.Placeholder) else list(
            expression.find_all(exp.Placeholder)
        )
        for placeholder in placeholders:
            implied = _implied_type(placeholder, ctx, columns)
            if implied is not None:
                types.setdefault(int(placeholder.name), implied)
    return types


def _implied_type(
    placeholder: exp.Placeholder, ctx: object | None, columns: ColumnTypes | None
) -> NeutralType | None:
    parent = placeholder.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if isinstance(parent, exp.Cast | exp.TryCast):
        return infer_type(parent, ctx, columns)
    if isinstance(parent, _COMPARISONS):
        other = parent.expression if parent.this is placeholder else parent.this
        return None if isinstance(other, exp.Placeholder) else infer_type(other, ctx, columns)
    if isinstance(parent, exp.In | exp.Between) and parent.this is not placeholder:
        return infer_type(parent.this, ctx, columns)
    if isinstance(parent, exp.Like | exp.ILike):
        return "text"
    if isinstance(parent, _ARITHMETIC):
        # unknown + int4 is int4 in PostgreSQL: the other operand's type.
        other = parent.expression if parent.this is placeholder else parent.this
        return None if isinstance(other, exp.Placeholder) else infer_type(other, ctx, columns)
    return None
