"""The join graph: which cubes join to which, and the join tree a query needs.

Joins are declared on one cube towards another. A query's cubes are connected by the shortest
paths of that graph (so cubes in between are joined in transitively), preferring a root from
which every cube is reachable along declared directions, as Cube does; failing that, declared
joins are also walked backwards. Every join is a LEFT JOIN away from the root.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlglot import exp

from backend.core.errors import NotSupported
from backend.semantic.model import ModelSet, Relationship

REVERSE: dict[Relationship, Relationship] = {
    "many_to_one": "one_to_many",
    "one_to_many": "many_to_one",
    "one_to_one": "one_to_one",
}


@dataclass(frozen=True)
class JoinEdge:
    parent: str
    child: str
    owner: str  # the cube that declares the join
    index: int  # position of the join in the owner's ``joins``
    relationship: Relationship  # seen from parent towards child


@dataclass(frozen=True)
class JoinTree:
    root: str
    edges: tuple[JoinEdge, ...]  # parents always precede their children
    # Children joined with an INNER JOIN (a join the client wrote on key columns); every other
    # edge is a LEFT JOIN away from the root.
    inner: frozenset[str] = frozenset()
    # Further ON conditions of written joins, by the child they join (row-level expressions).
    conditions: tuple[tuple[str, exp.Expr], ...] = ()

    @property
    def cubes(self) -> tuple[str, ...]:
        return (self.root, *(e.child for e in self.edges))

    def multiplied(self, cube: str) -> bool:
        """Whether joining the tree can repeat rows of ``cube``: some edge, crossed while
        walking away from ``cube``, leads to many rows."""
        seen = {cube}
        stack = [cube]
        while stack:
            node = stack.pop()
            for edge in self.edges:
                if edge.parent == node and edge.child not in seen:
                    relationship, nxt = edge.relationship, edge.child
                elif edge.child == node and edge.parent not in seen:
                    relationship, nxt = REVERSE[edge.relationship], edge.parent
                else:
                    continue
                if relationship == "one_to_many":
                    return True
                seen.add(nxt)
                stack.append(nxt)
        return False

    def reaches_one(self, cube: str, other: str) -> bool:
        """Whether each row of ``cube`` meets at most one row of ``other`` in the tree (the
        path between them crosses no edge that leads to many rows)."""
        seen = {cube}
        stack = [cube]
        while stack:
            node = stack.pop()
            if node == other:
                return True
            for edge in self.edges:
                if edge.parent == node and edge.child not in seen:
                    relationship, nxt = edge.relationship, edge.child
                elif edge.child == node and edge.parent not in seen:
                    relationship, nxt = REVERSE[edge.relationship], edge.parent
                else:
                    continue
                if relationship != "one_to_many":
                    seen.add(nxt)
                    stack.append(nxt)
        return False


def _adjacency(
    models: ModelSet, directed: bool, usable: Callable[[str], bool]
) -> dict[str, list[JoinEdge]]:
    graph: dict[str, list[JoinEdge]] = {}
    for cube in models:
        if not usable(cube.name):
            continue
        for index, join in enumerate(cube.joins):
            if models.get(join.name) is None or join.name == cube.name or not usable(join.name):
                continue
            graph.setdefault(cube.name, []).append(
                JoinEdge(cube.name, join.name, cube.name, index, join.relationship)
            )
            if not directed:
                graph.setdefault(join.name, []).append(
                    JoinEdge(join.name, cube.name, cube.name, index,
                             REVERSE[join.relationship])
                )
    return graph


def _bfs(graph: dict[str, list[JoinEdge]], root: str) -> dict[str, JoinEdge]:
    parent: dict[str, JoinEdge] = {}
    seen = {root}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for edge in graph.get(node, ()):
            if edge.child not in seen:
                seen.add(edge.child)
                parent[edge.child] = edge
                queue.append(edge.child)
    return parent


def _tree(root: str, parent: dict[str, JoinEdge], cubes: Sequence[str]) -> JoinTree | None:
    needed: list[JoinEdge] = []
    included = {root}
    for cube in cubes:
        path: list[JoinEdge] = []
        node = cube
        while node not in included:
            edge = parent.get(node)
            if edge is None:
                return None
            path.append(edge)
            node = edge.parent
        for edge in reversed(path):
            included.add(edge.child)
            needed.append(edge)
    return JoinTree(root, tuple(needed))


def join_tree(
    models: ModelSet, cubes: Sequence[str], visible: Callable[[str], bool] = lambda _: True
) -> JoinTree:
    """The join tree connecting ``cubes`` (in FROM order), or NotSupported naming the gap.

    Paths only pass through cubes that are ``visible`` (or that the query uses): a path through
    a hidden cube does not exist for the credential, so the error is the one for no path."""
    if len(cubes) == 1:
        return JoinTree(cubes[0], ())
    wanted = set(cubes)

    def usable(name: str) -> bool:
        return name in wanted or visible(name)

    directed = _adjacency(models, directed=True, usable=usable)
    for root in cubes:
        tree = _tree(root, _bfs(directed, root), cubes)
        if tree is not None:
            return tree
    undirected = _adjacency(models, directed=False, usable=usable)
    tree = _tree(cubes[0], _bfs(undirected, cubes[0]), cubes)
    if tree is not None:
        return tree
    reachable = set(_bfs(undirected, cubes[0])) | {cubes[0]}
    missing = next(c for c in cubes if c not in reachable)
    raise NotSupported(
        f"cubes {cubes[0]} and {missing} are not connected by the model's joins",
        hint=f"declare a join between {cubes[0]} and {missing} (or a cube between them)",
    )
