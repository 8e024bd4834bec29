"""Differential fidelity: every corpus statement answered as MySQL (here: MariaDB) answers it.

The machine's MariaDB gets a fresh database whose tables mirror the tables the gateway's
catalog shows (``mirror``); the gateway runs on a free port over the same model. Each statement
of the corpus (real MySQL tools' connect-time and catalog SQL, one file per tool) runs on both
over PyMySQL, and column names, type classes and rows must match after the normalisation in
``compare``. Known differences are explicit expectations on the case, never a skip.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import pymysql
import pytest

from gateway.engine.types import VirtualTable
from gateway.mysql.engine_session import EngineSession
from tests.gateway_mysql.conftest import ThreadedGateway
from tests.gateway_mysql.differential.compare import Case, Side, compare, load, run, side_of
from tests.gateway_mysql.differential.conftest import OUTCOMES
from tests.gateway_mysql.differential.mirror import Mirror, mirror_database, model_tables
from tests.services import require_mariadb

CASES = load()


def test_the_corpus_covers_the_tools() -> None:
    tools = {c.tool for c in CASES}
    assert len(CASES) >= 100, len(CASES)
    assert {"mysql_cli", "mycli", "sqlalchemy", "connector_j", "connector_odbc", "metabase",
            "superset", "dbeaver", "powerbi_tableau"} <= tools, tools


def gateway_tables(tgw: ThreadedGateway) -> list[VirtualTable]:
    """The tables the gateway's catalog shows this credential, with the data source's column
    types once described (what DESCRIBE says), from the session code the gateway runs."""
    session = EngineSession(tgw.gw.grants.grants[tgw.gw.user], tgw.services)
    tgw.run(session.ready())
    return list(session.tables())


def test_the_mirror_is_the_model_with_source_types(tgw: ThreadedGateway) -> None:
    ours = gateway_tables(tgw)
    assert [t.name for t in ours] == [t.name for t in model_tables()]
    orders = next(t for t in ours if t.name == "orders")
    # The demo source's id is BIGINT: an integer, not the model's numeric (issue 14).
    assert [(c.name, c.type) for c in orders.columns][:2] == [("id", "int8"), ("status", "text")]


@pytest.fixture(scope="module")
def mirror(tgw: ThreadedGateway) -> Iterator[Mirror]:
    require_mariadb()
    with mirror_database(gateway_tables(tgw)) as m:
        yield m


@pytest.fixture(scope="module")
def mariadb(mirror: Mirror) -> Iterator[tuple[pymysql.Connection[Any], Side]]:
    conn = mirror.connect()
    try:
        yield conn, side_of(conn, mirror.name)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def gateway(tgw: ThreadedGateway) -> Iterator[tuple[pymysql.Connection[Any], Side]]:
    ctx = ssl.create_default_context(cafile=str(tgw.gw.tls_dir / "server.crt"))
    ctx.check_hostname = False
    conn = pymysql.connect(host="127.0.0.1", port=tgw.gw.port, user=tgw.gw.user,
                           password=tgw.gw.password, database="db", ssl=ctx,
                           charset="utf8mb4", autocommit=True)
    try:
        yield conn, side_of(conn, "db")
    finally:
        conn.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_answer_as_mariadb(
    case: Case, mariadb: tuple[pymysql.Connection[Any], Side],
    gateway: tuple[pymysql.Connection[Any], Side],
) -> None:
    (their_conn, their_side), (our_conn, our_side) = mariadb, gateway
    theirs = run(their_conn, their_side.substitute(case.sql))
    ours = run(our_conn, our_side.substitute(case.sql))
    problems = compare(case, theirs, ours, their_side, our_side)
    known = "gap" if any(e.startswith("gap:") for e in case.expect) else "expected difference"
    OUTCOMES.append((case.tool, "differs" if problems else (known if case.expect else "same")))
    assert not problems, "\n".join(problems)
