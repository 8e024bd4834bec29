"""The resolved form of one SELECT over cubes: what the planner and renderer work from.

Expressions keep the client's shape with dimension and measure reference leaves
(:mod:`gateway.engine.refs`); ``number`` measures are already expanded to
formulas over other measures, DATE_TRUNC is normalised to ``exp.TimestampTrunc`` with a
lower-case unit and client parameters are ``exp.Placeholder`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from .types import NeutralType


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
