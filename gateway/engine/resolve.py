"""Stage 2: a SELECT over cubes -> :class:`CubeQuery`, checking every member it touches.

Each column is looked up among the cubes of the FROM clause; dimensions and segments become
dimension references, ``MEASURE(m)`` or a matching aggregate a measure reference (or the
formula of a ``number`` measure). The access list is checked here, on every member of every
clause, so nothing later can touch a member this stage did not allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from backend.core.errors import NotSupported, SqlSyntaxError, UnknownColumn, UnknownTable
from backend.semantic.model import Cube, Measure, Segment

from .context import CUBE_SCHEMAS, Context, Member, did_you_mean
from .functions import keep_written
from .infer import ColumnTypes, infer_type
from .joins import REVERSE, JoinEdge, JoinTree, join_tree
from .naming import output_name
from .query import Aggregate, AggregateType, CubeQuery, OrderItem, OutputItem
from .refs import (
    all_refs,
    dim_ref,
    has_measure,
    has_row,
    input_ref,
    is_input,
    is_measure,
    is_row,
    measure_ref,
    ref_key,
    row_refs,
)
from .snippets import atom
from .types import NeutralType
from .validate import is_row_count
from .whitelist import (
    AGGREGATE_NODES,
    CAST_TYPES,
    EXTRACT_SYNONYMS,
    EXTRACT_UNITS,
    GRANULARITIES,
    SCALAR_NODES,
    describe,
)

JOIN_FIELD = "__cubejoinfield"
_AGGREGATE_TYPES: dict[type[exp.Expr], AggregateType] = {
    exp.Count: "count", exp.Sum: "sum", exp.Avg: "avg", exp.Min: "min", exp.Max: "max",
    exp.Stddev: "stddev_samp", exp.StddevSamp: "stddev_samp", exp.StddevPop: "stddev_pop",
    exp.Variance: "var_samp", exp.VariancePop: "var_pop",
}
# Aggregate -> the measure types whose column it computes as the measure itself.
_NATURAL: dict[type[exp.Expr], tuple[str, ...]] = {
    exp.Sum: ("sum",), exp.Avg: ("avg",), exp.Min: ("min",), exp.Max: ("max",),
}
_AGGREGATE_KINDS: dict[str, AggregateType] = {
    "count": "count", "sum": "sum", "avg": "avg", "min": "min", "max": "max",
}
_MEASURE_OUTPUT: dict[str, NeutralType] = {
    "count": "int8", "count_distinct": "int8", "sum": "numeric", "avg": "numeric",
    "min": "numeric", "max": "numeric",
}
_MODE_WORDS = {
    "select": "the select list", "where": "WHERE", "group": "GROUP BY", "having": "HAVING",
    "order": "ORDER BY", "aggregate": "an aggregate's argument",
}
_ALLOWED_SELECT_ARGS = frozenset(
    {"expressions", "from_", "joins", "where", "group", "having", "order", "limit", "offset",
     "distinct", "kind"}
)


@dataclass(frozen=True)
class _WrittenJoin:
    """A join the client wrote on key columns, matched to a join of the model."""

    parent: str  # the cube already in FROM that the condition names
    child: str  # the joined cube
    owner: str  # the cube that declares the join
    index: int
    inner: bool
    right: bool = False  # FROM parent RIGHT JOIN child: child becomes the root
    extra: tuple[exp.Expr, ...] = ()  # further ON conditions, as the client wrote them


@dataclass
class _Scope:
    cubes: list[Cube] = field(default_factory=list)
    aliases: dict[str, Cube] = field(default_factory=dict)  # lower-cased alias -> cube
    # Joins written on key columns; None once any join is written another way (CROSS JOIN,
    # a comma, __cubeJoinField), which leaves the join tree to the model, as in Cube.
    written: list[_WrittenJoin] | None = field(default_factory=list)
    required: set[str] = field(default_factory=set)  # cubes joined on key columns

    def add(self, cube: Cube, alias: str) -> None:
        if any(c.name == cube.name for c in self.cubes):
            raise NotSupported(
                f"cube {cube.name} appears twice in FROM",
                hint="each cube may be used once per query",
            )
        if alias.lower() in self.aliases:
            raise SqlSyntaxError(f'table name "{alias}" specified more than once')
        self.cubes.append(cube)
        self.aliases[alias.lower()] = cube
        self.aliases.setdefault(cube.name.lower(), cube)


def check_select_clauses(select: exp.Select) -> None:
    for key, value in select.args.items():
        if value and key not in _ALLOWED_SELECT_ARGS:
            raise NotSupported(f"{key.upper().rstrip('_')} is not supported in queries over cubes")
    distinct = select.args.get("distinct")
    if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
        raise NotSupported("DISTINCT ON is not supported")


def is_aggregating(select: exp.Select) -> bool:
    """Whether a SELECT aggregates (GROUP BY, HAVING, an aggregate or MEASURE in its list or
    ORDER BY); one that does not returns one row per joined row."""
    if select.args.get("group") is not None or select.args.get("having") is not None:
        return True
    order = select.args.get("order")
    nodes = list(select.expressions) + ([order] if order is not None else [])
    return any(_aggregates_in(node) for node in nodes)


def _aggregates_in(node: exp.Expr) -> bool:
    for child in node.walk():
        if type(child) in AGGREGATE_NODES or (
            isinstance(child, exp.Anonymous) and child.name.upper() == "MEASURE"
        ):
            return True
    return False


def resolve_cube_select(select: exp.Select, ctx: Context) -> CubeQuery:
    check_select_clauses(select)
    scope = _build_scope(select, ctx)
    raw = not is_aggregating(select)
    resolver = _Resolver(ctx, scope, raw=raw)
    if not raw:
        resolver.grouped_inputs = _grouped_inputs(select, resolver)
    outputs = resolver.outputs(select.expressions)
    where = select.args.get("where")
    where_expr = resolver.clause(where.this, "where") if where is not None else None
    groups = resolver.groups(select.args.get("group"), outputs)
    having = select.args.get("having")
    having_expr = resolver.clause(having.this, "having") if having is not None else None
    order = resolver.order(select.args.get("order"), outputs)

    if not raw:
        for item in outputs:
            _check_grouped(item.expression, groups, f"column {item.name!r}")
        if having_expr is not None:
            _check_grouped(having_expr, groups, "HAVING")
        for ordered in order:
            _check_grouped(ordered.expression, groups, "ORDER BY")

    used = _cubes_used(ctx, outputs, where_expr, having_expr, order, groups)
    used |= scope.required
    # Like Cube, a query is over the cubes whose members it uses (and the cubes their SQL
    # reads): a cube named in FROM but not used adds no join (it could only drop or repeat
    # rows).
    cubes = tuple(c.name for c in scope.cubes if c.name in used)
    cubes += tuple(sorted(used - set(cubes)))
    cubes = cubes or (scope.cubes[0].name,)
    return CubeQuery(
        cubes=cubes,
        outputs=tuple(outputs),
        groups=tuple(groups),
        where=where_expr,
        having=having_expr,
        order=tuple(order),
        limit=_limit_value(select.args.get("limit")),
        offset=_limit_value(select.args.get("offset")),
        raw=raw,
        distinct=isinstance(select.args.get("distinct"), exp.Distinct),
        tree=written_tree(scope, cubes, ctx, _resolve_extras(scope, resolver)),
    )


def _resolve_extras(scope: _Scope, resolver: _Resolver) -> dict[str, exp.Expr]:
    """Further ON conditions of key joins, row-level like WHERE (and access-checked)."""
    extras: dict[str, exp.Expr] = {}
    for written in scope.written or ():
        if written.extra:
            parts = [resolver.resolve(e, "where") for e in written.extra]
            extras[written.child] = exp.and_(*parts) if len(parts) > 1 else parts[0]
    return extras


def _grouped_inputs(select: exp.Select, resolver: _Resolver) -> set[tuple[str, str]]:
    """Measures whose column is written in GROUP BY (by name or by the position of a bare
    column): grouping by a column is grouping by its row-level value, as SQL means it, so
    that column stays a value elsewhere in the query instead of meaning the measure."""
    group = select.args.get("group")
    if group is None:
        return set()
    found: set[tuple[str, str]] = set()
    for node in group.expressions:
        if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
            position = int(node.this)
            items = select.expressions
            node = items[position - 1] if 1 <= position <= len(items) else node
            node = node.this if isinstance(node, exp.Alias) else node
        if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
            try:
                cube, member = resolver._lookup(node)
            except (UnknownTable, UnknownColumn):
                continue
            if cube is not None and isinstance(member, Measure) and member.type != "number":
                found.add((cube.name, member.name))
    return found


def _build_scope(select: exp.Select, ctx: Context) -> _Scope:
    scope = _Scope()
    from_ = select.args.get("from_")
    assert from_ is not None
    items: list[tuple[exp.Expr, exp.Join | None]] = [(from_.this, None)]
    items += [(j.this, j) for j in select.args.get("joins") or []]
    for item, _ in items:
        if not isinstance(item, exp.Table) or item.args.get("joins"):
            raise NotSupported("a query over cubes may only join cubes", hint="use a subquery")
        cube = ctx.cube_for_table(item)
        scope.add(cube, item.alias_or_name)
    for position, (_, join) in enumerate(items):
        if join is not None:
            _check_join(join, scope, ctx, scope.cubes[position], scope.cubes[:position])
    return scope


def _check_join(
    join: exp.Join, scope: _Scope, ctx: Context, joined: Cube, before: list[Cube]
) -> None:
    kind = (join.args.get("kind") or "").upper()
    side = (join.args.get("side") or "").upper()
    if join.args.get("using"):
        raise NotSupported("JOIN ... USING between cubes is not supported", hint=_JOIN_HINT)
    first = len(before) == 1
    if side not in ("", "LEFT", "RIGHT") or kind not in ("", "INNER", "CROSS", "OUTER") or (
        side == "RIGHT" and not first
    ):
        raise NotSupported(
            f"{side or kind} JOIN between cubes is not supported"
            + (" after another join" if side == "RIGHT" else ""),
            hint=_JOIN_HINT,
        )
    on = join.args.get("on")
    if on is None:
        if side == "RIGHT":
            raise NotSupported("RIGHT JOIN needs an ON condition", hint=_JOIN_HINT)
        scope.written = None
        return
    conditions = list(on.flatten()) if isinstance(on, exp.And) else [on]
    conditions = [c.unnest() for c in conditions]
    if all(_is_join_field_condition(c, scope) for c in conditions):
        if side == "RIGHT":  # Cube's joins are LEFT JOINs from the root; RIGHT has no meaning
            raise NotSupported("RIGHT JOIN on __cubeJoinField is not supported",
                               hint=_JOIN_HINT)
        scope.written = None
        return
    written = _key_join(on, conditions, scope, ctx, joined, before, inner=side == "",
                        right=side == "RIGHT")
    scope.required.update((written.parent, written.child))
    if scope.written is not None:
        scope.written.append(written)


def _is_join_field_condition(condition: exp.Expr, scope: _Scope) -> bool:
    return isinstance(condition, exp.EQ) and all(
        isinstance(side, exp.Column)
        and side.name.lower() == JOIN_FIELD
        and side.table.lower() in scope.aliases
        for side in (condition.this, condition.expression)
    )


def _key_join(
    on: exp.Expr, conditions: list[exp.Expr], scope: _Scope, ctx: Context, joined: Cube,
    before: list[Cube], *, inner: bool, right: bool = False,
) -> _WrittenJoin:
    """A join written on key columns (``ON orders.customer_id = customers.id``): the model's
    join between the two cubes whose condition is the same equalities, else refused with the
    condition the model declares. Other conditions in ON (``AND o.status = 'completed'``)
    stay in the join's ON, as SQL means them."""
    written = on.sql(dialect=ctx.client)
    pairs: set[frozenset[str]] = set()
    cubes: set[str] = set()
    keys = [c for c in conditions if _compares_two_cubes(c, scope, ctx)]
    extra = tuple(c for c in conditions if not any(c is k for k in keys))
    if not keys:
        raise NotSupported(
            f"join condition {written} is not supported between cubes", hint=_JOIN_HINT
        )
    for condition in keys:
        if not isinstance(condition, exp.EQ):
            raise NotSupported(
                f"join condition {written} is not supported between cubes", hint=_JOIN_HINT
            )
        sides: list[str] = []
        for column in (condition.this, condition.expression):
            cube, member = _join_column(column, scope, ctx)
            cubes.add(cube.name)
            sides.append(ctx.index.dimension_sql(cube.name, member.name).sql())
        pairs.add(frozenset(sides))
    others = cubes - {joined.name}
    if joined.name not in cubes or len(others) != 1 or not any(
        c.name in others for c in before
    ):
        raise NotSupported(
            f"join condition {written} must compare columns of {joined.name} with columns of"
            " one cube joined before it",
            hint=_JOIN_HINT,
        )
    parent = next(iter(others))
    declared: list[str] = []
    for owner, target in ((parent, joined.name), (joined.name, parent)):
        for index, model_join in enumerate(ctx.index.cube(owner).joins):
            if model_join.name != target:
                continue
            condition = ctx.index.join_condition(owner, index)
            declared.append(_client_condition(condition, ctx))
            if _equalities(condition) == pairs:
                return _WrittenJoin(parent, joined.name, owner, index, inner, right, extra)
    hint = (
        f"the model joins {parent} and {joined.name} on {' or '.join(declared)}"
        if declared
        else f"the model declares no join between {parent} and {joined.name}; "
        "declare one, or join through the cubes that connect them"
    )
    raise NotSupported(
        f"join condition {written} does not match a join of the model", hint=hint
    )


