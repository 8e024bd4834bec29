"""A write on a connection whose transport has closed is "the peer is gone", on either loop.

uvloop (the servers' loop, ``EVENT_LOOP``) raises RuntimeError on a write to a closed
transport where Python's own loop drops the bytes: without handling, a revoked session or a
vanished client still being answered logged an internal error, and a source connection the
server had hung up on failed with XX000 instead of the lost-connection error (08006).
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from backend import eventloop
from backend.connectors import pgwire
from gateway.postgres.config import PgGatewayConfig
from gateway.postgres.connection import ClientGone, PgConnection
from tests.services import require_postgres

LOOPS = ["uvloop", "asyncio"]


async def _closed_pair() -> tuple[Any, asyncio.StreamReader, asyncio.StreamWriter,
                                  asyncio.StreamWriter]:
    accepted: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accepted.put((reader, writer))

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    _, client = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
    reader, writer = await asyncio.wait_for(accepted.get(), 5)
    return server, reader, writer, client


@pytest.mark.parametrize("loop", LOOPS)
def test_a_client_write_after_the_transport_closed_is_client_gone(loop: str) -> None:
    async def scenario() -> None:
        server, reader, writer, client = await _closed_pair()
        try:
            conn = PgConnection(SimpleNamespace(config=PgGatewayConfig()), reader, writer,
                                process_id=1, secret_key=2)
            conn.send(b"Z\x00\x00\x00\x05I")
            await conn.flush()
            writer.transport.close()  # what ending the session does while it still answers
            for _ in range(3):
                await asyncio.sleep(0)
            conn.send(b"Z\x00\x00\x00\x05I")
            with pytest.raises(ClientGone):
                await conn.flush()
        finally:
            client.close()
            server.close()
            await server.wait_closed()

    eventloop.run(scenario(), loop)


@pytest.mark.postgres
@pytest.mark.parametrize("loop", LOOPS)
def test_a_source_write_after_the_server_hung_up_is_a_lost_connection(loop: str) -> None:
    require_postgres()

    async def scenario() -> None:
        conn = await pgwire.connect(["127.0.0.1"], 5432, user="postgres", password="",
                                    database="test", ssl_context=None, settings={},
                                    timeout=10)
        try:
            conn._writer.transport.close()  # as when the server's end went away and was seen
            for _ in range(3):
                await asyncio.sleep(0)
            with pytest.raises(ConnectionError):
                await conn.prepare("SELECT 1")
            assert conn.closed  # the pool will not hand it out again
        finally:
            conn.terminate()

    eventloop.run(scenario(), loop)
