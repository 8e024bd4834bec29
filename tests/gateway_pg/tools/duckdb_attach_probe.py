"""Run by the DuckDB-attach virtualenv's Python (see tests/gateway_pg/test_duckdb_attach.py):
attach a PostgreSQL server as a DuckDB user does and print the answers of the statements on
stdin, one JSON line per statement.

    python duckdb_attach_probe.py '<libpq connection string>' < statements

Each statement runs against the attached database (schema ``pg.public``); DuckDB reads the
catalog and pulls rows with its own SQL (binary COPY ... TO STDOUT), then aggregates itself.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import duckdb_ext


def _value(value: object) -> object:
    if isinstance(value, Decimal | float):
        return round(float(value), 6)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def main() -> None:
    dsn = sys.argv[1]
    extension = next(Path(duckdb_ext.__path__[0]).rglob("postgres_scanner.duckdb_extension"))
    con = duckdb.connect(config={"allow_unsigned_extensions": "true",
                                 "autoinstall_known_extensions": "false",
                                 "autoload_known_extensions": "false"})
    con.execute(f"LOAD '{extension}'")
    con.execute(f"ATTACH '{dsn}' AS pg (TYPE postgres, READ_ONLY)")
    for line in sys.stdin:
        sql = line.strip()
        if not sql:
            continue
        out: dict[str, object]
        try:
            rows = con.execute(sql).fetchall()
            out = {"rows": sorted(([_value(v) for v in r] for r in rows), key=repr)}
        except duckdb.Error as e:
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