def _compares_two_cubes(condition: exp.Expr, scope: _Scope, ctx: Context) -> bool:
    """A comparison of a column of one cube with a column of another (a key condition, which
    must then be the model's); anything else in ON is a further condition."""
    if not isinstance(condition, exp.Binary) or not (
        isinstance(condition.this, exp.Column) and isinstance(condition.expression, exp.Column)
    ):
        return False
    cubes = {_join_column(c, scope, ctx)[0].name
             for c in (condition.this, condition.expression)}
    return len(cubes) == 2


def _join_column(column: exp.Column, scope: _Scope, ctx: Context) -> tuple[Cube, Member]:
    if column.table:
        cube = scope.aliases.get(column.table.lower())
        if cube is None:
            raise UnknownTable(f'missing FROM-clause entry for table "{column.table}"')
        member = ctx.find_member(cube, column.name)
    else:
        found = [(c, m) for c in scope.cubes if (m := ctx.find_member(c, column.name))]
        if len(found) > 1:
            raise UnknownColumn(
                f'column reference "{column.name}" is ambiguous',
                hint="qualify it with the cube name",
            )
        cube, member = found[0] if found else (scope.cubes[0], None)
    if member is None:
        raise UnknownColumn(f'column "{column.sql(dialect=ctx.client)}" does not exist')
    if isinstance(member, Measure | Segment):
        raise NotSupported(
            f"join condition: {cube.name}.{member.name} is not a dimension",
            hint="join cubes on their key dimensions",
        )
    return cube, member


