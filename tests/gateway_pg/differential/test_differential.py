"""Differential fidelity: every corpus statement answered as PostgreSQL 15 answers it.

The real PostgreSQL gets a fresh database whose tables mirror the cubes the credential sees
(``mirror``); the gateway runs on a free port over the same model. Each statement of the
corpus (real tools' connect-time and catalog SQL, tagged by tool) runs on both over psycopg,
and the column names, type OIDs and rows must match after the normalisation in ``compare``.
Known differences are explicit expectations on the case, never a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway
from tests.gateway_pg.differential.compare import Side, compare, run, side_of
from tests.gateway_pg.differential.conftest import OUTCOMES
from tests.gateway_pg.differential.corpus import Case, load
from tests.gateway_pg.differential.mirror import Mirror, mirror_database, model_tables
from tests.services import require_postgres

CASES = load()


@pytest.fixture(scope="module")
def mirror(tgw: ThreadedGateway) -> Iterator[Mirror]:
    require_postgres()
    # The cubes as the gateway shows them: the model with the data source's column types,
    # which a session describes before its first statement (gateway.source_types).
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        conn.execute("SELECT 1")
    grant = tgw.gw.grants.grants[tgw.gw.user]
    models = tgw.call(lambda: tgw.gw.server.services.models_for(grant))
    with mirror_database(model_tables(models=models)) as m:
        yield m


@pytest.fixture(scope="module")
def pg(mirror: Mirror) -> Iterator[tuple[psycopg.Connection[Any], Side]]:
    with psycopg.connect(mirror.dsn, autocommit=True) as conn:
        yield conn, side_of(conn, "postgres", mirror.name)


@pytest.fixture(scope="module")
def gw(tgw: ThreadedGateway) -> Iterator[tuple[psycopg.Connection[Any], Side]]:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        yield conn, side_of(conn, tgw.gw.user, "db")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_answer_as_postgresql(
    case: Case, pg: tuple[psycopg.Connection[Any], Side],
    gw: tuple[psycopg.Connection[Any], Side],
) -> None:
    (pg_conn, pg_side), (gw_conn, gw_side) = pg, gw
    pg_answer = run(pg_conn, pg_side.substitute(case.sql))
    gw_answer = run(gw_conn, gw_side.substitute(case.sql))
    problems = compare(case, pg_answer, gw_answer, pg_side, gw_side)
    known = "gap" if any(e.startswith("gap:") for e in case.expect) else "expected difference"
    OUTCOMES.append((case.tool, "differs" if problems else (known if case.expect else "same")))
    assert not problems, "\n".join(problems)
