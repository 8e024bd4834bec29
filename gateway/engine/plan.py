"""Stage 3: decide how a :class:`CubeQuery` is computed without double counting.

Cubes are joined along the model's join tree. A measure whose cube's rows can be repeated by
the join (a to-many edge seen from that cube) is *multiplied*. Idempotent aggregates (min, max,
distinct counts) are unaffected; a plain count becomes a distinct count of the primary key;
anything else (sum, avg, filtered or expression counts) is computed in its own part over the
rows made distinct by (grouping keys, primary key), then joined to the others on the grouping
keys — every part sees the same joined, filtered rows, so all parts have the same groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from backend.core.errors import NotSupported
from backend.semantic.model import Measure, MeasureType

from .context import Context
from .joins import JoinTree, join_tree
from .query import CubeQuery
from .refs import measure_refs, ref_key

MeasureKey = tuple[str, str]
_IDEMPOTENT = frozenset({"min", "max", "count_distinct", "count_distinct_approx"})


@dataclass(frozen=True)
class Part:
    """A grouped subquery; ``cube`` is None for the part over the plain joined rows."""

    cube: str | None
    measures: tuple[MeasureKey, ...]


@dataclass(frozen=True)
class Plan:
    query: CubeQuery
    tree: JoinTree
    parts: tuple[Part, ...]
    distinct_pk_counts: frozenset[MeasureKey]  # counts rendered as COUNT(DISTINCT pk)

    @property
    def inline(self) -> bool:
        """One part over the joined rows: a single SELECT ... GROUP BY suffices."""
        return len(self.parts) == 1 and self.parts[0].cube is None


def plan_query(query: CubeQuery, ctx: Context) -> Plan:
    tree = query.tree or join_tree(ctx.models, query.cubes, ctx.access.allows_cube)
    main: list[MeasureKey] = []
    separate: dict[str, list[MeasureKey]] = {}
    distinct_counts: set[MeasureKey] = set()
    for key in _measures(query):
        cube_name, _ = key
        cube = ctx.index.cube(cube_name)
        measure = measure_of(ctx, key)
        name = _written_name(ctx, key)
        _check_reach(ctx, key, tree, name)
        if not tree.multiplied(cube_name) or measure.type in _IDEMPOTENT:
            main.append(key)
        elif measure.type == "count" and measure.sql is None and len(cube.primary_keys) == 1:
            distinct_counts.add(key)
            main.append(key)
        else:
            if not cube.primary_keys:
                raise NotSupported(
                    f"{cube_name}.{name} would be double counted by the join and cube"
                    f" {cube_name} has no primary key",
                    hint=f"mark the primary key dimension of cube {cube_name}",
                )
            separate.setdefault(cube_name, []).append(key)
    parts: list[Part] = []
    if main or not separate:
        parts.append(Part(None, tuple(main)))
    parts.extend(Part(cube, tuple(keys)) for cube, keys in separate.items())
    return Plan(query, tree, tuple(parts), frozenset(distinct_counts))


def _written_name(ctx: Context, key: MeasureKey) -> str:
    return "an aggregate" if key in ctx.aggregates else key[1]


def _check_reach(ctx: Context, key: MeasureKey, tree: JoinTree, name: str) -> None:
    """An aggregate over columns of several cubes is computed per row of its own cube; each
    other cube must then have at most one row per row of it, or its values would repeat."""
    aggregate = ctx.aggregates.get(key)
    if aggregate is None or aggregate.type in _IDEMPOTENT:
        return
    for other in aggregate.cubes:
        if other != aggregate.cube and not tree.reaches_one(aggregate.cube, other):
            raise NotSupported(
                f"{name} over columns of {aggregate.cube} and {other} would be double counted:"
                f" the join repeats rows of {aggregate.cube} for each row of {other}",
                hint="aggregate each cube's columns separately",
            )


def _measures(query: CubeQuery) -> list[MeasureKey]:
    seen: dict[MeasureKey, None] = {}
    expressions = [o.expression for o in query.outputs] + [o.expression for o in query.order]
    if query.having is not None:
        expressions.append(query.having)
    for expression in expressions:
        for ref in measure_refs(expression):
            seen.setdefault(ref_key(ref), None)
    return list(seen)


def measure_of(ctx: Context, key: MeasureKey) -> Measure:
    """The model measure of a key, or a stand-in for an ad-hoc aggregate (its ``sql`` only
    says whether it has a value expression: the expression itself is in ``ctx.aggregates``)."""
    cube_name, name = key
    aggregate = ctx.aggregates.get(key)
    if aggregate is not None:
        sql = None if aggregate.value is None else "<expression>"
        # The planner reads the type only to tell counts and idempotent aggregates apart.
        return Measure(name=name, type=cast(MeasureType, aggregate.type), sql=sql)
    measure = ctx.index.cube(cube_name).measure(name)
    assert measure is not None
    return measure