def _equalities(condition: exp.Expr) -> set[frozenset[str]] | None:
    parts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
    pairs: set[frozenset[str]] = set()
    for part in parts:
        part = part.unnest()
        if not isinstance(part, exp.EQ):
            return None
        pairs.add(frozenset((part.this.unnest().sql(), part.expression.unnest().sql())))
    return pairs


def _client_condition(condition: exp.Expr, ctx: Context) -> str:
    """A model join condition as the client would write it: cube.dimension where a dimension
    has exactly that SQL, else the model's SQL."""
    by_sql = {
        ctx.index.dimension_sql(cube.name, d.name).sql(): f"{cube.name}.{d.name}"
        for cube in ctx.models
        for d in cube.dimensions
        if d.public and ctx.access.allows_member(cube.name, d.name)
    }

    columns = list(condition.find_all(exp.Column))
    if not all(c.sql() in by_sql for c in columns):
        # Only names the credential can see: never the model's own SQL.
        return "columns this credential cannot see"

    def rename(node: exp.Expr) -> exp.Expr:
        name = by_sql.get(node.sql()) if isinstance(node, exp.Column) else None
        return exp.column(*reversed(name.split("."))) if name else node

    return condition.transform(rename).sql(dialect=ctx.client)


def written_tree(
    scope: _Scope, cubes: tuple[str, ...], ctx: Context,
    extras: dict[str, exp.Expr] | None = None,
) -> JoinTree | None:
    """The join tree as the client wrote it on key columns (root: the first cube in FROM, or
    the second for ``a RIGHT JOIN b``), or None to let the model choose (other join forms, or
    cubes outside FROM are needed). ``extras``: each joined cube's further ON condition,
    resolved."""
    if not scope.written:
        return None
    if not set(cubes) <= {c.name for c in scope.cubes}:
        if any(w.right or w.extra for w in scope.written):
            raise NotSupported(
                "this join needs cubes outside FROM; its RIGHT JOIN or further ON conditions"
                " cannot be kept", hint="name every cube the query uses in FROM",
            )
        return None
    edges: list[JoinEdge] = []
    root = scope.cubes[0].name
    for written in scope.written:
        parent, child = written.parent, written.child
        if written.right:  # a RIGHT JOIN b is b LEFT JOIN a
            parent, child, root = child, parent, child
        relationship = ctx.index.cube(written.owner).joins[written.index].relationship
        if written.owner != parent:
            relationship = REVERSE[relationship]
        edges.append(JoinEdge(parent, child, written.owner, written.index, relationship))
    inner = frozenset(w.child for w in scope.written if w.inner)
    # Keyed by the cube the client joined, placed on its edge (for a RIGHT JOIN, the swapped
    # edge, whose child is the parent).
    conditions = tuple(
        (edge.child, extras[w.child]) for edge, w in zip(edges, scope.written, strict=True)
        if extras and w.child in extras
    )
    return JoinTree(root, tuple(edges), inner, conditions)


