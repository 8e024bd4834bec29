"""How long a value can the client's statement build? Bounded before anything runs.

Input and output bounds (``limits``) bound the statement, not its values: ``LPAD(name,
200000000)`` is 30 bytes, and ``s || s`` per CTE level doubles a value per level. DuckDB and
SQLite sources run inside the gateway's process, and DuckDB builds such values outside its
``memory_limit`` and without checking for an interrupt (1.3 GB for that LPAD); a PostgreSQL
source builds up to 1 GB and sends it back to the gateway. So every expression of the
(allowlisted, normalised) client statement gets an upper bound on its length, in characters,
of the form ``factor * V + chars``, V being the longest value the data source holds (a cube
column or a parameter): a statement may build values of at most ``MAX_VALUE_CHARS`` plus
``MAX_VALUE_FACTOR`` stored values. Columns of subqueries and CTEs carry the bounds of what
they select, so multiplying across levels is seen. The node types that can make a value
longer than their inputs are listed in ``GROWING`` (a test keeps the allowlist in step); all
others are at most as long as their longest argument (or are numbers, dates, booleans).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope, walk_in_scope

from backend.core.errors import ValueTooLarge

from .functions import written

# Characters a statement may add to a value beyond its own text (LPAD's width, a padded CHAR).
# DuckDB computes 2,048 rows at a time per thread, outside its memory limit: 2,048 values of
# 8,192 four-byte characters are 64 MB.
MAX_VALUE_CHARS = 8_192
# Stored values one value may be built from (concatenation, REPLACE with a longer string).
MAX_VALUE_FACTOR = 64


@dataclass(frozen=True)
class Size:
    """At most ``factor * V + chars`` characters."""

    factor: int
    chars: int

    def __add__(self, other: Size) -> Size:
        return Size(self.factor + other.factor, self.chars + other.chars)

    def __mul__(self, times: int) -> Size:
        return Size(self.factor * times, self.chars * times)

    def max(self, other: Size) -> Size:
        return Size(max(self.factor, other.factor), max(self.chars, other.chars))


STORED = Size(1, 0)  # a value read from the data source (or sent as a parameter)
NOTHING = Size(0, 0)
SCALAR = Size(0, 64)  # a number, date, time or boolean, as text

# Node types whose value can be longer than their longest argument; each has a rule below.
GROWING: frozenset[type[exp.Expr]] = frozenset({
    exp.Pad, exp.Replace, exp.DPipe, exp.Concat, exp.ConcatWs, exp.Cast, exp.TryCast,
    exp.TimeToStr, exp.Literal, exp.Column, exp.Placeholder, exp.Subquery,
})
# The other node types the allowlist admits: at most as long as their longest argument (Lower,
# Substring, Coalesce, Min, Lag, ...), or a number, date, time or boolean.
BOUNDED_BY_ARGUMENTS: frozenset[type[exp.Expr]] = frozenset({
    exp.Abs, exp.Add, exp.Alias, exp.And, exp.Avg, exp.Between, exp.Boolean, exp.Case,
    exp.Ceil, exp.Coalesce, exp.Collate, exp.Count, exp.CumeDist, exp.CurrentDate,
    exp.CurrentTime, exp.CurrentTimestamp, exp.DataType, exp.DataTypeParam, exp.DateAdd,
    exp.DateFromParts, exp.DateTrunc, exp.DenseRank, exp.Distinct, exp.Div, exp.EQ,
    exp.Escape, exp.Exp, exp.Extract, exp.FirstValue, exp.Floor, exp.GT, exp.GTE,
    exp.Greatest, exp.ILike, exp.Identifier, exp.If, exp.In, exp.Initcap, exp.IntDiv, exp.Is,
    exp.LT, exp.LTE, exp.Lag, exp.LastValue, exp.Lead, exp.Least, exp.Left, exp.Length,
    exp.Like, exp.Ln, exp.Lower, exp.Max, exp.Min, exp.Mod, exp.Mul, exp.NEQ, exp.Neg,
    exp.Not, exp.NthValue, exp.Ntile, exp.Null, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Nullif,
    exp.Or, exp.Ordered, exp.Paren, exp.PercentRank, exp.Pow, exp.Rank, exp.RegexpILike,
    exp.RegexpLike, exp.Reverse, exp.Right, exp.Round, exp.RowNumber, exp.Sign,
    exp.SplitPart, exp.Sqrt, exp.Star, exp.Stddev, exp.StddevPop, exp.StddevSamp,
    exp.StrPosition, exp.StrToDate, exp.StrToTime, exp.Sub, exp.Substring,
    exp.SubstringIndex, exp.Sum, exp.TimestampTrunc, exp.Trim, exp.Trunc, exp.Tuple,
    exp.Upper, exp.Var, exp.Variance, exp.VariancePop,
})  # fmt: skip
# Of those, the ones whose value is a number, date, time or boolean whatever their arguments.
SCALAR_RESULTS: frozenset[type[exp.Expr]] = frozenset({
    exp.Abs, exp.Add, exp.And, exp.Avg, exp.Between, exp.Boolean, exp.Ceil, exp.Count,
    exp.CumeDist, exp.CurrentDate, exp.CurrentTime, exp.CurrentTimestamp, exp.DateAdd,
    exp.DateFromParts, exp.DateTrunc, exp.DenseRank, exp.Div, exp.EQ, exp.Exp, exp.Extract,
    exp.Floor, exp.GT, exp.GTE, exp.ILike, exp.In, exp.IntDiv, exp.Is, exp.LT, exp.LTE,
    exp.Length, exp.Like, exp.Ln, exp.Mod, exp.Mul, exp.NEQ, exp.Not, exp.Ntile, exp.Null,
    exp.NullSafeEQ, exp.NullSafeNEQ, exp.Or, exp.PercentRank, exp.Pow, exp.Rank,
    exp.RegexpILike, exp.RegexpLike, exp.Round, exp.RowNumber, exp.Sign, exp.Sqrt,
    exp.Stddev, exp.StddevPop, exp.StddevSamp, exp.StrPosition, exp.StrToDate,
    exp.StrToTime, exp.Sub, exp.Sum, exp.TimestampTrunc, exp.Trunc, exp.Variance,
    exp.VariancePop, exp.Escape,
})  # fmt: skip
_NOT_VALUES = (exp.DataType, exp.Var, exp.Identifier, exp.TableAlias, exp.Star)


def check_value_sizes(statement: exp.Expr, text_chars: int) -> None:
    """Raise ``ValueTooLarge`` when some expression of the statement (``text_chars`` long) can
    build a value past the bounds. A literal is as long as the statement makes it, except as an
    output column (every row holds it)."""
    _Sizes(statement, text_chars).check()


class _Sizes:
    def __init__(self, statement: exp.Expr, text_chars: int):
        self.max_chars = MAX_VALUE_CHARS
        self.text_chars = max(MAX_VALUE_CHARS, text_chars)
        self.scopes = traverse_scope(statement)  # children before the scopes that use them
        self.by_query: dict[int, Scope] = {id(s.expression): s for s in self.scopes}
        self.projections: dict[int, list[tuple[str, Size]]] = {}
        self.memo: dict[int, Size] = {}

    def check(self) -> None:
        for scope in self.scopes:
            query = scope.expression
            if isinstance(query, exp.SetOperation):
                self.projections[id(scope)] = self._set_operation(scope)
                continue
            for node in walk_in_scope(query):
                if node is not query and not isinstance(node, _NOT_VALUES):
                    self.size(node, scope)
            selects = query.selects if isinstance(query, exp.Query) else []
            projections = [(item, self._projection(item, scope)) for item in selects]
            for item, size in projections:  # each output row holds it: no literal exempt
                self._within_bounds(item, size, self.max_chars)
            self.projections[id(scope)] = [
                (item.alias_or_name.lower(), size) for item, size in projections
            ]

    def _set_operation(self, scope: Scope) -> list[tuple[str, Size]]:
        branches = [self.projections.get(id(s), []) for s in scope.set_operation_scopes]
        if not branches or not branches[0]:
            return []
        out = list(branches[0])
        for other in branches[1:]:
            for i, (_, size) in enumerate(other[: len(out)]):
                out[i] = (out[i][0], out[i][1].max(size))
        return out

    def _projection(self, item: exp.Expr, scope: Scope) -> Size:
        if isinstance(item, exp.Star) or (isinstance(item, exp.Column)
                                          and isinstance(item.this, exp.Star)):
            return self._all_sources(scope)
        return self.size(item, scope)

    # --- one expression ------------------------------------------------------------------------

    def size(self, node: exp.Expr, scope: Scope) -> Size:
        known = self.memo.get(id(node))
        if known is None:
            known = self.memo[id(node)] = self._size(node, scope)
            # a literal (or a cast of one) is as long as the client wrote it: paid for by the
            # statement's length, unless an output column repeats it on every row
            written_out = _constant(node)
            self._within_bounds(node, known, self.text_chars if written_out else self.max_chars)
        return known

    def _args(self, node: exp.Expr, scope: Scope) -> list[Size]:
        return [self.size(child, scope) for child in node.iter_expressions()
                if not isinstance(child, _NOT_VALUES)]

    def _size(self, node: exp.Expr, scope: Scope) -> Size:
        if isinstance(node, exp.Literal):
            return Size(0, len(node.this))
        if type(node) in SCALAR_RESULTS:
            return SCALAR  # its arguments are checked as expressions of their own
        if isinstance(node, exp.Placeholder | exp.Parameter):
            return STORED
        if isinstance(node, exp.Column):
            return self._column(node, scope)
        if isinstance(node, exp.Subquery | exp.Query):
            inner = self.by_query.get(id(node.this if isinstance(node, exp.Subquery) else node))
            sizes = self.projections.get(id(inner), []) if inner is not None else []
            return _largest(s for _, s in sizes) if sizes else STORED
        if isinstance(node, exp.Pad):
            return self._pad(node, scope)
        if isinstance(node, exp.Replace):
            return self._replace(node, scope)
        if isinstance(node, exp.DPipe | exp.Concat):
            return _sum(self._args(node, scope))
        if isinstance(node, exp.ConcatWs):
            separator, *values = [self.size(v, scope) for v in node.expressions]
            return _sum(values) + separator * max(0, len(values) - 1)
        if isinstance(node, exp.Cast | exp.TryCast):
            return self._cast(node, scope)
        if isinstance(node, exp.TimeToStr):
            # every format element is at most a month's name: 16 characters is generous
            return self.size(node.args["format"], scope) * 16
        args = self._args(node, scope)
        return _largest(args) if args else NOTHING

    def _column(self, node: exp.Column, scope: Scope) -> Size:
        """A column is as long as what its relation selects under that name: a cube's column
        (a table) holds stored values; a subquery's or CTE's carries its projection's bound."""
        name, table = node.name.lower(), node.table
        current: Scope | None = scope
        while current is not None:
            sources = current.selected_sources
            if table:
                if table in sources:
                    return self._from_source(sources[table][1], name)
            elif sources:
                sizes = [self._from_source(source, name) for _, source in sources.values()]
                return _largest(sizes)
            current = current.parent  # a correlated reference
        return STORED

    def _from_source(self, source: object, name: str) -> Size:
        if not isinstance(source, Scope):
            return STORED  # a cube (table)
        projections = self.projections.get(id(source), [])
        named = [size for alias, size in projections if alias == name]
        if named:
            return named[0]
        # renamed by a column list (t(a, b)), or not selected: the largest it selects
        return _largest(size for _, size in projections) if projections else STORED

    def _all_sources(self, scope: Scope) -> Size:
        sizes = [self._from_source(source, "") for _, source in scope.selected_sources.values()]
        return _largest(sizes) if sizes else NOTHING

    def _pad(self, node: exp.Pad, scope: Scope) -> Size:
        width = node.expression
        if isinstance(width, exp.Neg) and _is_integer(width.this):
            return NOTHING  # a negative width pads to ''
        if not _is_integer(width):
            raise ValueTooLarge(
                f"the length of {written(node)}() must be an integer literal",
                hint=f"write the width as a number of at most {MAX_VALUE_CHARS} "
                     "(MAX_VALUE_CHARS)",
            )
        self._args(node, scope)  # its value and fill are checked as expressions too
        return Size(0, int(width.this))

    def _replace(self, node: exp.Replace, scope: Scope) -> Size:
        value = self.size(node.this, scope)
        pattern = node.expression
        replacement = node.args.get("replacement")
        into = self.size(replacement, scope) if replacement is not None else NOTHING
        if pattern is not None:
            self.size(pattern, scope)
        # n occurrences of a pattern of length p in a value of length L: n <= L / p, and the
        # result is L + n * (len(into) - p) <= L * max(1, len(into) / p)
        shortest = len(pattern.this) if (isinstance(pattern, exp.Literal) and pattern.is_string
                                         and pattern.this) else 1
        if into.factor == 0:
            return value * max(1, -(-into.chars // shortest))
        if value.factor == 0:
            return value + into * value.chars
        raise ValueTooLarge(
            f"{written(node)}() with a replacement taken from the data can build a value as "
            "long as two stored values multiplied",
            hint="replace with a constant string",
        )

    def _cast(self, node: exp.Cast, scope: Scope) -> Size:
        value = self.size(node.this, scope)
        to = node.args.get("to")
        if isinstance(to, exp.DataType) and to.this == exp.DataType.Type.CHAR and to.expressions:
            width = to.expressions[0]
            inner = width.this if isinstance(width, exp.DataTypeParam) else width
            if _is_integer(inner):  # PostgreSQL pads CHAR(n) to n characters
                return value.max(Size(0, int(inner.this)))
        return value

    def _within_bounds(self, node: exp.Expr, size: Size, max_chars: int) -> None:
        if size.chars > max_chars:
            raise ValueTooLarge(
                f"{_what(node)} can build a value of {size.chars} characters, more than "
                f"{MAX_VALUE_CHARS} (MAX_VALUE_CHARS)",
                hint="ask for shorter values: a smaller width, fewer repetitions",
            )
        if size.factor > MAX_VALUE_FACTOR:
            raise ValueTooLarge(
                f"{_what(node)} can build a value {size.factor} times as long as a stored "
                f"value, more than {MAX_VALUE_FACTOR} (MAX_VALUE_FACTOR)",
                hint="concatenation and REPLACE over several subquery or CTE levels multiply "
                     "a value's length; build it in fewer steps",
            )


def _constant(node: exp.Expr) -> bool:
    while isinstance(node, exp.Cast | exp.TryCast | exp.Paren):
        node = node.this
    return isinstance(node, exp.Literal)


def _is_integer(node: object) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit()


def _largest(sizes: Iterable[Size]) -> Size:
    out = NOTHING
    for size in sizes:
        out = out.max(size)
    return out


def _sum(sizes: list[Size]) -> Size:
    out = NOTHING
    for size in sizes:
        out = out + size
    return out


def _what(node: exp.Expr) -> str:
    if isinstance(node, exp.DPipe | exp.Concat):
        return "concatenation"
    if isinstance(node, exp.Func):
        return f"{written(node)}()"
    if isinstance(node, exp.Literal):
        return "a literal"
    return "an expression"
