"""The resolved form of one SELECT over cubes: what the planner and renderer work from.

Expressions keep the client's shape with dimension and measure reference leaves
(:mod:`gateway.engine.refs`); ``number`` measures are already expanded to
formulas over other measures, DATE_TRUNC is normalised to ``exp.TimestampTrunc`` with a
lower-case unit and client parameters are ``exp.Placeholder`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlglot import exp

from .joins import JoinTree
from .types import NeutralType

AggregateType = Literal[
    "count", "sum", "avg", "min", "max", "count_distinct",
    "stddev_pop", "stddev_samp", "var_pop", "var_samp",
]


@dataclass(frozen=True)
class Aggregate:
    """An aggregate the client wrote over row-level columns (``AVG(amount)``, ``COUNT(DISTINCT
    city)``, ``SUM(CASE ...)``, ``... FILTER (WHERE ...)``): an ad-hoc measure of ``cube``,
    planned like a model measure so that joins cannot multiply it."""

    cube: str  # the cube whose rows it aggregates
    type: AggregateType
    value: exp.Expr | None  # over row-level references; None counts the cube's rows
    condition: exp.Expr | None  # FILTER (WHERE ...), over row-level references
    output_type: NeutralType
    # A model measure with a FILTER clause: its own input and filters apply (value is None).
    measure: str | None = None
    cubes: tuple[str, ...] = ()  # every cube whose columns value and condition read


@dataclass(frozen=True)
class OutputItem:
    name: str
    expression: exp.Expr
    type: NeutralType


@dataclass(frozen=True)
class OrderItem:
    expression: exp.Expr
    desc: bool
    nulls_first: bool


@dataclass(frozen=True)
class CubeQuery:
    cubes: tuple[str, ...]  # the cubes named in FROM, in order
    outputs: tuple[OutputItem, ...]
    groups: tuple[exp.Expr, ...]  # dimension expressions (no measure)
    where: exp.Expr | None
    having: exp.Expr | None
    order: tuple[OrderItem, ...]
    limit: exp.Expr | None
    offset: exp.Expr | None
    # No aggregate, MEASURE or GROUP BY: one output row per joined row (DISTINCT if written).
    raw: bool = False
    distinct: bool = False
    tree: JoinTree | None = None  # the joins as written on key columns, else from the model
