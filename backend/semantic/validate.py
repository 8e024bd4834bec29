"""Validation of a ModelSet: every problem at once, each with its file, line, cube and member.

``load_models`` is the one entry point the rest of the platform uses: YAML text in, a valid
ModelSet out, or ``ModelValidationFailed`` listing every problem. ``check_models`` is the same
without raising (for a "validate" button), and ``validate_models`` checks an already loaded
ModelSet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Literal

from backend.core.errors import ModelValidationFailed
from backend.semantic.columns import ColumnUse, columns_in
from backend.semantic.limits import DEFAULT_LIMITS, YamlLimits
from backend.semantic.loader import read_models
from backend.semantic.model import (
    DIMENSION_TYPES,
    MEASURE_TYPES,
    Cube,
    Dimension,
    Measure,
    ModelSet,
    Segment,
    SourcePosition,
)
from backend.semantic.problems import Problem, did_you_mean
from backend.semantic.references import (
    SELF_KEYWORDS,
    UNSUPPORTED_CONTEXTS,
    bare_column,
    column_after,
    find_references,
)

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
RELATIONSHIPS = ("many_to_one", "one_to_many", "one_to_one")

# What a snippet is, which decides which members it may reference.
_Context = Literal["dimension", "aggregate", "number", "filter", "segment", "join", "cube"]
_NodeKey = tuple[str, str]  # (cube, member)


def load_models(
    files: Mapping[str, str], *, columns: Mapping[str, Set[str]] | None = None,
    limits: YamlLimits = DEFAULT_LIMITS,
) -> ModelSet:
    """Load and validate model files ({file name: YAML text}).

    ``columns`` optionally gives the known columns of each source table (``{"public.orders":
    {"id", "amount"}}``); with it, references to missing tables and columns are reported too.
    Raises ``ModelValidationFailed`` whose ``problems`` is the list of every ``Problem``, or
    ``LimitExceeded`` when the YAML is larger than ``limits`` allow (nothing else is checked).
    """
    models, problems = check_models(files, columns=columns, limits=limits)
    if problems:
        raise ModelValidationFailed(
            list(problems),
            message=f"{len(problems)} problem(s) in the model files; first: {problems[0]}",
        )
    return models


def check_models(
    files: Mapping[str, str], *, columns: Mapping[str, Set[str]] | None = None,
    limits: YamlLimits = DEFAULT_LIMITS,
) -> tuple[ModelSet, list[Problem]]:
    """Like ``load_models`` but returns the problems (sorted by file and line) instead."""
    parsed = read_models(files, limits=limits)
    problems = parsed.problems + _Validator(parsed.models, columns, parsed.invalid_fields,
                                            parsed.unreadable_files).run()
    return parsed.models, sorted(problems, key=Problem.sort_key)


def validate_models(
    models: ModelSet, *, columns: Mapping[str, Set[str]] | None = None
) -> list[Problem]:
    """Every semantic problem of a loaded ModelSet, in definition order."""
    return _Validator(models, columns, frozenset()).run()


@dataclass(frozen=True)
class _Table:
    name: str
    columns: frozenset[str]  # as the source spells them
    lower: frozenset[str]

    def has(self, column: str, quoted: bool) -> bool:
        return column in self.columns if quoted else column.lower() in self.lower


class _Validator:
    def __init__(
        self, models: ModelSet, columns: Mapping[str, Set[str]] | None,
        invalid: frozenset[tuple[str | None, str | None, str]],
        unreadable_files: frozenset[str] = frozenset(),
    ):
        self.models = models
        self.invalid = invalid
        # While a file cannot be parsed its cubes are unknown: a reference to a missing cube
        # may name one of them, so it is not reported (the syntax error is, and blocks saving).
        self.cubes_known = not unreadable_files
        self.tables = None if columns is None else _TableIndex(columns)
        self.problems: list[Problem] = []
        self.edges: dict[_NodeKey, list[_NodeKey]] = {}

    def missing(self, cube: str, member: str | None, *fields: str) -> bool:
        """True unless the loader already reported one of these fields as unreadable."""
        return not any((cube, member, f) in self.invalid for f in fields)

    def report(
        self, position: SourcePosition | None, cube: str | None, member: str | None,
        message: str,
    ) -> None:
        file, line = (position.file, position.line) if position else ("<model>", 0)
        self.problems.append(Problem(file, line, cube, member, message))

    def run(self) -> list[Problem]:
        for cube in self.models:
            self.cube(cube)
        self.cycles()
        return self.problems

    # --- definitions -------------------------------------------------------------------------

    def cube(self, cube: Cube) -> None:
        pos = cube.position
        self.identifier(pos, cube.name, None, cube.name, "cube")
        has_table, has_sql = bool((cube.sql_table or "").strip()), bool((cube.sql or "").strip())
        if not has_table and not has_sql and self.missing(cube.name, None, "sql_table", "sql"):
            self.report(pos, cube.name, None, "cube needs sql_table or sql")
        elif has_table and has_sql:
            self.report(pos, cube.name, None, "cube has both sql_table and sql; keep one")
        if has_sql:
            self.snippet(cube, None, pos, cube.sql or "", "cube")
        self.table_of(cube, report=True)  # reports an unknown table once

        seen: dict[str, SourcePosition | None] = {}
        members: list[Dimension | Measure | Segment] = [
            *cube.dimensions, *cube.measures, *cube.segments
        ]
        for m in members:
            self.identifier(m.position, cube.name, m.name, m.name, "member")
            if m.name in seen:
                first = seen[m.name]
                where = f" (first defined at line {first.line})" if first else ""
                self.report(m.position, cube.name, m.name, f"duplicate member name {m.name}{where}")
            else:
                seen[m.name] = m.position

        for d in cube.dimensions:
            self.dimension(cube, d)
        for measure in cube.measures:
            self.measure(cube, measure)
        for s in cube.segments:
            if not s.sql.strip() and self.missing(cube.name, s.name, "sql"):
                self.report(s.position, cube.name, s.name, "segment has no sql")
            self.columns(cube, s.name, s.position, s.sql)
            self.snippet(cube, s.name, s.position, s.sql, "segment")
        self.joins(cube)

    def dimension(self, cube: Cube, d: Dimension) -> None:
        if not d.type:
            if self.missing(cube.name, d.name, "type"):
                self.report(d.position, cube.name, d.name, "dimension has no type")
        elif d.type not in DIMENSION_TYPES:
            self.report(d.position, cube.name, d.name,
                        f"unknown dimension type {d.type} (expected {_choices(DIMENSION_TYPES)})")
        if not d.sql.strip():
            if self.missing(cube.name, d.name, "sql"):
                self.report(d.position, cube.name, d.name, "dimension has no sql")
            return
        self.columns(cube, d.name, d.position, d.sql)
        self.snippet(cube, d.name, d.position, d.sql, "dimension")

    def measure(self, cube: Cube, m: Measure) -> None:
        if not m.type:
            if self.missing(cube.name, m.name, "type"):
                self.report(m.position, cube.name, m.name, "measure has no type")
        elif m.type not in MEASURE_TYPES:
            self.report(m.position, cube.name, m.name,
                        f"unknown measure type {m.type} (expected {_choices(MEASURE_TYPES)})")
        sql = (m.sql or "").strip()
        if not sql and m.type != "count" and self.missing(cube.name, m.name, "sql"):
            self.report(m.position, cube.name, m.name,
                        f"measure of type {m.type or '(none)'} needs sql")
        if sql:
            context: _Context = "number" if m.type == "number" else "aggregate"
            if context == "aggregate":
                self.columns(cube, m.name, m.position, sql)
            self.snippet(cube, m.name, m.position, sql, context)
        for condition in m.filters:
            self.columns(cube, m.name, m.position, condition)
            self.snippet(cube, m.name, m.position, condition, "filter")

    def joins(self, cube: Cube) -> None:
        seen: set[str] = set()
        for j in cube.joins:
            where = (j.position, cube.name, j.name)
            if j.name in seen:
                self.report(*where, f"duplicate join to {j.name}")
            seen.add(j.name)
            if not j.relationship:
                if self.missing(cube.name, j.name, "relationship"):
                    self.report(*where, "join has no relationship")
            elif j.relationship not in RELATIONSHIPS:
                self.report(*where, f"unknown relationship {j.relationship} "
                                    f"(expected {_choices(RELATIONSHIPS)})")
            if not j.sql.strip() and self.missing(cube.name, j.name, "sql"):
                self.report(*where, "join has no sql")
            if j.name == cube.name:
                self.report(*where, "a cube cannot join itself")
            elif self.models.get(j.name) is None:
                # Its sql is not checked: it would only repeat that {j.name} is unknown.
                hint = did_you_mean(j.name, self.models.cubes)
                if self.cubes_known:
                    self.report(*where, f"join to unknown cube {j.name}{hint}")
            elif j.sql.strip():
                self.columns(cube, j.name, j.position, j.sql)
                self.snippet(cube, j.name, j.position, j.sql, "join")

    def identifier(
        self, pos: SourcePosition | None, cube: str | None, member: str | None, name: str,
        kind: str,
    ) -> None:
        if not IDENTIFIER.match(name):
            self.report(pos, cube, member,
                        f"invalid {kind} name {name!r}: names must match "
                        "[A-Za-z_][A-Za-z0-9_]*")
        elif name in SELF_KEYWORDS:
            self.report(pos, cube, member, f"{name} is reserved and cannot be a {kind} name")

    # --- sql snippets ------------------------------------------------------------------------

    def snippet(
        self, cube: Cube, member: str | None, pos: SourcePosition | None, sql: str,
        context: _Context,
    ) -> None:
        """Check the references of one snippet and record its edges for cycle detection."""
        for ref in find_references(sql):
            text = "{" + ".".join(ref.path) + "}"
            head = ref.path[0]
            if head in UNSUPPORTED_CONTEXTS:
                self.report(pos, cube.name, member, f"{head} is not supported (in {text})")
                continue
            if len(ref.path) == 1:
                if head in SELF_KEYWORDS:
                    continue
                if cube.member(head) is not None:
                    self.member_ref(cube, member, pos, cube, head, context)
                    continue
                other = self.models.get(head)
                if other is None and self.cubes_known:
                    self.report(pos, cube.name, member,
                                f"unknown reference {text}: no member {head} in cube "
                                f"{cube.name} and no cube {head}"
                                f"{did_you_mean(head, [*_member_names(cube), *self.models.cubes])}")
                continue
            target_cube: Cube | None = cube if head in SELF_KEYWORDS else None
            path = ref.path[1:] if target_cube is not None else ref.path
            for part in path[:-1]:
                target_cube = self.models.get(part)
                if target_cube is None:
                    hint = did_you_mean(part, self.models.cubes)
                    if self.cubes_known:
                        self.report(pos, cube.name, member,
                                    f"unknown cube {part} in {text}{hint}")
                    break
            else:
                assert target_cube is not None
                name = path[-1]
                if target_cube.member(name) is None:
                    self.report(pos, cube.name, member,
                                f"unknown member {name} of cube {target_cube.name} in {text}"
                                f"{did_you_mean(name, _member_names(target_cube))}")
                else:
                    self.member_ref(cube, member, pos, target_cube, name, context)

    def member_ref(
        self, cube: Cube, member: str | None, pos: SourcePosition | None, target: Cube,
        name: str, context: _Context,
    ) -> None:
        shown = name if target is cube else f"{target.name}.{name}"
        is_measure = target.measure(name) is not None
        is_segment = target.segment(name) is not None
        if context == "number":
            if not is_measure:
                kind = "segment" if is_segment else "dimension"
                self.report(pos, cube.name, member,
                            f"a number measure can only reference measures; {shown} is a {kind}")
        elif is_segment:
            self.report(pos, cube.name, member, f"{shown} is a segment and cannot be referenced")
        elif is_measure:
            hint = {
                "dimension": "a dimension cannot reference a measure",
                "aggregate": "an aggregate measure cannot reference a measure; "
                             "use type: number for formulas over measures",
            }.get(context, "only dimensions can be referenced here")
            self.report(pos, cube.name, member, f"{hint} ({shown})")
        if member is not None and context in ("dimension", "aggregate", "number"):
            self.edges.setdefault((cube.name, member), []).append((target.name, name))

    # --- columns -----------------------------------------------------------------------------

    def table_of(self, cube: Cube, *, report: bool = False) -> _Table | None:
        if self.tables is None or not cube.sql_table or cube.sql:
            return None
        table = self.tables.find(cube.sql_table)
        if table is None and report:
            self.report(cube.position, cube.name, None, f"unknown table {cube.sql_table}")
        return table

    def columns(
        self, cube: Cube, member: str, pos: SourcePosition | None, sql: str
    ) -> None:
        """With known columns: every column the snippet reads must exist in its table."""
        if self.tables is None:
            return
        bare = bare_column(sql)
        uses = [ColumnUse(None, bare[1], bare[0])] if bare else columns_in(
            sql, _member_names(cube), self.models.cubes
        )
        if uses is None:  # not parseable: check what is visible without parsing
            uses = []
            for ref in find_references(sql):
                head = ref.path[0]
                after = column_after(sql, ref.end) if len(ref.path) == 1 else None
                if after is not None and (head in SELF_KEYWORDS or head in self.models.cubes):
                    owner = None if head in SELF_KEYWORDS else head
                    uses.append(ColumnUse(owner, after[1], after[0]))
        for use in uses:
            target = cube if use.cube is None else self.models.get(use.cube)
            table = self.table_of(target) if target is not None else None
            if table is not None and not table.has(use.name, use.quoted):
                self.unknown_column(cube, member, pos, use.name, table)

    def unknown_column(
        self, cube: Cube, member: str | None, pos: SourcePosition | None, column: str,
        table: _Table,
    ) -> None:
        hint = did_you_mean(column, table.columns)
        self.report(pos, cube.name, member, f"unknown column {column} in table {table.name}{hint}")

    # --- cycles ------------------------------------------------------------------------------

    def cycles(self) -> None:
        """Report each cycle of references among dimensions and measures once."""
        state: dict[_NodeKey, int] = {}  # 1 = on the current path, 2 = done
        reported: set[frozenset[_NodeKey]] = set()
        for start in self.edges:
            if state.get(start):
                continue
            path: list[_NodeKey] = [start]
            stack = [iter(self.edges.get(start, ()))]
            state[start] = 1
            while stack:
                nxt = next(stack[-1], None)
                if nxt is None:
                    state[path.pop()] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    self.report_cycle(path[path.index(nxt):], reported)
                elif not state.get(nxt):
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(self.edges.get(nxt, ())))

    def report_cycle(self, cycle: list[_NodeKey], reported: set[frozenset[_NodeKey]]) -> None:
        key = frozenset(cycle)
        if key in reported:
            return
        reported.add(key)
        cube_name, member_name = cycle[0]
        cube = self.models.get(cube_name)
        member = cube.member(member_name) if cube else None
        kinds = {
            "measure" if (c := self.models.get(cn)) and c.measure(mn) else "dimension"
            for cn, mn in cycle
        }
        kind = kinds.pop() if len(kinds) == 1 else "member"
        chain = " -> ".join(f"{cn}.{mn}" for cn, mn in [*cycle, cycle[0]])
        self.report(member.position if member else None, cube_name, member_name,
                    f"cycle in {kind} references: {chain}")


class _TableIndex:
    """Known source tables, found by qualified name or, when unambiguous, by bare name.

    An exact spelling wins; otherwise names match case-insensitively, because engines disagree
    on how they fold unquoted names.
    """

    def __init__(self, columns: Mapping[str, Set[str]]):
        self.exact: dict[tuple[str, ...], _Table] = {}
        self.folded: dict[tuple[str, ...], list[_Table]] = {}
        self.by_last: dict[str, list[_Table]] = {}
        for name, cols in columns.items():
            table = _Table(name, frozenset(cols), frozenset(c.lower() for c in cols))
            parts = tuple(split_identifier_path(name))
            self.exact[parts] = table
            self.folded.setdefault(_fold(parts), []).append(table)
            self.by_last.setdefault(parts[-1].lower(), []).append(table)

    def find(self, sql_table: str) -> _Table | None:
        parts = tuple(split_identifier_path(sql_table))
        if parts in self.exact:
            return self.exact[parts]
        folded = self.folded.get(_fold(parts), [])
        if len(folded) == 1:
            return folded[0]
        # An unqualified name on either side matches when only one table has that name.
        candidates = self.by_last.get(parts[-1].lower(), [])
        if len(candidates) == 1 and (
            len(parts) == 1 or len(split_identifier_path(candidates[0].name)) == 1
        ):
            return candidates[0]
        return None


def _fold(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.lower() for p in parts)


_CLOSING = {'"': '"', "`": "`", "[": "]"}


def split_identifier_path(text: str) -> list[str]:
    """``public."Order Lines"`` → ``["public", "Order Lines"]`` (quotes removed, ``""`` undone)."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _CLOSING:
            close = _CLOSING[ch]
            i += 1
            while i < len(text):
                if text[i] == close:
                    if text[i + 1:i + 2] == close:  # a doubled quote stands for itself
                        current.append(close)
                        i += 2
                        continue
                    break
                current.append(text[i])
                i += 1
        elif ch == ".":
            parts.append("".join(current))
            current = []
        elif not ch.isspace():  # outside quotes, whitespace only separates
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _member_names(cube: Cube) -> list[str]:
    return [m.name for group in (cube.dimensions, cube.measures, cube.segments) for m in group]


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1]
