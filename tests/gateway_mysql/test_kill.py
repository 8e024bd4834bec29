"""KILL QUERY from a second connection stops a running query; the victim stays usable."""

from __future__ import annotations

import threading
import time

import pymysql
import pytest

from .conftest import ThreadedGateway
from .test_pymysql import connect

ENDLESS = """
cubes:
  - name: big
    sql: "SELECT r AS n FROM range(1000000000000) t(r)"
    dimensions:
      - { name: n, sql: n, type: number, primary_key: true }
    measures:
      - { name: total, sql: "n % 7", type: sum }
"""


def wait_for_running(admin: pymysql.Connection, connection_id: int) -> None:
    """Poll SHOW PROCESSLIST until the victim's query is on the server (no timing assumed)."""
    with admin.cursor() as cur:
        for _ in range(600):
            cur.execute("SHOW FULL PROCESSLIST")
            for row in cur.fetchall():
                if row[0] == connection_id and row[4] == "Query" and "FROM big" in (row[7] or ""):
                    return
            time.sleep(0.05)
    pytest.fail("the query never showed up in SHOW PROCESSLIST")


def test_kill_query_cancels_the_running_query(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    user, password = tgw.add_user(ENDLESS)
    victim = connect(gw, user=user, password=password)
    admin = connect(gw, user=user, password=password)
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            with victim.cursor() as cur:
                cur.execute("SELECT total FROM big")
                outcome.append(cur.fetchall())
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        wait_for_running(admin, victim.thread_id())
        with admin.cursor() as cur:
            cur.execute(f"KILL QUERY {victim.thread_id()}")
        worker.join()
        (result,) = outcome
        assert isinstance(result, pymysql.err.MySQLError), result
        assert result.args[0] == 1317
        with victim.cursor() as cur:  # the connection itself survives KILL QUERY
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        victim.close()
        admin.close()


def test_other_credentials_cannot_kill(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    other_user, other_password = tgw.add_user()
    mine = connect(gw)
    theirs = connect(gw, user=other_user, password=other_password)
    try:
        with theirs.cursor() as cur:
            cur.execute("SHOW PROCESSLIST")
            assert {r[0] for r in cur.fetchall()} == {theirs.thread_id()}
            with pytest.raises(pymysql.err.MySQLError) as info:
                cur.execute(f"KILL {mine.thread_id()}")
            assert "Unknown thread id" in info.value.args[1]
        with mine.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        mine.close()
        theirs.close()



@pytest.mark.parametrize("how", ["sql", "com_process_kill"])
def test_kill_connection_closes_the_victim(tgw: ThreadedGateway, how: str) -> None:
    gw = tgw.gw
    victim, admin = connect(gw), connect(gw)
    try:
        if how == "sql":
            with admin.cursor() as cur:
                cur.execute(f"KILL CONNECTION {victim.thread_id()}")
        else:
            admin.kill(victim.thread_id())  # COM_PROCESS_KILL, answered with OK
        with pytest.raises(pymysql.err.MySQLError), victim.cursor() as cur:
            cur.execute("SELECT 1")
        with admin.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        victim.close()
        admin.close()
