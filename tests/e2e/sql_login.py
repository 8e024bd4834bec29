"""Log in to the PostgreSQL wire gateway with psycopg, as a user who copied credentials would.

The browser flow (frontend/e2e/flow.mjs) runs this between its steps:

    python -m tests.e2e.sql_login --expect query-ok|login-ok|login-refused

with PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE in the environment. It exits 0 when
the outcome matches the expectation and prints what happened either way.
"""

from __future__ import annotations

import argparse
import os
import sys

import psycopg
from psycopg import sql

# Preferred cube of the demo data set; any cube the credential sees will do otherwise.
PREFERRED_CUBE = "orders"


def _connect() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=os.environ["PGHOST"],
        port=int(os.environ["PGPORT"]),
        user=os.environ["PGUSER"],
        password=os.environ["PGPASSWORD"],
        dbname=os.environ.get("PGDATABASE", "db"),
        connect_timeout=10,
        sslmode="require",
        autocommit=True,
    )


def _query_a_model(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' ORDER BY table_name"
        )
        cubes = [str(row[0]) for row in cur.fetchall()]
        if not cubes:
            raise RuntimeError("the credential sees no cube")
        cube = PREFERRED_CUBE if PREFERRED_CUBE in cubes else cubes[0]
        cur.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(cube)))
        row = cur.fetchone()
        return f"{cube}: COUNT(*) = {row[0] if row else None}"


def check(expect: str) -> tuple[bool, str]:
    try:
        conn = _connect()
    except psycopg.OperationalError as error:
        refused = expect == "login-refused"
        return refused, f"login refused: {str(error).strip()}"
    with conn:
        if expect == "login-refused":
            return False, "login succeeded, but it should have been refused"
        if expect == "login-ok":
            return True, "login succeeded"
        try:
            return True, _query_a_model(conn)
        except psycopg.Error as error:
            return False, f"login succeeded, query failed: {str(error).strip()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--expect", choices=["query-ok", "login-ok", "login-refused"], required=True
    )
    args = parser.parse_args(argv)
    ok, message = check(args.expect)
    print(f"[{os.environ.get('PGUSER')}] expect {args.expect}: {message}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
