"""Connect-time and metadata queries of BI tools (Tableau, Excel, Metabase, DBeaver, Power BI).

Each ``-- title:`` block of ``corpus/bi_catalog.sql`` is one query as the tool sends it (table
names adapted to the test models); every one must run without error through a real driver.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway

CORPUS = Path(__file__).parent / "corpus" / "bi_catalog.sql"


def _queries() -> list[tuple[str, str]]:
    out = []
    for block in CORPUS.read_text().split("-- title: ")[1:]:
        title, _, sql = block.partition("\n")
        out.append((title.strip(), sql.strip()))
    return out


@pytest.mark.parametrize("title, sql", _queries(), ids=[t for t, _ in _queries()])
def test_bi_tool_query_runs(tgw: ThreadedGateway, title: str, sql: str) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        rows = conn.execute(sql.encode()).fetchall()
    if "primary keys" in title:
        assert [r[0] for r in rows] == ["id"]
    if "table list" in title or "desktop tables" in title:
        assert "orders" in str(rows)
