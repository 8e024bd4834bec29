"""A MySQL-wire connection whose transport was closed under a statement still being answered
(its session ended by a revocation, or the peer went away): the next flush is the ordinary
"client gone", not an internal error. uvloop, the servers' loop, raises RuntimeError on a
write to a closed transport where Python's own loop drops the bytes; the 600 s soak logged
three MySQL-wire "internal error"s from it."""

from __future__ import annotations

import asyncio

import pytest

from gateway.mysql.stream import ConnectionClosed, PacketStream


async def test_a_write_after_the_transport_closed_is_connection_closed() -> None:
    accepted: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accepted.put((reader, writer))

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, client = await asyncio.open_connection("127.0.0.1", port)
    try:
        reader, writer = await asyncio.wait_for(accepted.get(), 5)
        stream = PacketStream(reader, writer)
        await stream.send(b"\x00 first packet")
        writer.transport.close()  # what ending the session does, while a handler still writes
        for _ in range(3):  # let the loop finish closing it
            await asyncio.sleep(0)
        stream.write(b"\x00 a row")
        with pytest.raises(ConnectionClosed):
            await stream.flush()
    finally:
        client.close()
        server.close()
        await server.wait_closed()
