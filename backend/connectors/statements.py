"""The last gate before a network source: one plain query, nothing that changes the session.

The engine only ever sends a single SELECT (or WITH / VALUES / TABLE) that it built itself;
this gate makes the connectors refuse anything else even if that promise broke. It matters
most on MySQL and MariaDB, where a single statement can otherwise lift the session's
protections for itself or for later statements: ``SET STATEMENT tx_read_only=0 FOR INSERT``,
``SET SESSION TRANSACTION READ WRITE``, executable comments (``/*! ... */``, ``/*M! ... */``,
which the server runs as SQL), optimizer hints (``/*+ MAX_EXECUTION_TIME(0) */``) and
``SELECT ... INTO OUTFILE``. On PostgreSQL the read-only transaction already holds; the gate
keeps session-level commands (``SET SESSION CHARACTERISTICS``) out as well.

The checks are deliberately coarse and fail closed: a hint-like sequence anywhere in the text,
even inside a string literal, refuses the statement.
"""

from __future__ import annotations

import re

from backend.core.errors import ReadOnly

_READ_VERB = re.compile(r"(?:select|with|values|table)\b", re.I)
# Comment forms each engine skips; MySQL also treats "#" as a line comment.
_SKIP = {
    "postgres": re.compile(r"(?:\s+|\(|--[^\n]*(?:\n|$)|/\*.*?\*/)", re.S),
    "mysql": re.compile(r"(?:\s+|\(|--(?:\s[^\n]*)?(?:\n|$)|#[^\n]*(?:\n|$)|/\*.*?\*/)", re.S),
}
# Comments the MySQL server does not ignore.
_MYSQL_ACTIVE_COMMENT = re.compile(r"/\*\s*(?:!|M!|\+)", re.I)
_MYSQL_FILE_TARGET = re.compile(
    r"\binto(?:\s|/\*.*?\*/|--[^\n]*\n|#[^\n]*\n)+(?:outfile|dumpfile)\b", re.I | re.S
)


def require_plain_query(sql: str, *, dialect: str) -> None:
    """Raise ``ReadOnly`` unless ``sql`` starts (after comments) with a read verb and carries
    nothing the server would run besides it."""
    if dialect == "mysql":
        if _MYSQL_ACTIVE_COMMENT.search(sql):
            raise ReadOnly("data sources run plain queries only: executable comments and "
                           "optimizer hints are refused")
        if _MYSQL_FILE_TARGET.search(sql):
            raise ReadOnly("data sources are read-only: SELECT ... INTO a file is refused")
    skip = _SKIP[dialect]
    pos = 0
    while True:
        match = skip.match(sql, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    if _READ_VERB.match(sql, pos) is None:
        raise ReadOnly("data sources are read-only: only queries (SELECT) may run")
