"""One client streaming cheap messages cannot keep the event loop from the other sessions.

A connection that reads what is already buffered and answers with writes that do not fill the
socket never suspends: a client sending Syncs as fast as its socket takes them (and reading the
answers) had the loop for 128 KiB of input at a time, and another session's query waited for
it at every step (17 s instead of 16 ms). Connection loops now yield once per time slice
(``gateway/timeslice.py``). Measured as a count, not a time: the attacker's answers while the
victim's one statement runs (tens of thousands for each step the victim waited on).
"""

from __future__ import annotations

import os
import socket
import threading

import psycopg

from tests.gateway_pg.conftest import ThreadedGateway

SYNC = b"S\x00\x00\x00\x04"
READY = 6  # bytes of each ReadyForQuery answer
# Without the time slice: 1.15M answers while the victim's statement ran. With it: 7-14k on
# an idle machine, 266k in a loaded CI run (the victim's DuckDB thread then waits longer for
# the GIL, so more slices pass): the bound sits between the two behaviours.
BOUND = 600_000


def test_a_sync_flood_does_not_stall_another_session(tgw: ThreadedGateway) -> None:
    victim = psycopg.connect(tgw.gw.dsn("disable"), autocommit=True)
    attacker = psycopg.connect(tgw.gw.dsn("disable"), autocommit=True)
    sock = socket.socket(fileno=os.dup(attacker.fileno()))
    sock.setblocking(True)  # psycopg's socket is non-blocking; the dup shares that
    stop = threading.Event()
    received = [0]

    def send() -> None:
        batch = SYNC * 20_000
        while not stop.is_set():
            try:
                sock.sendall(batch)
            except OSError:
                return

    def receive() -> None:
        while not stop.is_set():
            try:
                data = sock.recv(1 << 20)
            except OSError:
                return
            if not data:
                return
            received[0] += len(data)

    threads = [threading.Thread(target=f, daemon=True) for f in (send, receive)]
    for thread in threads:
        thread.start()
    try:
        while received[0] < 100_000 * READY:  # the flood is under way
            threading.Event().wait(0.01)
        before = received[0]
        assert victim.execute("select count(*) from orders").fetchone() == (1000,)
        answered = (received[0] - before) // READY
    finally:
        stop.set()
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        attacker.close()
        victim.close()
    assert answered < BOUND, answered
