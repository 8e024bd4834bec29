"""A gateway process killed (``kill -9``) and started again on the same ports.

Its clients lose their connections and reconnect; a credential deleted before the crash, and
one deleted while the gateway was down, stay refused after the restart (the new process loads
its cache from the metadata database, it does not remember an old one).
"""

from __future__ import annotations

import time

import psycopg
import pytest

from tests.faults.stack import Stack
from tests.faults.timings import record

TOTAL = "SELECT MEASURE(count) FROM facts"


def test_clients_reconnect_and_revoked_stays_revoked(healthy: Stack) -> None:
    s, gw = healthy, healthy.gateway
    acct = s.account()
    alive, early, late = (acct.create_credential() for _ in range(3))
    conn = alive.pg(gw.pg_port)
    assert conn.execute(TOTAL).fetchone() == (100_000,)
    acct.delete(early)

    gw.kill9()
    killed_at = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        conn.execute(TOTAL)
    conn.close()
    acct.delete(late)  # while no gateway runs
    gw.start()
    record("gateway kill -9: restarted and ready (s)", time.monotonic() - killed_at)

    deadline = time.monotonic() + 20
    while True:  # what a client's reconnect loop does
        try:
            conn = alive.pg(gw.pg_port)
            break
        except psycopg.OperationalError:
            assert time.monotonic() < deadline, "no reconnect within 20 s"
            time.sleep(0.1)
    record("gateway kill -9: a client reconnected (s)", time.monotonic() - killed_at)
    with conn:
        assert conn.execute(TOTAL).fetchone() == (100_000,)
    for revoked in (early, late):
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            revoked.pg(gw.pg_port)