_JOIN_HINT = (
    "join cubes on the key columns of a join the model declares (ON orders.customer_id ="
    " customers.id), with JOIN b ON a.__cubeJoinField = b.__cubeJoinField, or CROSS JOIN"
)


class _Resolver:
    """Resolves the expressions of one SELECT. ``raw``: the SELECT does not aggregate, so a
    measure column is its row-level input; otherwise a bare measure column means the measure
    (Cube's convention) unless it is grouped by (``grouped_inputs``), and aggregates over
    columns become ad-hoc measures."""

    def __init__(self, ctx: Context, scope: _Scope, *, raw: bool = False) -> None:
        self.ctx = ctx
        self.scope = scope
        self.raw = raw
        self.grouped_inputs: set[tuple[str, str]] = set()
        self.aliases: dict[str, exp.Expr] = {}

    # --- clauses ------------------------------------------------------------------------------

    def outputs(self, expressions: list[exp.Expr]) -> list[OutputItem]:
        outputs: list[OutputItem] = []
        for node in expressions:
            if isinstance(node, exp.Star) or (
                isinstance(node, exp.Column) and isinstance(node.this, exp.Star)
            ):
                outputs.extend(self._star(node))
                continue
            name = output_name(node, self.ctx.client)
            inner = node.this if isinstance(node, exp.Alias) else node
            resolved = self.resolve(inner, "select")
            outputs.append(OutputItem(name, resolved, infer_type(resolved, self.ctx)))
            if isinstance(node, exp.Alias):
                self.aliases.setdefault(name.lower(), resolved)
        return outputs

    def clause(self, node: exp.Expr, mode: str) -> exp.Expr:
        return self.resolve(node, mode)

    def groups(
        self, group: exp.Group | None, outputs: list[OutputItem]
    ) -> list[exp.Expr]:
        groups: list[exp.Expr] = []
        if self.raw:
            return groups
        if group is None:
            # Cube's implicit grouping: aggregates without GROUP BY group by the selected
            # dimensions (plain SQL would refuse the query).
            for item in outputs:
                if not has_measure(item.expression) and has_row(item.expression):
                    groups.append(item.expression)
            return _unique(groups)
        for key in ("rollup", "cube", "grouping_sets"):
            if group.args.get(key):
                raise NotSupported(f"GROUP BY {key.upper().replace('_', ' ')} is not supported")
        for node in group.expressions:
            expression = self._ordinal(node, outputs, "GROUP BY")
            if expression is None:
                expression = self.resolve(node, "group")
            if has_measure(expression):
                raise NotSupported(
                    f"cannot GROUP BY an aggregate ({node.sql(dialect=self.ctx.client)})"
                )
            groups.append(expression)
        return _unique(groups)

    def order(self, order: exp.Order | None, outputs: list[OutputItem]) -> list[OrderItem]:
        if order is None:
            return []
        items: list[OrderItem] = []
        for ordered in order.expressions:
            node = ordered.this
            expression = self._ordinal(node, outputs, "ORDER BY")
            if (
                expression is None
                and isinstance(node, exp.Column)
                and not node.table
                and node.name.lower() in self.aliases
            ):
                expression = self.aliases[node.name.lower()].copy()
            if expression is None:
                expression = self.resolve(node, "order")
            desc = bool(ordered.args.get("desc"))
            nulls_first = ordered.args.get("nulls_first")
            if nulls_first is None:
                # The client's own default: PostgreSQL sorts NULLs as largest, MySQL as smallest.
                nulls_first = desc if self.ctx.client == "postgres" else not desc
            items.append(OrderItem(expression, desc, bool(nulls_first)))
        return items

    def _ordinal(
        self, node: exp.Expr, outputs: list[OutputItem], clause: str
    ) -> exp.Expr | None:
        if isinstance(node, exp.Literal) and not node.is_string:
            position = int(node.this) if node.this.isdigit() else 0
            if not 1 <= position <= len(outputs):
                raise SqlSyntaxError(f"{clause} position {node.this} is not in select list")
            return outputs[position - 1].expression.copy()
        return None

    def _star(self, node: exp.Expr) -> list[OutputItem]:
        qualifier = node.table if isinstance(node, exp.Column) else ""
        cubes = [self._cube_for_qualifier(qualifier)] if qualifier else self.scope.cubes
        items: list[OutputItem] = []
        for cube in cubes:
            for dimension in cube.dimensions:
                if self.ctx.visible(cube, dimension):
                    ref = dim_ref(cube.name, dimension.name)
                    items.append(OutputItem(dimension.name, ref, infer_type(ref, self.ctx)))
            for measure in cube.measures:
                if not self.ctx.visible(cube, measure):
                    continue
                expression: exp.Expr
                if self.raw:
                    # Row-level inputs; a number measure has no value per row.
                    if measure.type == "number":
                        continue
                    expression = input_ref(cube.name, measure.name)
                else:
                    expression = self._measure_expression(cube, measure)
                items.append(
                    OutputItem(measure.name, expression, infer_type(expression, self.ctx))
                )
            if self.raw:
                # Per row a segment is a boolean column like any other (in a query that
                # aggregates, selecting one would group by it, so * leaves them out there).
                for segment in cube.segments:
                    if self.ctx.visible(cube, segment):
                        ref = dim_ref(cube.name, segment.name, segment=True)
                        items.append(OutputItem(segment.name, ref, "bool"))
        if not items:
            raise NotSupported("SELECT * found no column the credential may query")
        return items

    # --- expressions --------------------------------------------------------------------------

    def resolve(self, node: exp.Expr, mode: str) -> exp.Expr:
        if isinstance(node, exp.Column):
            return self._column(node, mode)
        if isinstance(node, exp.Filter) or type(node) in AGGREGATE_NODES or (
            isinstance(node, exp.Anonymous) and node.name.upper() == "MEASURE"
        ):
            if mode in ("where", "group", "aggregate"):
                raise NotSupported(
                    f"aggregates are not allowed in {_MODE_WORDS[mode]}"
                    f" ({node.sql(dialect=self.ctx.client)})",
                    hint="filter measures with HAVING" if mode == "where" else None,
                )
            if isinstance(node, exp.Filter):
                return self._filtered_aggregate(node)
            return self._aggregate(node)
        if isinstance(node, exp.DateTrunc | exp.TimestampTrunc):
            return self._date_trunc(node, mode)
        if isinstance(node, exp.Extract):
            return self._extract(node, mode)
        if isinstance(node, exp.Cast | exp.TryCast):
            to = node.args.get("to")
            if not isinstance(to, exp.DataType) or to.this not in CAST_TYPES:
                raise NotSupported(f"CAST to {to.sql() if to else '?'} is not supported")
            node.set("to", cast_type(to, self.ctx))
        if isinstance(node, exp.Star):
            raise NotSupported("* is only allowed as a select item or in COUNT(*)")
        if type(node) not in SCALAR_NODES:
            raise NotSupported(f"{describe(node)} is not supported in queries over cubes")
        return self._rebuild(node, mode)

    def _rebuild(self, node: exp.Expr, mode: str) -> exp.Expr:
        args: dict[str, Any] = {}
        for key, value in node.args.items():
            if isinstance(value, exp.Expr):
                args[key] = self._child(value, mode)
            elif isinstance(value, list):
                args[key] = [
                    self._child(v, mode) if isinstance(v, exp.Expr) else v for v in value
                ]
            else:
                args[key] = value
        rebuilt = integer_division(node.__class__(**args), self.ctx)
        return keep_written(node, rebuilt)  # keeps the client's name

    def _child(self, node: exp.Expr, mode: str) -> exp.Expr:
        if isinstance(node, exp.Identifier | exp.DataType | exp.Literal):
            return node  # the client tree is parsed for this compilation alone: no copy needed
        return self.resolve(node, mode)

    def _column(self, column: exp.Column, mode: str) -> exp.Expr:
        if isinstance(column.this, exp.Star):
            raise NotSupported("* is only allowed as a select item or in COUNT(*)")
        name = column.name
        if name.lower() == JOIN_FIELD:
            raise NotSupported(
                "__cubeJoinField only appears in JOIN ... ON conditions", hint=_JOIN_HINT
            )
        cube, member = self._lookup(column)
        if member is None and not column.table and mode in ("group", "having", "order"):
            aliased = self.aliases.get(name.lower())
            if aliased is not None:
                return aliased.copy()
        if member is None or cube is None:
            raise UnknownColumn(
                f'column "{column.sql(dialect=self.ctx.client)}" does not exist',
                hint=self._column_hint(column),
            )
        self.ctx.check_access(cube, member)
        if isinstance(member, Measure):
            row_level = (
                self.raw
                or mode in ("where", "group", "aggregate")
                or (cube.name, member.name) in self.grouped_inputs
            )
            if not row_level:
                # A bare measure column in an aggregating query means the measure itself.
                return self._measure_expression(cube, member)
            if member.type == "number":
                raise NotSupported(
                    f"{cube.name}.{member.name} is a number measure: it has no value per row"
                    f" ({_MODE_WORDS[mode]})",
                    hint=f"use MEASURE({member.name}) in a query that groups, e.g. SELECT"
                    f" <dimensions>, MEASURE({member.name}) FROM {cube.name} GROUP BY 1",
                )
            return input_ref(cube.name, member.name)
        return dim_ref(cube.name, member.name, segment=isinstance(member, Segment))

    def _lookup(self, column: exp.Column) -> tuple[Cube | None, Member | None]:
        if column.db.lower() not in CUBE_SCHEMAS or column.catalog.lower() not in ("", "db"):
            raise UnknownTable(f'missing FROM-clause entry for table "{column.table}"')
        if column.table:
            cube = self._cube_for_qualifier(column.table)
            return cube, self.ctx.find_member(cube, column.name)
        found = [
            (cube, member)
            for cube in self.scope.cubes
            if (member := self.ctx.find_member(cube, column.name)) is not None
        ]
        if len(found) > 1:
            names = ", ".join(f"{c.name}.{m.name}" for c, m in found)
            raise UnknownColumn(
                f'column reference "{column.name}" is ambiguous ({names})',
                hint="qualify it with the cube name",
            )
        return found[0] if found else (None, None)

    def _cube_for_qualifier(self, qualifier: str) -> Cube:
        cube = self.scope.aliases.get(qualifier.lower())
        if cube is None:
            raise UnknownTable(f'missing FROM-clause entry for table "{qualifier}"')
        return cube

    def _column_hint(self, column: exp.Column) -> str | None:
        cubes = (
            [self.scope.aliases[column.table.lower()]]
            if column.table and column.table.lower() in self.scope.aliases
            else self.scope.cubes
        )
        names = [
            m.name
            for cube in cubes
            for group in (cube.dimensions, cube.measures, cube.segments)
            for m in group
            if self.ctx.visible(cube, m)
        ]
        return did_you_mean(column.name, names)

    def _filtered_aggregate(self, node: exp.Filter) -> exp.Expr:
        """``agg(...) FILTER (WHERE condition)``: an aggregate over the rows the condition
        keeps (the condition is row-level, like WHERE)."""
        inner = node.this
        if not (type(inner) in AGGREGATE_NODES or (
            isinstance(inner, exp.Anonymous) and inner.name.upper() == "MEASURE"
        )):
            raise NotSupported("FILTER (WHERE ...) applies only to aggregates")
        where = node.expression
        condition = self.resolve(where.this if isinstance(where, exp.Where) else where,
                                 "aggregate")
        return self._aggregate(inner, condition)

    def _aggregate(self, node: exp.Expr, condition: exp.Expr | None = None) -> exp.Expr:
        """An aggregate: the model's measure where it is one (``MEASURE(m)``, ``COUNT(*)``,
        ``SUM`` of a sum or count measure column, ``AVG`` of an avg one, ...), else an ad-hoc
        measure over the row-level value of its argument (``AVG(amount)``, ``COUNT(DISTINCT
        city)``, ``SUM(CASE ...)``)."""
        if isinstance(node, exp.Anonymous):
            if len(node.expressions) != 1 or not isinstance(node.expressions[0], exp.Column):
                raise NotSupported("MEASURE() takes one measure column", hint="MEASURE(count)")
            cube, measure = self._measure_column(node.expressions[0], "MEASURE")
            if condition is None:
                return self._measure_expression(cube, measure)
            return self._measure_filtered(cube, measure, condition)
        function = _function_name(node)
        argument = node.this
        distinct = isinstance(argument, exp.Distinct)
        if distinct:
            assert isinstance(argument, exp.Distinct)
            if not isinstance(node, exp.Count):
                raise NotSupported(
                    f"{function}(DISTINCT ...) is not supported",
                    hint=f"use {function}() over the values, or COUNT(DISTINCT ...)",
                )
            if len(argument.expressions) != 1:
                raise NotSupported("COUNT(DISTINCT ...) takes one expression")
            argument = argument.expressions[0]
        if isinstance(node, exp.Count) and not distinct and _counts_rows(argument):
            if condition is None:
                cube, measure = self._count_star()
                return self._measure_expression(cube, measure)
            # COUNT(*) counts the rows COUNT(*) counts (the cube, or the fact of a join),
            # whichever cubes the FILTER reads.
            counted = self.scope.cubes[0] if len(self.scope.cubes) == 1 else self._finest_cube()
            return self._adhoc("count", None, condition, node, owner=counted.name)
        if isinstance(argument, exp.Column) and condition is None:
            natural = self._natural_measure(node, argument, distinct)
            if natural is not None:
                return natural
        value = self.resolve(argument, "aggregate")
        kind: AggregateType = "count_distinct" if distinct else _AGGREGATE_TYPES[type(node)]
        return self._adhoc(kind, value, condition, node)

    def _natural_measure(
        self, node: exp.Expr, column: exp.Column, distinct: bool
    ) -> exp.Expr | None:
        """The measure a column's own aggregate computes: SUM(amount) of a sum measure,
        COUNT(DISTINCT customers_count) of a count_distinct, AVG/MIN/MAX of measures of that
        type. (SUM(count) is the ad-hoc sum of its 1s: the count, and NULL where SQL says so —
        a group whose rows all fail a filtered count's filters.)"""
        if isinstance(column.this, exp.Star):
            return None
        cube, member = self._lookup(column)
        if cube is None or not isinstance(member, Measure):
            return None
        if (cube.name, member.name) in self.grouped_inputs:
            return None
        matches = (
            member.type in ("count_distinct", "count_distinct_approx")
            if distinct
            else _NATURAL.get(type(node), ()) and member.type in _NATURAL[type(node)]
        )
        if not matches:
            return None
        self.ctx.check_access(cube, member)
        return self._measure_expression(cube, member)

    def _owner(self, inputs: tuple[str, ...], cubes: tuple[str, ...], written: str) -> str:
        """The cube whose rows an ad-hoc aggregate takes: that of the measure inputs it reads,
        else of the only cube it reads, else the query's only cube."""
        if len(inputs) == 1:
            return inputs[0]
        if len(cubes) == 1:
            return cubes[0]
        if not cubes and len(self.scope.cubes) == 1:
            return self.scope.cubes[0].name
        if not cubes:
            raise NotSupported(
                f"{written} is ambiguous over several cubes",
                hint="aggregate a column of one cube, or use MEASURE(cube.count)",
            )
        return inputs[0] if inputs else cubes[0]

    def _measure_filtered(self, cube: Cube, measure: Measure, condition: exp.Expr) -> exp.Expr:
        if measure.type == "number":
            raise NotSupported(
                f"FILTER over number measure {cube.name}.{measure.name} is not supported",
                hint="apply FILTER to the measures of its formula",
            )
        kind: AggregateType = (
            "count_distinct" if measure.type.startswith("count_distinct")
            else _AGGREGATE_KINDS[measure.type]
        )
        cubes = _ordered_cubes([cube.name], condition)
        aggregate = Aggregate(
            cube.name, kind, None, condition, _MEASURE_OUTPUT[kind], measure.name, cubes
        )
        return measure_ref(*self.ctx.add_aggregate(aggregate))

    def _adhoc(
        self, kind: AggregateType, value: exp.Expr | None, condition: exp.Expr | None,
        node: exp.Expr, owner: str | None = None,
    ) -> exp.Expr:
        written = node.sql(dialect=self.ctx.client)
        if value is not None and has_measure(value):
            raise NotSupported(f"aggregate function calls cannot be nested ({written})")
        inputs = tuple(dict.fromkeys(ref_key(r)[0] for r in row_refs(value) if is_input(r))) if (
            value is not None
        ) else ()
        cubes = _ordered_cubes([], value, condition)
        owner = owner or self._owner(inputs, cubes, written)
        cubes = tuple(dict.fromkeys((owner, *cubes)))
        if kind in ("count", "count_distinct"):
            output: NeutralType = "int8"
        elif kind == "sum":
            output = "int8" if value is not None and infer_type(value, self.ctx) in (
                "int2", "int4") else "numeric"
        elif kind in ("avg", "stddev_pop", "stddev_samp", "var_pop", "var_samp") or value is None:
            output = "numeric"
        else:
            output = infer_type(value, self.ctx)
        aggregate = Aggregate(owner, kind, value, condition, output, None, cubes)
        return measure_ref(*self.ctx.add_aggregate(aggregate))

    def _measure_column(self, column: exp.Column, function: str) -> tuple[Cube, Measure]:
        cube, member = self._lookup(column)
        if member is None or cube is None:
            raise UnknownColumn(
                f'column "{column.sql(dialect=self.ctx.client)}" does not exist',
                hint=self._column_hint(column),
            )
        self.ctx.check_access(cube, member)
        if not isinstance(member, Measure):
            raise NotSupported(
                f"{function}({member.name}): {cube.name}.{member.name} is not a measure",
                hint="aggregate measures only; define a measure in the model for this",
            )
        return cube, member

    def _count_star(self) -> tuple[Cube, Measure]:
        cube = self.scope.cubes[0]
        if len(self.scope.cubes) != 1:
            cube = self._finest_cube()
        candidates = [m for m in cube.measures if m.type == "count" and m.sql is None and m.public]
        plain = [m for m in candidates if not m.filters]
        chosen = next((m for m in plain if m.name == "count"), None) or (
            plain[0] if plain else None
        )
        if chosen is None:
            raise NotSupported(
                f"cube {cube.name} has no count measure for COUNT(*)",
                hint="add a measure of type count to the cube",
            )
        self.ctx.check_access(cube, chosen)
        return cube, chosen

    def _finest_cube(self) -> Cube:
        """COUNT(*) over joined cubes counts joined rows: the rows of the root cube when each
        of them meets at most one row of every other cube (a fact joined to its dimensions),
        else it is ambiguous."""
        names = tuple(c.name for c in self.scope.cubes)
        try:
            tree = written_tree(self.scope, names, self.ctx) or join_tree(
                self.ctx.models, names, self.ctx.access.allows_cube
            )
        except NotSupported:
            tree = None
        if tree is None or not all(tree.reaches_one(tree.root, other) for other in names):
            raise NotSupported(
                "COUNT(*) is ambiguous over several cubes", hint="use MEASURE(cube.count)"
            )
        return self.ctx.index.cube(tree.root)

    def _measure_expression(self, cube: Cube, measure: Measure) -> exp.Expr:
        if measure.type == "number":
            return atom(self.ctx.index.formula(cube.name, measure.name))
        return measure_ref(cube.name, measure.name)

    def _date_trunc(self, node: exp.Expr, mode: str) -> exp.Expr:
        unit_node = node.args.get("unit")
        unit = unit_node.name.lower() if isinstance(unit_node, exp.Expr) else ""
        if unit not in GRANULARITIES:
            raise NotSupported(
                f"DATE_TRUNC granularity {unit!r} is not supported",
                hint="use one of " + ", ".join(GRANULARITIES),
            )
        argument = self._time_argument(node.this, mode, "DATE_TRUNC")
        return exp.TimestampTrunc(this=argument, unit=exp.var(unit))

    def _extract(self, node: exp.Extract, mode: str) -> exp.Expr:
        unit = node.this.name.lower()
        unit = EXTRACT_SYNONYMS.get(unit, unit)
        if unit not in EXTRACT_UNITS:
            raise NotSupported(
                f"EXTRACT({unit.upper()} ...) is not supported",
                hint="use one of " + ", ".join(u.upper() for u in EXTRACT_UNITS),
            )
        argument = self._time_argument(node.expression, mode, "EXTRACT")
        return keep_written(node, exp.Extract(this=exp.var(unit), expression=argument))

    def _time_argument(self, node: exp.Expr, mode: str, function: str) -> exp.Expr:
        argument = self.resolve(node, mode)
        if has_measure(argument):
            raise NotSupported(f"{function} over a measure is not supported")
        return argument


