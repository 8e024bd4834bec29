"""The semantic model: cubes of dimensions, measures, segments and joins.

These are the typed, immutable forms of the Cube-compatible YAML files (see DESIGN.md). The
loader (``backend.semantic.loader``) builds them from YAML and the validator checks them; the
SQL engine (``gateway.engine``) only ever reads them. ``sql`` snippets keep Cube's reference
syntax: ``{CUBE}`` for the cube's own table alias, ``{member}`` for another member of the same
cube and ``{cube.member}`` / ``{cube}`` for members and tables of other cubes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

DimensionType = Literal["string", "number", "time", "boolean"]
MeasureType = Literal[
    "count", "count_distinct", "count_distinct_approx", "sum", "avg", "min", "max", "number"
]
Relationship = Literal["many_to_one", "one_to_many", "one_to_one"]

DIMENSION_TYPES: tuple[DimensionType, ...] = ("string", "number", "time", "boolean")
MEASURE_TYPES: tuple[MeasureType, ...] = (
    "count", "count_distinct", "count_distinct_approx", "sum", "avg", "min", "max", "number"
)
# Cube accepts the older Rails-style names as synonyms; we normalise to the new ones.
RELATIONSHIP_ALIASES: Mapping[str, Relationship] = {
    "many_to_one": "many_to_one",
    "belongs_to": "many_to_one",
    "belongsTo": "many_to_one",
    "one_to_many": "one_to_many",
    "has_many": "one_to_many",
    "hasMany": "one_to_many",
    "one_to_one": "one_to_one",
    "has_one": "one_to_one",
    "hasOne": "one_to_one",
}


@dataclass(frozen=True)
class SourcePosition:
    """Where a definition was written: model file name and 1-based line."""

    file: str
    line: int


@dataclass(frozen=True)
class Dimension:
    name: str
    sql: str
    type: DimensionType
    primary_key: bool = False
    title: str | None = None
    description: str | None = None
    public: bool = True
    position: SourcePosition | None = None


@dataclass(frozen=True)
class Measure:
    name: str
    type: MeasureType
    # None only for ``count`` without sql (COUNT(*)); a ``number`` measure's sql is a formula
    # over other measures, e.g. ``{amount} / NULLIF({count}, 0)``.
    sql: str | None = None
    title: str | None = None
    description: str | None = None
    public: bool = True
    # Cube's measure ``filters: [{sql: ...}]``: conditions applied inside the aggregate.
    filters: tuple[str, ...] = ()
    position: SourcePosition | None = None


@dataclass(frozen=True)
class Segment:
    name: str
    sql: str
    title: str | None = None
    description: str | None = None
    public: bool = True
    position: SourcePosition | None = None


@dataclass(frozen=True)
class Join:
    """A join from the owning cube to the cube called ``name``."""

    name: str
    relationship: Relationship
    sql: str
    position: SourcePosition | None = None


@dataclass(frozen=True)
class Cube:
    name: str
    sql_table: str | None = None
    sql: str | None = None
    title: str | None = None
    description: str | None = None
    public: bool = True
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()
    segments: tuple[Segment, ...] = ()
    joins: tuple[Join, ...] = ()
    position: SourcePosition | None = None

    def member(self, name: str) -> Dimension | Measure | Segment | None:
        for group in (self.dimensions, self.measures, self.segments):
            for m in group:
                if m.name == name:
                    return m
        return None

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    def segment(self, name: str) -> Segment | None:
        return next((s for s in self.segments if s.name == name), None)

    @property
    def primary_keys(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.primary_key)


@dataclass(frozen=True)
class ModelSet:
    """All cubes of one model version, keyed by name. Built only by the loader."""

    cubes: Mapping[str, Cube] = field(default_factory=dict)
    # (cube, dimension) -> the neutral type of its values at the data source (int4 for a
    # ``number`` over an integer column), when a gateway has described the source; the model
    # itself only says string/number/time/boolean.
    source_types: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Cube]:
        return iter(self.cubes.values())

    def __len__(self) -> int:
        return len(self.cubes)

    def get(self, name: str) -> Cube | None:
        return self.cubes.get(name)


@dataclass(frozen=True)
class AccessPolicy:
    """What a credential may query: ``None`` allows every cube and member.

    Entries are ``"cube"`` (every member of that cube) or ``"cube.member"``. Every member a query
    touches — selected, filtered, grouped, ordered — and every catalog answer is checked against
    this, so a member outside it is invisible as well as unqueryable.
    """

    allowed: frozenset[str] | None = None

    def allows_cube(self, cube: str) -> bool:
        if self.allowed is None or cube in self.allowed:
            return True
        prefix = cube + "."
        return any(entry.startswith(prefix) for entry in self.allowed)

    def allows_member(self, cube: str, member: str) -> bool:
        if self.allowed is None:
            return True
        return cube in self.allowed or f"{cube}.{member}" in self.allowed


ALLOW_ALL = AccessPolicy(None)
