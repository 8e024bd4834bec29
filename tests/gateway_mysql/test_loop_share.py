"""One client streaming COM_PINGs cannot keep the event loop from the other sessions.

As on the PostgreSQL wire (``tests/gateway_pg/test_loop_share.py``): a connection answering
commands that are already buffered never suspends, so a client pipelining pings had the loop
for every batch it sent, and another session's query waited for a whole batch at each of its
steps (5 s instead of 5 ms). Measured as a count: the pings answered while the victim's five
statements run.
"""

from __future__ import annotations

import threading

import pymysql

from tests.gateway_mysql.conftest import Gateway

PING = b"\x01\x00\x00\x00\x0e"  # COM_PING, sequence id 0
OK = 11  # bytes of each answer: header and a 7-byte OK packet
BATCH = 20_000
STATEMENTS = 5
BOUND = 6_000


def _connect(gw: Gateway) -> pymysql.connections.Connection:
    return pymysql.connect(
        host="127.0.0.1",
        port=gw.port,
        user=gw.user,
        password=gw.password,
        ssl={"check_hostname": False},
        ssl_verify_cert=False,
    )


def test_a_ping_flood_does_not_stall_another_session(gw: Gateway) -> None:
    victim, attacker = _connect(gw), _connect(gw)
    sock = attacker._sock
    assert sock is not None
    stop = threading.Event()
    answered = [0]

    def flood() -> None:  # one thread: an SSL socket is not for two
        while not stop.is_set():
            sock.sendall(PING * BATCH)
            need = BATCH * OK
            while need > 0:
                data = sock.recv(1 << 20)
                if not data:
                    return
                need -= len(data)
                answered[0] += len(data) // OK

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    try:
        while answered[0] < 2 * BATCH:  # the flood is under way
            threading.Event().wait(0.01)
        before = answered[0]
        with victim.cursor() as cur:
            for _ in range(STATEMENTS):
                cur.execute("SELECT COUNT(*) FROM orders")
                assert cur.fetchone() == (1000,)
        during = answered[0] - before
    finally:
        stop.set()
        thread.join(30)
        attacker._sock = None
        sock.close()
        victim.close()
    assert during < BOUND, during
