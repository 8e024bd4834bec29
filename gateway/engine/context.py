"""What one compilation knows: the model set, the access policy and the dialects."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlglot import exp

from backend.core.errors import NotSupported, UnknownColumn, UnknownTable
from backend.semantic.model import AccessPolicy, Cube, Dimension, Measure, ModelSet, Segment

from .limits import OutputBudget
from .query import Aggregate
from .snippets import ModelIndex
from .types import ClientDialect, TargetDialect

Member = Dimension | Measure | Segment
# Schemas (and MySQL databases) under which clients may name cubes.
CUBE_SCHEMAS = frozenset({"", "public", "db"})


@dataclass(frozen=True)
class Context:
    models: ModelSet
    access: AccessPolicy
    index: ModelIndex
    client: ClientDialect
    target: TargetDialect
    # The ad-hoc measures (aggregates over row-level columns) of this compilation, by the key
    # of the measure reference that stands for each.
    aggregates: dict[tuple[str, str], Aggregate] = field(default_factory=dict)
    # What this compilation may still build (limits.MAX_COMPILED_NODES).
    budget: OutputBudget = field(default_factory=OutputBudget)

    def add_aggregate(self, aggregate: Aggregate) -> tuple[str, str]:
        key = (aggregate.cube, f"__aggregate{len(self.aggregates)}")
        self.aggregates[key] = aggregate
        return key

    # --- cubes ------------------------------------------------------------------------------

    def cube_for_table(self, table: exp.Table) -> Cube:
        """The cube a FROM item names, or UnknownTable."""
        if not isinstance(table.this, exp.Identifier):
            raise NotSupported(
                f"{table.this.sql(dialect=self.client)} in FROM is not supported",
                hint="query cubes: tables of schema public",
            )
        name = table.name
        schema = table.db.lower()
        if table.catalog.lower() not in ("", "db") or schema not in CUBE_SCHEMAS:
            raise UnknownTable(
                f'relation "{table.sql(dialect=self.client)}" does not exist',
                hint="cubes are tables of schema public in database db",
            )
        cube = self.models.get(name) or _case_insensitive(self.models.cubes, name)
        # A cube the credential may not see is answered exactly like a missing one: an error
        # that differed would tell which hidden cubes exist.
        if cube is None or not cube.public or not self.access.allows_cube(cube.name):
            visible = sorted(c.name for c in self.visible_cubes())
            listing = ", ".join(visible[:10]) + (", ..." if len(visible) > 10 else "")
            raise UnknownTable(
                f'relation "{name}" does not exist',
                hint=_did_you_mean(name, visible)
                or (f"the cubes you can query are: {listing}" if visible
                    else "no cubes are visible to this credential; save models first"),
            )
        return cube

    def visible_cubes(self) -> list[Cube]:
        return [c for c in self.models if c.public and self.access.allows_cube(c.name)]

    # --- members ----------------------------------------------------------------------------

    def find_member(self, cube: Cube, name: str) -> Member | None:
        """A member of ``cube`` the credential may see, by name (exact, else
        case-insensitive). A hidden member is not found, exactly like a missing one."""
        member = cube.member(name)
        if member is None:
            lowered = name.lower()
            member = next(
                (
                    m
                    for group in (cube.dimensions, cube.measures, cube.segments)
                    for m in group
                    if m.name.lower() == lowered
                ),
                None,
            )
        if member is None or not self.visible(cube, member):
            return None
        return member

    def check_access(self, cube: Cube, member: Member) -> None:
        """For members the engine picks itself (COUNT(*)'s count): hidden means missing."""
        if not self.visible(cube, member):
            raise UnknownColumn(f'column "{member.name}" does not exist')

    def visible(self, cube: Cube, member: Member) -> bool:
        return member.public and self.access.allows_member(cube.name, member.name)


def _case_insensitive(cubes: Mapping[str, Cube], name: str) -> Cube | None:
    lowered = name.lower()
    return next((c for c in cubes.values() if c.name.lower() == lowered), None)


def _did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not matches:
        return None
    return "did you mean " + " or ".join(matches) + "?"


did_you_mean = _did_you_mean
