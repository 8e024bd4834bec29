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
# A column name: "double quoted", `backquoted` (doubled quotes inside) or a plain identifier.
_COLUMN = r'(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|([A-Za-z_][A-Za-z0-9_$]*))'
_BARE_COLUMN = re.compile(r"\s*" + _COLUMN + r"\s*\Z")
_COLUMN_AFTER = re.compile(r"\s*\.\s*" + _COLUMN)
# Identifier-shaped SQL that is not a column.
_SQL_WORDS = frozenset(
    {"true", "false", "null", "current_date", "current_time", "current_timestamp",
     "localtime", "localtimestamp", "current_user", "session_user"}
)

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


def bare_column(sql: str) -> tuple[bool, str] | None:
    """``(quoted, name)`` when the whole snippet is one column name (``sql: amount``).

    Like Cube, such a snippet means ``{CUBE}.amount``: a column of the cube's own table.
    """
    match = _BARE_COLUMN.match(sql)
    if match is None:
        return None
    quoted, name = _column_name(match)
    return None if not quoted and name.lower() in _SQL_WORDS else (quoted, name)


def column_after(sql: str, end: int) -> tuple[bool, str] | None:
    """``(quoted, name)`` of the ``.column`` right after a table reference ending at ``end``."""
    match = _COLUMN_AFTER.match(sql, end)
    return None if match is None else _column_name(match)


def _column_name(match: re.Match[str]) -> tuple[bool, str]:
    if match.group(1) is not None:
        return True, match.group(1).replace('""', '"')
    if match.group(2) is not None:
        return True, match.group(2).replace("``", "`")
    return False, match.group(3)
