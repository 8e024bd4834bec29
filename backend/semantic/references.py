"""References inside ``sql`` snippets: ``{CUBE}``, ``{member}``, ``{cube}``, ``{cube.member}``.

Both the validator and the SQL engine read snippets through ``find_references`` so that they
agree on what a reference is. A reference is an identifier path between braces; anything else
in braces (JSON literals, ``${...}`` from JavaScript models) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_REFERENCE = re.compile(r"\{\s*(" + _IDENT + r"(?:\s*\.\s*" + _IDENT + r")*)\s*\}")

# ``{CUBE}`` is the owning cube's table alias; ``{TABLE}`` is its older spelling.
SELF_KEYWORDS = frozenset({"CUBE", "TABLE"})
# Cube's template contexts: they depend on a request's security context, which we do not have.
UNSUPPORTED_CONTEXTS = frozenset(
    {"FILTER_PARAMS", "FILTER_GROUP", "SECURITY_CONTEXT", "COMPILE_CONTEXT", "SQL_UTILS"}
)


@dataclass(frozen=True)
class Reference:
    """``path`` is the dotted name split into parts; ``start``/``end`` the span in the snippet."""

    path: tuple[str, ...]
    start: int
    end: int


def find_references(sql: str) -> list[Reference]:
    return [
        Reference(tuple(p.strip() for p in m.group(1).split(".")), m.start(), m.end())
        for m in _REFERENCE.finditer(sql)
    ]
