"""Leaf nodes that stand for resolved model members inside sqlglot expression trees.

After resolution a client expression keeps its shape (arithmetic, CASE, comparisons, ...) but
every column it names is replaced by one of these; the renderer later swaps them for data-source
SQL. They are ordinary ``exp.Anonymous`` calls with reserved names (not subclasses: sqlglot's
compiled build, ``sqlglot[c]``, does not allow Python subclasses of its nodes), so structural
equality, copying and transforms work unchanged. Should one ever reach rendered SQL, the data
source rejects the unknown function: it cannot pass silently.
"""

from __future__ import annotations

from sqlglot import exp

_DIMENSION = "__METRICSQL_DIMENSION__"
_SEGMENT = "__METRICSQL_SEGMENT__"
_MEASURE = "__METRICSQL_MEASURE__"
_INPUT = "__METRICSQL_INPUT__"


def _ref(kind: str, cube: str, member: str) -> exp.Anonymous:
    return exp.Anonymous(
        this=kind, expressions=[exp.Literal.string(cube), exp.Literal.string(member)]
    )


def dim_ref(cube: str, member: str, *, segment: bool = False) -> exp.Anonymous:
    """A dimension, or a segment (a boolean dimension), of a cube in the query."""
    return _ref(_SEGMENT if segment else _DIMENSION, cube, member)


def measure_ref(cube: str, member: str) -> exp.Anonymous:
    """An aggregated measure (never of type ``number``: those are expanded to formulas)."""
    return _ref(_MEASURE, cube, member)


def input_ref(cube: str, member: str) -> exp.Anonymous:
    """A measure's row-level input: what the measure aggregates, one value per row (the summed
    expression of a sum, 1 for a plain count, the counted expression of a count_distinct)."""
    return _ref(_INPUT, cube, member)


def is_input(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.this == _INPUT


def is_row(node: exp.Expr) -> bool:
    """A row-level reference: a dimension, segment or measure input."""
    return isinstance(node, exp.Anonymous) and node.this in (_DIMENSION, _SEGMENT, _INPUT)


def is_dim(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.this in (_DIMENSION, _SEGMENT)


def is_segment(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.this == _SEGMENT


def is_measure(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.this == _MEASURE


def is_ref(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.this in (
        _DIMENSION, _SEGMENT, _MEASURE, _INPUT
    )


def ref_key(node: exp.Expr) -> tuple[str, str]:
    """(cube, member) of a reference node."""
    assert isinstance(node, exp.Anonymous) and is_ref(node)
    cube, member = node.expressions
    return cube.name, member.name


def _all(expression: exp.Expr, predicate: object) -> list[exp.Expr]:
    assert callable(predicate)
    return [node for node in expression.walk() if predicate(node)]


def has_measure(expression: exp.Expr) -> bool:
    return any(is_measure(node) for node in expression.walk())


def has_dim(expression: exp.Expr) -> bool:
    return any(is_dim(node) for node in expression.walk())


def has_row(expression: exp.Expr) -> bool:
    return any(is_row(node) for node in expression.walk())


def dim_refs(expression: exp.Expr) -> list[exp.Expr]:
    return _all(expression, is_dim)


def measure_refs(expression: exp.Expr) -> list[exp.Expr]:
    return _all(expression, is_measure)


def all_refs(expression: exp.Expr) -> list[exp.Expr]:
    return _all(expression, is_ref)


def row_refs(expression: exp.Expr) -> list[exp.Expr]:
    return _all(expression, is_row)
