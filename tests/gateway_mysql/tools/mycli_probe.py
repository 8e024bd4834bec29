"""Drives mycli's own SQLExecute against a server and prints what it got, as JSON.

Run by the Python of mycli's virtualenv (``.venv-mycli``; mycli cannot share the project's
venv), never imported by the suite: ``python mycli_probe.py HOST PORT USER PASSWORD CA``.
Calls what mycli runs at start-up and for completion (tables, columns, databases, functions,
collations...) and the special commands ``\\s``, ``\\dt``, ``\\dt orders``, ``\\l``; each
entry is its rows (as text) or the error mycli saw.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from mycli.packages.execution.sql_execute import SQLExecute


def _text(rows: Iterable[Any]) -> list[list[str | None]]:
    return [[None if v is None else str(v) for v in row] for row in rows]


def main() -> None:
    host, port, user, password, ca = sys.argv[1:6]
    ex = SQLExecute("db", user, password, host, int(port), None, "utf8mb4", False,
                    {"ca": ca, "check_hostname": False})
    out: dict[str, Any] = {"server_info": str(ex.server_info),
                           "connection_id": ex.get_connection_id()}
    calls: dict[str, Callable[[], Iterable[Any]]] = {
        "databases": lambda: [(d,) for d in ex.databases()],
        "tables": ex.tables,
        "table_columns": ex.table_columns,
        "indexed_columns": ex.indexed_columns,
        "enum_values": ex.enum_values,
        "foreign_keys": ex.foreign_keys,
        "functions": ex.functions,
        "procedures": ex.procedures,
        "character_sets": ex.character_sets,
        "collations": ex.collations,
        "show_candidates": ex.show_candidates,
        "users": ex.users,
        "now": lambda: [(ex.now(),)],
    }
    for name, call in calls.items():
        try:
            out[name] = _text(r for r in call() if r)
        except Exception as exc:  # reported, the test decides
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    for command in ("\\s", "\\dt", "\\dt orders", "\\l", "SELECT status, COUNT(*) AS n "
                    "FROM orders GROUP BY status ORDER BY status"):
        try:
            results = []
            for result in ex.run(command):
                rows = result.rows
                results.append({"header": list(result.header or []),
                                "rows": _text(rows) if rows is not None else [],
                                "status": str(result.status or "")})
            out[command] = results
        except Exception as exc:
            out[command] = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
