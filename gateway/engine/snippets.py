"""Model SQL snippets (``{CUBE}.status``, ``{amount} / NULLIF({count}, 0)``) as sqlglot trees.

Snippets are data-source SQL written by the model author, so they are parsed in the target
dialect. Within a compiled query every cube's table alias is the cube's own name, which makes
an expansion independent of the query and cacheable per model set and dialect
(:class:`ModelIndex`). Bare column names in a snippet belong to the snippet's own cube and are
qualified with its alias, so the same member stays unambiguous under any join.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from backend.core.errors import NotSupported
from backend.semantic.model import Cube, Dimension, Measure, ModelSet, Segment

from .refs import is_measure, measure_ref
from .types import TargetDialect

_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\}")
_MAX_DEPTH = 16


def atom(node: exp.Expr) -> exp.Expr:
    """``node`` wrapped in parentheses unless it is already a single term."""
    if isinstance(
        node, exp.Column | exp.Literal | exp.Func | exp.Paren | exp.Placeholder | exp.Boolean
    ) and not isinstance(node, exp.Binary):
        return node
    return exp.paren(node, copy=False)


def cube_alias(cube: str) -> exp.Identifier:
    return exp.to_identifier(cube, quoted=True)


class ModelSqlError(NotSupported):
    """A model snippet the engine cannot use (the loader's validation should have caught it)."""


@dataclass
class ModelIndex:
    """Parsed snippets of one model set for one target dialect; filled lazily."""

    models: ModelSet
    dialect: TargetDialect
    _members: dict[tuple[str, str], exp.Expr] = field(default_factory=dict)
    _formulas: dict[tuple[str, str], exp.Expr] = field(default_factory=dict)
    _joins: dict[tuple[str, int], exp.Expr] = field(default_factory=dict)
    _tables: dict[str, exp.Expr] = field(default_factory=dict)
    _referenced: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def cube(self, name: str) -> Cube:
        cube = self.models.get(name)
        if cube is None:
            raise ModelSqlError(f"the model refers to cube {name!r}, which does not exist")
        return cube

    # --- tables -----------------------------------------------------------------------------

    def table(self, cube_name: str) -> exp.Expr:
        """The cube's source as a FROM item aliased with the cube's name (a fresh copy)."""
        cached = self._tables.get(cube_name)
        if cached is None:
            cube = self.cube(cube_name)
            cached = self._parse_table(cube)
            self._tables[cube_name] = cached
        return cached.copy()

    def _parse_table(self, cube: Cube) -> exp.Expr:
        alias = exp.TableAlias(this=cube_alias(cube.name))
        if cube.sql_table:
            try:
                table = exp.to_table(cube.sql_table, dialect=self.dialect)
            except (ParseError, ValueError) as e:
                raise ModelSqlError(f"cube {cube.name}: sql_table cannot be parsed: {e}") from e
            table.set("alias", alias)
            return table
        if cube.sql:
            query = self._parse(cube, cube.sql, f"cube {cube.name} sql")
            if not isinstance(query, exp.Query):
                raise ModelSqlError(f"cube {cube.name}: sql is not a query")
            return exp.Subquery(this=query, alias=alias)
        raise ModelSqlError(f"cube {cube.name} has neither sql_table nor sql")

    # --- members ----------------------------------------------------------------------------

    def dimension_sql(self, cube_name: str, name: str) -> exp.Expr:
        """A dimension's SQL, or a segment's condition (segments are boolean dimensions)."""
        return self._member(cube_name, name, 0).copy()

    def cubes_referenced(self, cube_name: str, name: str) -> frozenset[str]:
        """The cubes whose tables a member's SQL (with its filters) reads: its own and any
        other it refers to (``{customers.country}``); those must be joined in too."""
        key = (cube_name, name)
        cached = self._referenced.get(key)
        if cached is None:
            cube = self.cube(cube_name)
            member = cube.member(name)
            trees: list[exp.Expr] = []
            if member is not None and member.sql is not None and not (
                isinstance(member, Measure) and member.type == "number"
            ):
                trees.append(self._member(cube_name, name, 0))
            if isinstance(member, Measure) and member.filters:
                filters = self.measure_filters(cube_name, member)
                if filters is not None:
                    trees.append(filters)
            found = {cube_name}
            for tree in trees:
                for column in tree.find_all(exp.Column):
                    if column.table and self.models.get(column.table) is not None:
                        found.add(column.table)
            cached = frozenset(found)
            self._referenced[key] = cached
        return cached

    def measure_input(self, cube_name: str, measure: Measure) -> exp.Expr | None:
        """The expression a non-number measure aggregates (None: ``COUNT(*)``)."""
        if measure.sql is None:
            return None
        return self._member(cube_name, measure.name, 0).copy()

    def measure_filters(self, cube_name: str, measure: Measure) -> exp.Expr | None:
        if not measure.filters:
            return None
        cube = self.cube(cube_name)
        parts = [self._expand(cube, f, f"{cube.name}.{measure.name} filter", 0)
                 for f in measure.filters]
        return exp.and_(*[exp.paren(p, copy=False) for p in parts], copy=False)

    def formula(self, cube_name: str, name: str) -> exp.Expr:
        """A ``number`` measure's formula with measure reference leaves (nested numbers
        expanded)."""
        key = (cube_name, name)
        cached = self._formulas.get(key)
        if cached is None:
            cached = self._formula(cube_name, name, 0)
            self._formulas[key] = cached
        return cached.copy()

    def join_condition(self, owner: str, index: int) -> exp.Expr:
        key = (owner, index)
        cached = self._joins.get(key)
        if cached is None:
            cube = self.cube(owner)
            join = cube.joins[index]
            cached = self._expand(cube, join.sql, f"join {owner} -> {join.name}", 0)
            self._joins[key] = cached
        return cached.copy()

    def _member(self, cube_name: str, name: str, depth: int) -> exp.Expr:
        key = (cube_name, name)
        cached = self._members.get(key)
        if cached is not None:
            return cached
        cube = self.cube(cube_name)
        member = cube.member(name)
        if member is None:
            raise ModelSqlError(f"the model refers to {cube_name}.{name}, which does not exist")
        if isinstance(member, Measure) and member.type == "number":
            raise ModelSqlError(f"{cube_name}.{name} is a number measure, used as a column")
        sql = _member_sql(member)
        if sql is None:
            raise ModelSqlError(f"{cube_name}.{name} has no sql")
        expression = self._expand(cube, sql, f"{cube_name}.{name}", depth)
        self._members[key] = expression
        return expression

    def _formula(self, cube_name: str, name: str, depth: int) -> exp.Expr:
        if depth > _MAX_DEPTH:
            raise ModelSqlError(f"{cube_name}.{name}: measure references are circular")
        cube = self.cube(cube_name)
        measure = cube.measure(name)
        if measure is None:
            raise ModelSqlError(
                f"the model refers to measure {cube_name}.{name}, which does not exist"
            )
        if measure.type != "number":
            return measure_ref(cube_name, name)
        if not measure.sql:
            raise ModelSqlError(f"number measure {cube_name}.{name} has no sql")

        def leaf(target_cube: str, target: str) -> exp.Expr:
            other = self.cube(target_cube)
            if other.measure(target) is None:
                raise ModelSqlError(
                    f"number measure {cube_name}.{name} refers to {target_cube}.{target}, "
                    "which is not a measure"
                )
            return atom(self._formula(target_cube, target, depth + 1))

        return self._substitute(cube, measure.sql, f"{cube_name}.{name}", leaf, allow_tables=False)

    def _expand(self, cube: Cube, sql: str, where: str, depth: int) -> exp.Expr:
        if depth > _MAX_DEPTH:
            raise ModelSqlError(f"{where}: member references are circular")

        def leaf(target_cube: str, target: str) -> exp.Expr:
            return atom(self._member(target_cube, target, depth + 1).copy())

        return self._substitute(cube, sql, where, leaf, allow_tables=True)

    def _substitute(
        self,
        cube: Cube,
        sql: str,
        where: str,
        leaf: Callable[[str, str], exp.Expr],
        *,
        allow_tables: bool,
    ) -> exp.Expr:
        refs: dict[str, tuple[str, str | None]] = {}

        def placeholder(match: re.Match[str]) -> str:
            token = f"__ref{len(refs)}__"
            refs[token] = (match.group(1), match.group(2))
            return token

        template = self._parse(cube, _REF.sub(placeholder, sql), where)

        def resolve(first: str, second: str | None) -> tuple[str, str | None]:
            """(cube, member) for a reference; member None means the cube's table alias."""
            if first == "CUBE":
                return cube.name, second
            if second is None:
                if cube.member(first) is not None:
                    return cube.name, first
                if self.models.get(first) is not None:
                    return first, None
                raise ModelSqlError(f"{where}: {{{first}}} is neither a member nor a cube")
            return first, second

        def replace(node: exp.Expr) -> exp.Expr:
            if not isinstance(node, exp.Column):
                return node
            table = node.table
            if table in refs:
                target_cube, member = resolve(*refs[table])
                if member is not None or not allow_tables:
                    raise ModelSqlError(f"{where}: cannot qualify a column with a member reference")
                return exp.Column(this=node.this, table=cube_alias(target_cube))
            if node.name in refs and not table:
                target_cube, member = resolve(*refs[node.name])
                if member is None:
                    raise ModelSqlError(f"{where}: a cube reference is used as a value")
                return leaf(target_cube, member)
            if not table and allow_tables:
                return exp.Column(this=node.this, table=cube_alias(cube.name))
            if not allow_tables:
                raise ModelSqlError(
                    f"{where}: a number measure may only refer to other measures ({node.sql()})"
                )
            return node

        return template.transform(replace, copy=False)

    def _parse(self, cube: Cube, sql: str, where: str) -> exp.Expr:
        try:
            return sqlglot.parse_one(sql, read=self.dialect)
        except (ParseError, ValueError) as e:
            raise ModelSqlError(f"{where}: the model SQL cannot be parsed: {e}") from e


def _member_sql(member: Dimension | Measure | Segment) -> str | None:
    return member.sql


def contains_measure_ref(expression: exp.Expr) -> bool:
    return any(is_measure(node) for node in expression.walk())


_INDEXES: OrderedDict[tuple[int, str], ModelIndex] = OrderedDict()
_INDEX_LIMIT = 64


def model_index(models: ModelSet, dialect: TargetDialect) -> ModelIndex:
    """The memoised :class:`ModelIndex` of a model set (compared by identity: ModelSets are
    immutable and a new model version is a new object)."""
    key = (id(models), dialect)
    index = _INDEXES.get(key)
    if index is not None and index.models is models:
        _INDEXES.move_to_end(key)
        return index
    index = ModelIndex(models, dialect)
    _INDEXES[key] = index
    while len(_INDEXES) > _INDEX_LIMIT:
        _INDEXES.popitem(last=False)
    return index