def integer_division(
    node: exp.Expr, ctx: Context, columns: ColumnTypes | None = None
) -> exp.Expr:
    """PostgreSQL divides integers by integers as integers (``COUNT(*) / 7``); MySQL's and
    DuckDB's ``/`` would give a fraction, so there it is their integer division (both
    truncate toward zero, as PostgreSQL does)."""
    if (
        isinstance(node, exp.Div) and ctx.client == "postgres"
        and ctx.target in ("mysql", "duckdb")
        and infer_type(node.this, ctx, columns) in _INTEGER_TYPES
        and infer_type(node.expression, ctx, columns) in _INTEGER_TYPES
    ):
        return exp.IntDiv(this=node.this, expression=node.expression)
    return node


_INTEGER_TYPES = ("int2", "int4", "int8")


def cast_type(to: exp.DataType, ctx: Context) -> exp.DataType:
    """A cast's type as the client means it on the target: PostgreSQL's bare DECIMAL/NUMERIC
    is unconstrained, MySQL's is DECIMAL(10,0), so a PostgreSQL client's bare DECIMAL gets
    MySQL's widest (65, 30) there — Power BI's ``sum(cast(x as decimal))`` keeps cents."""
    if (
        ctx.client == "postgres" and ctx.target == "mysql"
        and to.this == exp.DataType.Type.DECIMAL and not to.expressions
    ):
        return exp.DataType.build("DECIMAL(65, 30)")
    return to


