"""GROUP BY ROLLUP / CUBE / GROUPING SETS, as a UNION ALL of one grouped query per set.

PostgreSQL computes each grouping set as its own grouping, with the keys outside the set NULL
in its rows and ``GROUPING(k, ...)`` telling which keys those are. The engine writes exactly
that: one branch per set, each an ordinary (fan-out safe) query over cubes grouped by the set,
with absent keys replaced by NULL outside aggregates and GROUPING() by its constant. It works
on every target (MySQL only has WITH ROLLUP; SQLite has none) and with any measure.
"""

from __future__ import annotations

from itertools import combinations, product

from sqlglot import exp

from backend.core.errors import NotSupported, SqlSyntaxError

MAX_GROUPING_SETS = 64

_SET_NODES = (exp.Rollup, exp.Cube, exp.GroupingSets)


def has_grouping_sets(select: exp.Select) -> bool:
    group = select.args.get("group")
    return group is not None and any(isinstance(e, _SET_NODES) for e in group.expressions)


def expand_grouping_sets(select: exp.Select) -> exp.Query:
    """``select`` as UNION [ALL] of one SELECT per grouping set, ordered and limited as the
    client's statement."""
    group = select.args["group"]
    items = [i.this if isinstance(i, exp.Alias) else i for i in select.expressions]
    choices: list[list[tuple[exp.Expr, ...]]] = []
    for node in group.expressions:
        if isinstance(node, exp.Rollup):
            if len(node.expressions) + 1 > MAX_GROUPING_SETS:  # its n+1 sets are O(n^2)
                raise _too_many()
            keys = [_key(k, items) for k in node.expressions]
            choices.append([tuple(keys[:n]) for n in range(len(keys), -1, -1)])
        elif isinstance(node, exp.Cube):
            if len(node.expressions) >= MAX_GROUPING_SETS.bit_length():  # before 2^n sets
                raise _too_many()
            keys = [_key(k, items) for k in node.expressions]
            choices.append([
                combo for n in range(len(keys), -1, -1) for combo in combinations(keys, n)
            ])
        elif isinstance(node, exp.GroupingSets):
            choices.append([_set(s, items) for s in node.expressions])
        else:
            choices.append([(_key(node, items),)])
    total = 1
    for choice in choices:
        total *= len(choice)
        if total > MAX_GROUPING_SETS:
            raise _too_many()
    sets: list[tuple[exp.Expr, ...]] = []
    for combination in product(*choices):
        chosen: list[exp.Expr] = []
        for part in combination:
            for key in part:
                if not any(key == k for k in chosen):
                    chosen.append(key)
        sets.append(tuple(chosen))
    every = _unique([k for s in sets for k in s])
    # The widest set first: its branch's column types name the result's.
    sets.sort(key=len, reverse=True)
    branches = [_branch(select, keys, every) for keys in sets]
    distinct = select.args.get("distinct") is not None
    query: exp.Query = branches[0]
    for branch in branches[1:]:
        query = exp.Union(this=query, expression=branch, distinct=distinct)
    if len(branches) == 1 and distinct:
        query.set("distinct", exp.Distinct())
    for clause in ("order", "limit", "offset"):
        value = select.args.get(clause)
        if value is not None:
            query.set(clause, value.copy())
    return query


def _too_many() -> NotSupported:
    return NotSupported(
        f"more than {MAX_GROUPING_SETS} grouping sets",
        hint="each grouping set is a query of its own; group by fewer sets",
    )


def _key(node: exp.Expr, items: list[exp.Expr]) -> exp.Expr:
    """A grouping key; a position names a select item."""
    node = node.unnest()
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        position = int(node.this)
        if not 1 <= position <= len(items):
            raise SqlSyntaxError(f"GROUP BY position {node.this} is not in select list")
        return items[position - 1].copy()
    return node


def _set(node: exp.Expr, items: list[exp.Expr]) -> tuple[exp.Expr, ...]:
    if isinstance(node, exp.Tuple):
        return tuple(_key(k, items) for k in node.expressions)
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.Tuple):
        return _set(node.this, items)
    return (_key(node, items),)


def _unique(keys: list[exp.Expr]) -> list[exp.Expr]:
    unique: list[exp.Expr] = []
    for key in keys:
        if not any(key == k for k in unique):
            unique.append(key)
    return unique


def _branch(select: exp.Select, keys: tuple[exp.Expr, ...], every: list[exp.Expr]) -> exp.Select:
    absent = [k for k in every if not any(k == present for present in keys)]
    branch = select.copy()
    for clause in ("order", "limit", "offset", "distinct"):
        branch.set(clause, None)
    branch.set("group", exp.Group(expressions=[k.copy() for k in keys]) if keys else None)

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Grouping):
            mask = 0
            for argument in node.expressions:
                mask = mask * 2 + (1 if any(argument == a for a in absent) else 0)
            return exp.Literal.number(mask)
        if isinstance(node, exp.AggFunc | exp.Filter | exp.Window) or (
            isinstance(node, exp.Anonymous) and node.name.upper() == "MEASURE"
        ):
            return node  # aggregates see the rows' own values
        if any(node == a for a in absent):
            return exp.Null()
        for key, value in list(node.args.items()):
            if isinstance(value, exp.Expr):
                node.set(key, rewrite(value))
            elif isinstance(value, list):
                node.set(key, [rewrite(v) if isinstance(v, exp.Expr) else v for v in value])
        return node

    expressions: list[exp.Expr] = []
    for item in branch.expressions:
        if isinstance(item, exp.Alias):
            item.set("this", rewrite(item.this))
            expressions.append(item)
        else:
            name: str | None = item.alias_or_name if isinstance(item, exp.Column) else None
            rewritten = rewrite(item)
            # Keep the client's column name where a key became NULL.
            expressions.append(exp.alias_(rewritten, name) if name and rewritten is not item
                               else rewritten)
    branch.set("expressions", expressions)
    having = branch.args.get("having")
    if having is not None:
        having.set("this", rewrite(having.this))
    return branch
