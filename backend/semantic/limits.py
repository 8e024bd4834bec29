"""Bounds on model YAML, checked while reading, before any work grows with them.

YAML aliases (``*a``) and merge keys (``<<: [*a, *a]``) let a few hundred bytes stand for
billions of nodes: each level of ``<<: [*a, *a]`` doubles what the next one expands to. The
composed node graph itself stays small (an alias is the same node object again), so the
limits are measured on it without expanding anything:

* the file's size in bytes;
* alias uses and nesting depth, from the parser's event stream, before a node graph exists;
* the *expanded* node count — every alias counted as the nodes it stands for — and the
  expanded depth, computed once per distinct node (linear in the composed graph). The node
  budget is shared by every file of one model set.

Whatever walks the nodes afterwards (merge-key resolution, the model reader) does work
bounded by the expanded count, so it is bounded too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from backend.core.errors import LimitExceeded


@dataclass(frozen=True)
class YamlLimits:
    """The bounds; the defaults are those of ``docs/configuration.md``."""

    max_file_bytes: int = 1_000_000
    max_nodes: int = 500_000
    max_aliases: int = 1000
    max_depth: int = 64


DEFAULT_LIMITS = YamlLimits()


@dataclass
class NodeBudget:
    """Expanded nodes used so far by one set of model files."""

    limits: YamlLimits
    used: int = field(default=0)

    def check_size(self, file: str, text: str) -> None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > self.limits.max_file_bytes:
            raise LimitExceeded(
                f"Model file {file} is {size} bytes; the limit is "
                f"{self.limits.max_file_bytes} bytes (YAML_MAX_FILE_BYTES).", field="files")

    def check_events(self, file: str, text: str, loader: type[yaml.SafeLoader]) -> None:
        """Alias uses and nesting depth, from the event stream (no recursion, no nodes).

        A syntax error stops the scan; composing the file reports it with its line.
        """
        depth = aliases = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, CollectionStartEvent):
                    depth += 1
                    if depth > self.limits.max_depth:
                        raise _too_deep(file, event.start_mark, self.limits.max_depth)
                elif isinstance(event, CollectionEndEvent):
                    depth -= 1
                elif isinstance(event, AliasEvent):
                    aliases += 1
                    if aliases > self.limits.max_aliases:
                        line = event.start_mark.line + 1 if event.start_mark else 1
                        raise LimitExceeded(
                            f"Model file {file} uses more than {self.limits.max_aliases} YAML "
                            f"aliases (at line {line}; YAML_MAX_ALIASES).", field="files")
        except yaml.YAMLError:
            return

    def charge(self, file: str, root: Node) -> None:
        """Add the file's expanded node count to the budget; refuse past the limit."""
        left = self.limits.max_nodes - self.used
        size, depth = _expanded(root, cap=left + 1)
        if depth > self.limits.max_depth:
            raise LimitExceeded(
                f"Model file {file} nests deeper than {self.limits.max_depth} levels once its "
                "aliases and merge keys are expanded (YAML_MAX_DEPTH).", field="files")
        if size > left:
            raise LimitExceeded(
                f"Model file {file} expands to more than {self.limits.max_nodes} YAML nodes "
                f"(counting what each alias and merge key stands for) together with the "
                f"files before it (YAML_MAX_NODES).", field="files")
        self.used += size


def _too_deep(file: str, mark: object, limit: int) -> LimitExceeded:
    line = int(getattr(mark, "line", 0)) + 1
    return LimitExceeded(f"Model file {file} nests deeper than {limit} levels (at line {line}; "
                         "YAML_MAX_DEPTH).", field="files")


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expanded(root: Node, *, cap: int) -> tuple[int, int]:
    """(expanded node count, expanded depth) of ``root``.

    Iterative post-order walk, each distinct node once; counts stop growing at ``cap`` so the
    numbers stay small however large the expansion would be. An alias back to a node that
    contains it (a cycle) counts as one node: the reader reports it as a problem and never
    follows it, so it costs nothing more.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = min(cap, 1 + sum(size.get(id(k), 1) for k in kids))
            height[key] = 1 + max((height.get(id(k), 1) for k in kids), default=0)
            on_path.discard(key)
            continue
        if key in size or key in on_path:
            continue
        on_path.add(key)
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) not in size and id(kid) not in on_path:
                stack.append((kid, False))
    return size[id(root)], height[id(root)]