def _counts_rows(argument: exp.Expr) -> bool:
    """COUNT(*) and COUNT(<constant>) count rows (a literal is never NULL)."""
    return isinstance(argument, exp.Star | exp.Literal)


def _ordered_cubes(first: list[str], *expressions: exp.Expr | None) -> tuple[str, ...]:
    names = list(first)
    for expression in expressions:
        if expression is not None:
            names.extend(ref_key(r)[0] for r in row_refs(expression))
    return tuple(dict.fromkeys(names))


def _unique(expressions: list[exp.Expr]) -> list[exp.Expr]:
    unique: list[exp.Expr] = []
    for expression in expressions:
        if not any(expression == seen for seen in unique):
            unique.append(expression)
    return unique


def _check_grouped(
    expression: exp.Expr, groups: tuple[exp.Expr, ...] | list[exp.Expr],
    where: str,
) -> None:
    """Every dimension outside an aggregate must be (inside) a grouped expression."""
    if any(expression == group for group in groups):
        return
    if is_row(expression):
        cube, member = ref_key(expression)
        raise NotSupported(
            f"{where}: {cube}.{member} must appear in GROUP BY"
            " or be used in an aggregate",
            hint="select it, add it to GROUP BY, or drop the explicit GROUP BY",
        )
    for child in expression.iter_expressions():
        if not has_measure(child) or has_row(child):
            _check_grouped(child, groups, where)


