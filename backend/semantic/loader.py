"""Cube-compatible YAML model files → ``ModelSet``, keeping where every definition was written.

The loader reads YAML through PyYAML's node API (``compose``) so that each cube, member and join
keeps its file and 1-based line. It accepts Cube's spellings: snake_case or camelCase keys
(``sql_table``/``sqlTable``, ``primary_key``/``primaryKey``), the Rails-style relationship
names, ``shown`` as the older ``public``, and members written either as a list of mappings with
``name`` (Cube's YAML) or as a mapping keyed by name (the shape of Cube's JavaScript models).

It reports only what it cannot represent in the dataclasses — YAML syntax, wrong shapes,
missing names, duplicate keys and cube names, unknown or unsupported fields — and otherwise
keeps values as written, however wrong, so that ``validate`` can report every remaining problem
(unknown types, bad references, cycles...) in one pass without cascades. Use
``backend.semantic.validate.load_models`` unless you want the unvalidated result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from backend.semantic.limits import DEFAULT_LIMITS, NodeBudget, YamlLimits
from backend.semantic.model import (
    RELATIONSHIP_ALIASES,
    Cube,
    Dimension,
    DimensionType,
    Join,
    Measure,
    MeasureType,
    ModelSet,
    Relationship,
    Segment,
    SourcePosition,
)
from backend.semantic.problems import Problem, did_you_mean

YAML_SUFFIXES = (".yml", ".yaml")

# libyaml's parser when PyYAML was built with it: ~10x faster on large model sets.
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")

# Fields we read, per kind of definition. Fields listed as ignored are Cube features that do
# not change what a query returns (caching, formatting, metadata); unsupported ones would, so
# they are refused rather than silently dropped.
_CUBE_FIELDS = frozenset(
    {"name", "sql_table", "sql", "title", "description", "public", "shown",
     "joins", "dimensions", "measures", "segments"}
)
_CUBE_IGNORED = frozenset(
    {"data_source", "refresh_key", "pre_aggregations", "meta", "sql_alias",
     "rewrite_queries", "hierarchies", "calendar"}
)
_CUBE_UNSUPPORTED = {
    "extends": "extends is not supported; copy the members into this cube",
    "access_policy": "access_policy is not supported; use the team's access lists",
}
_DIMENSION_FIELDS = frozenset(
    {"name", "sql", "type", "primary_key", "title", "description", "public", "shown"}
)
_DIMENSION_IGNORED = frozenset({"format", "meta", "granularities", "suggest_filter_values"})
_DIMENSION_UNSUPPORTED = {
    "case": "case dimensions are not supported; write a CASE expression in sql",
    "sub_query": "sub_query dimensions are not supported",
    "propagate_filters_to_sub_query": "sub_query dimensions are not supported",
}
_MEASURE_FIELDS = frozenset(
    {"name", "sql", "type", "title", "description", "public", "shown", "filters"}
)
_MEASURE_IGNORED = frozenset({"format", "meta", "drill_members"})
_MEASURE_UNSUPPORTED = {
    key: f"{key} measures are not supported"
    for key in ("rolling_window", "cumulative", "multi_stage", "time_shift", "group_by",
                "reduce_by", "add_group_by")
}
_SEGMENT_FIELDS = frozenset({"name", "sql", "title", "description", "public", "shown"})
_SEGMENT_IGNORED = frozenset({"meta"})
_JOIN_FIELDS = frozenset({"name", "relationship", "sql"})

_Entries = dict[str, tuple[Node, Node]]


@functools.lru_cache(maxsize=4096)  # the same few field names, many thousand times
def snake_case(key: str) -> str:
    """``sqlTable`` → ``sql_table``: Cube accepts both spellings for every field."""
    return _CAMEL_HUMP.sub(r"_\1", key).lower()


def parse_models(
    files: Mapping[str, str], *, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[ModelSet, list[Problem]]:
    """Read every file (in file-name order) into one ModelSet, with the problems found.

    The ModelSet may still hold invalid values (an unknown type, a dangling reference) until
    ``backend.semantic.validate`` has checked it. Raises ``LimitExceeded`` when a file is
    larger, deeper or expands to more nodes than ``limits`` allow.
    """
    parsed = read_models(files, limits=limits)
    return parsed.models, parsed.problems


@dataclass(frozen=True)
class ParsedModels:
    models: ModelSet
    problems: list[Problem]
    # (cube, member, field) whose value was unreadable and already reported, so the validator
    # does not report it again as missing.
    invalid_fields: frozenset[tuple[str | None, str | None, str]]
    # Files that are not YAML at all: the cubes they define are unknown, so a reference to a
    # missing cube may point into them and is not a problem of its own.
    unreadable_files: frozenset[str] = frozenset()


def read_models(
    files: Mapping[str, str], *, limits: YamlLimits = DEFAULT_LIMITS
) -> ParsedModels:
    cubes: dict[str, Cube] = {}
    problems: list[Problem] = []
    invalid: set[tuple[str | None, str | None, str]] = set()
    unreadable: set[str] = set()
    budget = NodeBudget(limits)
    for file in sorted(files):
        reader = _FileReader(file, budget)
        for cube in reader.read(files[file]):
            first = cubes.get(cube.name)
            if first is None:
                cubes[cube.name] = cube
                continue
            where = f"{first.position.file}:{first.position.line}" if first.position else "?"
            reader.report(
                cube.position.line if cube.position else 1,
                f"duplicate cube name {cube.name} (first defined at {where})",
                cube=cube.name,
            )
        problems.extend(reader.problems)
        invalid |= reader.invalid
        if reader.unreadable:
            unreadable.add(file)
    return ParsedModels(ModelSet(cubes), sorted(problems, key=Problem.sort_key),
                        frozenset(invalid), frozenset(unreadable))


class _FileReader:
    def __init__(self, file: str, budget: NodeBudget | None = None):
        self.file = file
        self.budget = budget or NodeBudget(DEFAULT_LIMITS)
        self.problems: list[Problem] = []
        self.invalid: set[tuple[str | None, str | None, str]] = set()
        self.unreadable = False  # a YAML syntax error: nothing of the file could be read
        self._constructor = SafeConstructor()

    def report(
        self, where: Node | int, message: str, *, cube: str | None = None,
        member: str | None = None,
    ) -> None:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        self.problems.append(Problem(self.file, line, cube, member, message))

    def position(self, node: Node) -> SourcePosition:
        return SourcePosition(self.file, node.start_mark.line + 1)

    # --- the file ------------------------------------------------------------------------

    def read(self, text: str) -> list[Cube]:
        suffix = self.file.lower()
        if suffix.endswith(".js"):
            self.report(1, "JavaScript model files are not supported; write the model in YAML")
            return []
        if not suffix.endswith(YAML_SUFFIXES):
            self.report(1, "model file names must end in .yml or .yaml")
            return []
        # Bounded before composing: a deep file would exhaust the composer's recursion.
        self.budget.check_size(self.file, text)
        self.budget.check_events(self.file, text, _YAML_LOADER)
        try:
            root = yaml.compose(text, Loader=_YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            detail = exc.problem or "invalid YAML"
            if exc.context:
                started = f" at line {exc.context_mark.line + 1}" if exc.context_mark else ""
                detail += f" ({exc.context}{started})"
            self.report(line, f"YAML syntax error: {detail}")
            self.unreadable = True
            return []
        except yaml.YAMLError as exc:
            self.report(1, f"YAML syntax error: {exc}")
            self.unreadable = True
            return []
        if root is None:
            return []
        # Before anything walks the nodes: merge keys and aliases are expanded from here on.
        self.budget.charge(self.file, root)
        if isinstance(root, ScalarNode) and self.value(root) is None:
            return []  # an empty file defines nothing
        entries = self.mapping(root, "the file must be a mapping with a cubes: list")
        if entries is None:
            return []
        for key, (key_node, _) in entries.items():
            if key == "views":
                self.report(key_node, "views are not supported; query the cubes directly")
            elif key != "cubes":
                self.report(key_node, f"unknown top-level field {key} (expected cubes)")
        cubes: list[Cube] = []
        if "cubes" in entries:
            for node, cube_entries in self.items(entries["cubes"][1], "cubes", None):
                cube = self.cube(node, cube_entries)
                if cube is not None:
                    cubes.append(cube)
        return cubes

    # --- definitions -------------------------------------------------------------------------

    def cube(self, node: Node, entries: _Entries) -> Cube | None:
        name = self.name(node, entries, "cube", None)
        self.fields(entries, _CUBE_FIELDS, _CUBE_IGNORED, _CUBE_UNSUPPORTED, name, None)
        dimensions = tuple(
            d for n, e in self.items(entries.get("dimensions"), "dimensions", name)
            if (d := self.dimension(n, e, name)) is not None
        )
        measures = tuple(
            m for n, e in self.items(entries.get("measures"), "measures", name)
            if (m := self.measure(n, e, name)) is not None
        )
        segments = tuple(
            s for n, e in self.items(entries.get("segments"), "segments", name)
            if (s := self.segment(n, e, name)) is not None
        )
        joins = tuple(
            j for n, e in self.items(entries.get("joins"), "joins", name)
            if (j := self.join(n, e, name)) is not None
        )
        if name is None:
            return None
        return Cube(
            name=name,
            sql_table=self.text(entries, "sql_table", name, None),
            sql=self.text(entries, "sql", name, None),
            title=self.text(entries, "title", name, None),
            description=self.text(entries, "description", name, None),
            public=self.public(entries, name, None),
            dimensions=dimensions,
            measures=measures,
            segments=segments,
            joins=joins,
            position=self.position(node),
        )

    def dimension(self, node: Node, entries: _Entries, cube: str | None) -> Dimension | None:
        name = self.name(node, entries, "dimension", cube)
        self.fields(
            entries, _DIMENSION_FIELDS, _DIMENSION_IGNORED, _DIMENSION_UNSUPPORTED, cube, name
        )
        sql = self.text(entries, "sql", cube, name)
        type_ = self.text(entries, "type", cube, name)
        primary_key = self.flag(entries, "primary_key", cube, name)
        if name is None:
            return None
        return Dimension(
            name=name,
            sql=sql or "",
            type=cast(DimensionType, type_ or ""),
            primary_key=bool(primary_key),
            title=self.text(entries, "title", cube, name),
            description=self.text(entries, "description", cube, name),
            public=self.public(entries, cube, name),
            position=self.position(node),
        )

    def measure(self, node: Node, entries: _Entries, cube: str | None) -> Measure | None:
        name = self.name(node, entries, "measure", cube)
        self.fields(entries, _MEASURE_FIELDS, _MEASURE_IGNORED, _MEASURE_UNSUPPORTED, cube, name)
        sql = self.text(entries, "sql", cube, name)
        type_ = self.text(entries, "type", cube, name)
        filters = self.filters(entries, cube, name)
        if name is None:
            return None
        return Measure(
            name=name,
            type=cast(MeasureType, type_ or ""),
            sql=sql,
            title=self.text(entries, "title", cube, name),
            description=self.text(entries, "description", cube, name),
            public=self.public(entries, cube, name),
            filters=filters,
            position=self.position(node),
        )

    def segment(self, node: Node, entries: _Entries, cube: str | None) -> Segment | None:
        name = self.name(node, entries, "segment", cube)
        self.fields(entries, _SEGMENT_FIELDS, _SEGMENT_IGNORED, {}, cube, name)
        sql = self.text(entries, "sql", cube, name)
        if name is None:
            return None
        return Segment(
            name=name,
            sql=sql or "",
            title=self.text(entries, "title", cube, name),
            description=self.text(entries, "description", cube, name),
            public=self.public(entries, cube, name),
            position=self.position(node),
        )

    def join(self, node: Node, entries: _Entries, cube: str | None) -> Join | None:
        name = self.name(node, entries, "join", cube)
        self.fields(entries, _JOIN_FIELDS, frozenset(), {}, cube, name)
        sql = self.text(entries, "sql", cube, name)
        relationship = self.text(entries, "relationship", cube, name)
        if name is None:
            return None
        # Unknown spellings are kept as written for the validator to name.
        normalised = RELATIONSHIP_ALIASES.get(
            snake_case(relationship or ""), cast(Relationship, relationship or "")
        )
        return Join(name=name, relationship=normalised, sql=sql or "",
                    position=self.position(node))

    # --- fields --------------------------------------------------------------------------

    def name(
        self, node: Node, entries: _Entries, kind: str, cube: str | None
    ) -> str | None:
        reported = len(self.problems)
        name = self.text(entries, "name", cube, None)
        if name is None and len(self.problems) == reported:  # not already "must be text"
            self.report(node, f"{kind} has no name", cube=cube)
        return name

    def fields(
        self, entries: _Entries, known: frozenset[str], ignored: frozenset[str],
        unsupported: Mapping[str, str], cube: str | None, member: str | None,
    ) -> None:
        for key, (key_node, _) in entries.items():
            if key in unsupported:
                self.report(key_node, unsupported[key], cube=cube, member=member)
            elif key not in known and key not in ignored:
                written = getattr(key_node, "value", key)  # as spelled, before snake_case
                hint = did_you_mean(key, known)
                self.report(key_node, f"unknown field {written}{hint}", cube=cube,
                            member=member)

    def text(
        self, entries: _Entries, key: str, cube: str | None, member: str | None
    ) -> str | None:
        if key not in entries:
            return None
        node = entries[key][1]
        if not isinstance(node, ScalarNode):
            self.report(node, f"{key} must be text, not a {_shape(node)}", cube=cube,
                        member=member)
            self.invalid.add((cube, member, key))
            return None
        value = self.value(node)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(node, f"{key} must be text", cube=cube, member=member)
            self.invalid.add((cube, member, key))
            return None
        return str(value)

    def flag(
        self, entries: _Entries, key: str, cube: str | None, member: str | None
    ) -> bool | None:
        if key not in entries:
            return None
        node = entries[key][1]
        value = self.value(node) if isinstance(node, ScalarNode) else node
        if not isinstance(value, bool):
            self.report(node, f"{key} must be true or false", cube=cube, member=member)
            return None
        return value

    def public(self, entries: _Entries, cube: str | None, member: str | None) -> bool:
        # ``shown`` is Cube's older name for ``public``; when both are given ``public`` wins.
        shown = self.flag(entries, "shown", cube, member)
        public = self.flag(entries, "public", cube, member)
        if public is not None:
            return public
        return shown is not False

    def filters(
        self, entries: _Entries, cube: str | None, member: str | None
    ) -> tuple[str, ...]:
        if "filters" not in entries:
            return ()
        node = entries["filters"][1]
        if not isinstance(node, SequenceNode):
            self.report(node, "filters must be a list of {sql: ...}", cube=cube, member=member)
            return ()
        found: list[str] = []
        for item in node.value:
            item_entries = self.mapping(item, "each filter must be a mapping with sql", cube,
                                        member)
            if item_entries is None:
                continue
            for key, (key_node, _) in item_entries.items():
                if key != "sql":
                    self.report(key_node, f"unknown field {key} in a filter", cube=cube,
                                member=member)
            sql = self.text(item_entries, "sql", cube, member)
            if sql is None or not sql.strip():
                self.report(item, "filter has no sql", cube=cube, member=member)
            else:
                found.append(sql)
        return tuple(found)

    # --- YAML nodes ----------------------------------------------------------------------

    def value(self, node: Node) -> object:
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.report(node, f"YAML error: {exc}")
            return None

    def mapping(
        self, node: Node, expected: str, cube: str | None = None, member: str | None = None,
        merging: frozenset[int] = frozenset(),
    ) -> _Entries | None:
        if not isinstance(node, MappingNode):
            self.report(node, expected, cube=cube, member=member)
            return None
        entries: _Entries = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(value_node.value if isinstance(value_node, SequenceNode)
                              else [value_node])
                continue
            key = self.value(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.report(key_node, "keys must be text", cube=cube, member=member)
                continue
            key = snake_case(key)
            if key in entries:
                self.report(key_node, f"duplicate key {key}", cube=cube, member=member)
                continue
            entries[key] = (key_node, value_node)
        for source in merged:  # YAML merge keys (<<: *anchor): explicit keys win
            if id(source) in merging or source is node:
                self.report(source, "<< merges a mapping into itself", cube=cube, member=member)
                continue
            merged_entries = self.mapping(source, "<< must merge a mapping", cube, member,
                                          merging | {id(node)})
            for key, entry in (merged_entries or {}).items():
                entries.setdefault(key, entry)
        return entries

    def items(
        self, node: Node | tuple[Node, Node] | None, what: str, cube: str | None
    ) -> list[tuple[Node, _Entries]]:
        """Definitions written as a list of mappings with ``name``, or keyed by name."""
        if isinstance(node, tuple):
            node = node[1]
        if node is None or (isinstance(node, ScalarNode) and self.value(node) is None):
            return []
        found: list[tuple[Node, _Entries]] = []
        if isinstance(node, SequenceNode):
            for item in node.value:
                entries = self.mapping(item, f"each entry of {what} must be a mapping", cube)
                if entries is not None:
                    found.append((item, entries))
        elif isinstance(node, MappingNode):
            # Keys are names here, so they keep their spelling (no snake_case).
            for key_node, value_node in node.value:
                key = self.value(key_node) if isinstance(key_node, ScalarNode) else None
                entries = self.mapping(value_node, f"{what} {key} must be a mapping", cube)
                if entries is not None:
                    entries.setdefault("name", (key_node, key_node))
                    found.append((key_node, entries))
        else:
            self.report(node, f"{what} must be a list", cube=cube)
        return found


def _shape(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "mapping"
