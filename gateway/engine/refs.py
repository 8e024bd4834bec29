"""Leaf nodes that stand for resolved model members inside sqlglot expression trees.

After resolution a client expression keeps its shape (arithmetic, CASE, comparisons, ...) but
every column it names is replaced by one of these; the renderer later swaps them for data-source
SQL. They are never rendered directly: doing so is an engine bug and fails loudly.
"""

from __future__ import annotations

from sqlglot import exp


class DimRef(exp.Expression):
    """A dimension or segment (a boolean dimension) of a cube in the query."""

    arg_types = {"this": True, "member": True, "segment": False}

    @property
    def cube(self) -> str:
        return str(self.args["this"])

    @property
    def member(self) -> str:
        return str(self.args["member"])

    @property
    def is_segment(self) -> bool:
        return bool(self.args.get("segment"))


class MeasureRef(exp.Expression):
    """An aggregated measure (never of type ``number``: those are expanded to formulas)."""

    arg_types = {"this": True, "member": True}

    @property
    def cube(self) -> str:
        return str(self.args["this"])

    @property
    def member(self) -> str:
        return str(self.args["member"])


def dim_ref(cube: str, member: str, *, segment: bool = False) -> DimRef:
    return DimRef(this=cube, member=member, segment=segment)


def measure_ref(cube: str, member: str) -> MeasureRef:
    return MeasureRef(this=cube, member=member)


def has_measure(expression: exp.Expression) -> bool:
    return isinstance(expression, MeasureRef) or expression.find(MeasureRef) is not None


def dim_refs(expression: exp.Expression) -> list[DimRef]:
    if isinstance(expression, DimRef):
        return [expression]
    return list(expression.find_all(DimRef))


def measure_refs(expression: exp.Expression) -> list[MeasureRef]:
    if isinstance(expression, MeasureRef):
        return [expression]
    return list(expression.find_all(MeasureRef))