def _limit_value(node: exp.Expr | None) -> exp.Expr | None:
    return None if node is None else row_count(node)


def row_count(node: exp.Expr) -> exp.Expr | None:
    """The row count of a LIMIT/OFFSET/FETCH node (its form checked by validate.py): a copy of
    the literal or parameter, a cast to an integer type dropped; None for LIMIT NULL/ALL."""
    if isinstance(node, exp.Fetch):
        value = node.args.get("count") or exp.Literal.number(1)
    else:
        value = node.args.get("expression") or node.this
    if not isinstance(value, exp.Expr) or not is_row_count(value):
        raise NotSupported(f"{node.key.upper()} must be a non-negative integer or a parameter")
    if isinstance(value, exp.Cast):
        value = value.this
    if isinstance(value, exp.Null):
        return None
    return value.copy()


def _function_name(node: exp.Expr) -> str:
    return node.sql_name() if isinstance(node, exp.Func) else node.key.upper()


def _cubes_used(
    ctx: Context, outputs: list[OutputItem], where: exp.Expr | None, having: exp.Expr | None,
    order: list[OrderItem], groups: list[exp.Expr],
) -> set[str]:
    expressions = [o.expression for o in outputs] + [o.expression for o in order] + groups
    expressions += [e for e in (where, having) if e is not None]
    used: set[str] = set()
    while expressions:
        expression = expressions.pop()
        for node in all_refs(expression):
            key = ref_key(node)
            aggregate = ctx.aggregates.get(key) if is_measure(node) else None
            if aggregate is None:
                used.update(ctx.index.cubes_referenced(*key))
                continue
            # An ad-hoc aggregate reads the cubes of its expressions (and of its measure).
            used.add(aggregate.cube)
            if aggregate.measure is not None:
                used.update(ctx.index.cubes_referenced(aggregate.cube, aggregate.measure))
            expressions.extend(e for e in (aggregate.value, aggregate.condition) if e is not None)
    return used
