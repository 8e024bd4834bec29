"""DuckDB's postgres extension attaching the gateway, as a DuckDB (or MotherDuck) user does.

``ATTACH '...' AS pg (TYPE postgres)`` reads the catalog, then pulls each table's rows with its
own SQL (``COPY (SELECT cols FROM public.orders ...) TO STDOUT (FORMAT binary)``) and
aggregates them itself. The first version grouped every SELECT without aggregates, so DuckDB's
``count(*)`` over an attached cube was 1 per status and its ``avg`` the sum, with no error.
Every answer here is compared with DuckDB attaching the real PostgreSQL table the cube reads.
The extension exists only for the DuckDB release it was built for, so DuckDB runs in a
virtualenv of its own (``make duckdb-attach``, tests/gateway_pg/tools/duckdb_attach.lock).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.gateway_pg.conftest import ThreadedGateway
from tests.gateway_pg.test_bi_clients import gw, schema  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("DUCKDB_ATTACH_VENV", ROOT / ".venv-duckdb-attach"))
PROBE = Path(__file__).parent / "tools" / "duckdb_attach_probe.py"

# What DuckDB users write over an attached database (pg.public.orders); DuckDB plans them.
STATEMENTS = [
    "SELECT status, count(*), avg(amount), sum(amount) FROM pg.public.orders GROUP BY 1",
    "SELECT count(*), count(DISTINCT customer_id), min(created_at), max(id) FROM pg.public.orders",
    "SELECT id, status, amount FROM pg.public.orders WHERE amount > 600 ORDER BY id",
    "SELECT date_trunc('month', created_at) AS m, sum(amount) FROM pg.public.orders GROUP BY 1",
    "SELECT customer_id, count(*) AS n FROM pg.public.orders WHERE customer_id IS NOT NULL "
    "GROUP BY 1 HAVING count(*) > 12",
]


def _probe(dsn: str, statements: list[str]) -> list[dict[str, Any]]:
    python = VENV / "bin" / "python"
    if not python.exists():
        reason = (f"DuckDB with its postgres extension is not installed in {VENV} "
                  "(make duckdb-attach)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    out = subprocess.run(
        [str(python), str(PROBE), dsn], input="\n".join(statements), capture_output=True,
        text=True, timeout=180, env={**os.environ, "HOME": "/nonexistent-duckdb-home"},
    )
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_duckdb_attach_aggregates_a_cube_as_the_table(
    gw: ThreadedGateway, schema: str,  # noqa: F811
) -> None:
    g = gw.gw
    through_gateway = _probe(
        f"host=127.0.0.1 port={g.port} user={g.user} password={g.password} dbname=db "
        "sslmode=require", STATEMENTS,
    )
    # The real table, seen by DuckDB under the same name: the test schema is its search path.
    direct = _probe(
        f"host=127.0.0.1 port=5432 user=postgres dbname=test options=-csearch_path={schema}",
        [s.replace("pg.public.orders", f"pg.{schema}.orders") for s in STATEMENTS],
    )
    assert through_gateway == direct
    assert all("rows" in answer for answer in through_gateway), through_gateway
    # The silent wrong answer of the first version: one row per status with count 1.
    counts = {row[0]: row[1] for row in through_gateway[0]["rows"]}
    assert sum(counts.values()) == 500
