"""A small PostgreSQL client for the query hot path: one round trip per statement, raw rows.

asyncpg costs the gateway five round trips per statement (BEGIN, prepare, COPY or fetch,
ROLLBACK, the pool's reset) and decodes every value into a Python object. This client keeps
the same safety — every statement inside ``BEGIN TRANSACTION READ ONLY`` with ``SET LOCAL
statement_timeout``, always rolled back — but sends all of it in one write:

    Bind/Execute BEGIN, Bind/Execute SET LOCAL, Bind/Execute the query, Bind/Execute ROLLBACK, Sync

using statements parsed once per connection (the query's own ``Parse``/``Describe`` is one
extra round trip the first time a connection sees that SQL text, then cached, bounded). The
result is read as the DataRow messages themselves: runs of them can be forwarded to a
PostgreSQL client untouched (``gateway.postgres.forward``) or decoded here for everyone else.
An Execute without a row limit runs the query to completion, so the planner may use parallel
workers. Nothing needs resetting when a connection goes back to the pool: whatever a statement
changed (even ``set_config(..., false)``) was inside the rolled-back transaction.

Reading stops while the consumer is busy, so TCP flow control holds the server back and memory
stays bounded. Connections start with DateStyle ISO, TimeZone UTC, IntervalStyle postgres,
extra_float_digits 1 and UTF8, so text-format values read as the gateway would write them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import secrets
import ssl
import struct
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

_I16 = struct.Struct("!h")
_I32 = struct.Struct("!i")
_HEAD = struct.Struct("!ci")
_READ_CHUNK = 256 * 1024
STATEMENT_CACHE_SIZE = 256


class WireError(Exception):
    """An ErrorResponse from the server."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        self.sqlstate = fields.get("C", "XX000")
        super().__init__(fields.get("M", "error"))


class WireProtocolError(Exception):
    """The server said something this client does not expect."""


def _cstr(s: str) -> bytes:
    return s.encode() + b"\x00"


def _msg(kind: bytes, body: bytes) -> bytes:
    return kind + _I32.pack(len(body) + 4) + body


def _error_fields(body: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in body.split(b"\x00"):
        if part:
            out[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return out


@dataclass(frozen=True)
class Statement:
    name: str
    param_oids: tuple[int, ...]
    # (name, type oid) of each result column; empty: the statement returns no rows.
    columns: tuple[tuple[str, int], ...]


def _bind(statement: str, params: Sequence[bytes | None], result_formats: Sequence[int]) -> bytes:
    parts = [b"\x00", _cstr(statement), _I16.pack(0), _I16.pack(len(params))]
    for p in params:
        if p is None:
            parts.append(_I32.pack(-1))
        else:
            parts.append(_I32.pack(len(p)))
            parts.append(p)
    parts.append(_I16.pack(len(result_formats)))
    parts.extend(_I16.pack(f) for f in result_formats)
    return _msg(b"B", b"".join(parts))


_EXECUTE_ALL = _msg(b"E", b"\x00" + _I32.pack(0))
_BIND_COMPLETE = _msg(b"2", b"")
_WRAPPER_ANSWER = (_BIND_COMPLETE + _msg(b"C", b"BEGIN\x00") + _BIND_COMPLETE
                   + _msg(b"C", b"SET\x00") + _BIND_COMPLETE)
_SYNC = _msg(b"S", b"")


class WireConnection:
    """One authenticated connection to a PostgreSQL server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 host: str, port: int, ssl_context: ssl.SSLContext | None):
        self._reader = reader
        self._writer = writer
        self._host, self._port, self._ssl = host, port, ssl_context
        self._buf = b""
        self._pos = 0
        self.pid = 0
        self.secret = 0
        self.status = b"I"
        self.closed = False
        self.last_used = time.monotonic()
        self.statements: OrderedDict[str, Statement] = OrderedDict()
        self._counter = 0
        self._wrapper = b""  # Bind/Execute of BEGIN and SET LOCAL, then ROLLBACK + Sync
        self._unwrap = b""

    # --- reading ---------------------------------------------------------------------------

    async def _fill(self) -> None:
        data = await self._reader.read(_READ_CHUNK)
        if not data:
            self.closed = True
            raise ConnectionError("the server closed the connection")
        if self._pos:
            self._buf = self._buf[self._pos:] + data
            self._pos = 0
        else:
            self._buf += data

    async def message(self) -> tuple[bytes, bytes]:
        """The next whole message (kind, body); notices and parameter changes are skipped."""
        while True:
            while len(self._buf) - self._pos < 5:
                await self._fill()
            kind, length = _HEAD.unpack_from(self._buf, self._pos)
            if length < 4:  # its own length counts: less would never advance (a busy loop)
                raise WireProtocolError(f"invalid message length {length} from the server")
            while len(self._buf) - self._pos < 1 + length:
                await self._fill()  # (moves what is left to the front: _pos changes)
            end = self._pos + 1 + length
            body = self._buf[self._pos + 5:end]
            self._pos = end
            if kind in (b"N", b"S", b"A"):
                continue
            return kind, body

    def take_rows(self) -> tuple[bytes, int]:
        """The run of whole DataRow messages at the front of the buffer, and their count."""
        buf, pos = self._buf, self._pos
        start, size, count = pos, len(buf), 0
        unpack = _I32.unpack_from
        while size - pos >= 5 and buf[pos] == 0x44:  # "D"
            length = unpack(buf, pos + 1)[0]
            if length < 6:  # length and field count: a server that sends less is broken
                raise WireProtocolError(f"invalid DataRow length {length} from the server")
            end = pos + 1 + length
            if end > size:
                break
            pos = end
            count += 1
        self._pos = pos
        return buf[start:pos], count

    async def skip(self, expected: bytes) -> bool:
        """Consume ``expected`` if the answer starts with exactly those bytes (reading until
        it has them, or until what has arrived differs); False leaves the buffer as it was."""
        size = len(expected)
        while len(self._buf) - self._pos < size:
            if not expected.startswith(self._buf[self._pos:]):
                return False
            await self._fill()
        if self._buf[self._pos:self._pos + size] != expected:
            return False
        self._pos += size
        return True

    def buffered(self) -> bool:
        """Whether more of the answer is already here (reading it will not wait)."""
        return len(self._buf) > self._pos or bool(getattr(self._reader, "_buffer", b""))

    async def expect(self, *kinds: bytes) -> bytes:
        kind, body = await self.message()
        if kind == b"E":
            raise WireError(_error_fields(body))
        if kind not in kinds:
            raise WireProtocolError(f"expected {kinds!r}, got {kind!r}")
        return body

    async def until_ready(self) -> WireError | None:
        """Read up to ReadyForQuery; the first error seen is returned, not raised."""
        error: WireError | None = None
        while True:
            kind, body = await self.message()
            if kind == b"Z":
                self.status = body[:1]
                return error
            if kind == b"E" and error is None:
                error = WireError(_error_fields(body))

    # --- writing ---------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self._writer.transport.is_closing():
            # The server hung up (or we did): an OSError like every lost connection. uvloop
            # raises RuntimeError on a write to a closed transport where asyncio drops it.
            self.closed = True
            raise ConnectionError("the connection to the server was closed")
        self._writer.write(data)

    async def drain(self) -> None:
        await self._writer.drain()

    # --- statements ------------------------------------------------------------------------

    def _name(self) -> str:
        self._counter += 1
        return f"mq{self._counter}"

    async def set_wrapper(self, timeout_ms: int) -> None:
        """Parse the transaction statements once (one round trip, at connect)."""
        out = []
        for name, sql in (("mq_begin", "BEGIN TRANSACTION READ ONLY"),
                          ("mq_timeout", f"SET LOCAL statement_timeout = {int(timeout_ms)}"),
                          ("mq_rollback", "ROLLBACK")):
            out.append(_msg(b"P", _cstr(name) + _cstr(sql) + _I16.pack(0)))
        out.append(_SYNC)
        self.write(b"".join(out))
        error = await self.until_ready()
        if error is not None:
            raise error
        self._wrapper = (_bind("mq_begin", (), ()) + _EXECUTE_ALL
                         + _bind("mq_timeout", (), ()) + _EXECUTE_ALL)
        self._unwrap = _bind("mq_rollback", (), ()) + _EXECUTE_ALL + _SYNC

    async def prepare(self, sql: str) -> Statement:
        """The cached statement for ``sql``, parsed and described on first use."""
        stmt = self.statements.get(sql)
        if stmt is not None:
            self.statements.move_to_end(sql)
            return stmt
        name = self._name()
        out = [_msg(b"P", _cstr(name) + _cstr(sql) + _I16.pack(0)),
               _msg(b"D", b"S" + _cstr(name))]
        if len(self.statements) >= STATEMENT_CACHE_SIZE:
            _, old = self.statements.popitem(last=False)
            out.append(_msg(b"C", b"S" + _cstr(old.name)))
        out.append(_SYNC)
        self.write(b"".join(out))
        params: tuple[int, ...] = ()
        columns: tuple[tuple[str, int], ...] = ()
        error: WireError | None = None
        while True:
            kind, body = await self.message()
            if kind == b"t":
                (n,) = _I16.unpack_from(body)
                params = struct.unpack_from(f"!{n}I", body, 2)
            elif kind == b"T":
                columns = _row_description(body)
            elif kind == b"E" and error is None:
                error = WireError(_error_fields(body))
            elif kind == b"Z":
                self.status = body[:1]
                break
        if error is not None:
            raise error
        stmt = Statement(name, params, columns)
        self.statements[sql] = stmt
        return stmt

    def start(self, stmt: Statement, params: Sequence[bytes | None],
              result_formats: Sequence[int]) -> None:
        """Send the whole statement (wrapped in its read-only transaction) in one write."""
        self.write(self._wrapper + _bind(stmt.name, params, result_formats) + _EXECUTE_ALL
                   + self._unwrap)

    async def cancel(self) -> None:
        """A CancelRequest on a new connection, as the protocol wants."""
        reader, writer = await asyncio.open_connection(self._host, self._port)
        try:
            if self._ssl is not None:
                writer.write(struct.pack("!ii", 8, 80877103))
                await writer.drain()
                if await reader.readexactly(1) == b"S":
                    await writer.start_tls(self._ssl, server_hostname=_server_name(self._ssl))
            writer.write(struct.pack("!iiii", 16, 80877102, self.pid, self.secret))
            await writer.drain()
            await reader.read(1)  # the server closes the connection when done
        finally:
            writer.close()

    def terminate(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                self._writer.write(_msg(b"X", b""))
            self._writer.transport.abort()

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self._writer.write(_msg(b"X", b""))
                self._writer.close()
            except Exception:
                self._writer.transport.abort()


def _row_description(body: bytes) -> tuple[tuple[str, int], ...]:
    (n,) = _I16.unpack_from(body)
    pos, out = 2, []
    for _ in range(n):
        end = body.index(b"\x00", pos)
        name = body[pos:end].decode()
        _, _, oid, _, _, _ = struct.unpack_from("!IhIhih", body, end + 1)
        out.append((name, oid))
        pos = end + 1 + 18
    return tuple(out)


def _server_name(context: ssl.SSLContext) -> str | None:
    return getattr(context, "server_name", None) or None


async def connect(
    hosts: Sequence[str], port: int, *, user: str, password: str, database: str,
    ssl_context: ssl.SSLContext | None, settings: dict[str, str], timeout: float,
) -> WireConnection:
    last: BaseException | None = None
    for host in hosts:
        try:
            async with asyncio.timeout(timeout):
                return await _connect_one(host, port, user=user, password=password,
                                          database=database, ssl_context=ssl_context,
                                          settings=settings)
        except WireError:
            raise
        except (OSError, TimeoutError, WireProtocolError, asyncio.IncompleteReadError) as exc:
            last = exc
    assert last is not None
    raise last


async def _connect_one(
    host: str, port: int, *, user: str, password: str, database: str,
    ssl_context: ssl.SSLContext | None, settings: dict[str, str],
) -> WireConnection:
    reader, writer = await asyncio.open_connection(host, port, limit=2**20)
    try:
        if ssl_context is not None:
            writer.write(struct.pack("!ii", 8, 80877103))
            await writer.drain()
            answer = await reader.readexactly(1)
            if answer != b"S":
                raise ConnectionError("the server rejected SSL")
            await writer.start_tls(ssl_context, server_hostname=_server_name(ssl_context))
        params = {"user": user, "database": database, **settings}
        body = struct.pack("!i", 196608) + b"".join(
            _cstr(k) + _cstr(v) for k, v in params.items()) + b"\x00"
        writer.write(_I32.pack(len(body) + 4) + body)
        conn = WireConnection(reader, writer, host, port, ssl_context)
        await _authenticate(conn, user, password)
        while True:
            kind, body = await conn.message()
            if kind == b"K":
                conn.pid, conn.secret = struct.unpack("!ii", body)
            elif kind == b"E":
                raise WireError(_error_fields(body))
            elif kind == b"Z":
                conn.status = body[:1]
                return conn
    except BaseException:
        writer.transport.abort()
        raise


async def _authenticate(conn: WireConnection, user: str, password: str) -> None:
    scram: _ScramClient | None = None
    while True:
        body = await conn.expect(b"R")
        (code,) = _I32.unpack_from(body)
        if code == 0:
            return
        if code == 3:  # cleartext
            conn.write(_msg(b"p", _cstr(password)))
        elif code == 5:  # md5
            inner = hashlib.md5((password + user).encode()).hexdigest()
            outer = hashlib.md5(inner.encode() + body[4:8]).hexdigest()
            conn.write(_msg(b"p", _cstr("md5" + outer)))
        elif code == 10:  # SASL: mechanisms offered
            mechanisms = [m.decode() for m in body[4:].split(b"\x00") if m]
            if "SCRAM-SHA-256" not in mechanisms:
                raise WireProtocolError(f"no supported SASL mechanism in {mechanisms}")
            scram = _ScramClient(password)
            first = scram.first()
            conn.write(_msg(b"p", _cstr("SCRAM-SHA-256") + _I32.pack(len(first)) + first))
        elif code == 11 and scram is not None:  # SASL continue
            conn.write(_msg(b"p", scram.final(body[4:])))
        elif code == 12 and scram is not None:  # SASL final
            scram.verify(body[4:])
        else:
            raise WireProtocolError(f"unsupported authentication request {code}")
        await conn.drain()


class _ScramClient:
    """SCRAM-SHA-256 without channel binding (RFC 5802 / 7677)."""

    def __init__(self, password: str):
        self._password = password
        self._nonce = base64.b64encode(secrets.token_bytes(18)).decode()
        self._first_bare = f"n=,r={self._nonce}"
        self._server_signature = b""

    def first(self) -> bytes:
        return ("n,," + self._first_bare).encode()

    def final(self, server_first: bytes) -> bytes:
        attrs = dict(part.split("=", 1) for part in server_first.decode().split(","))
        nonce, salt, iterations = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        if not nonce.startswith(self._nonce):
            raise WireProtocolError("SCRAM: the server's nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac("sha256", self._password.encode(), salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={nonce}"
        auth = f"{self._first_bare},{server_first.decode()},{without_proof}".encode()
        signature = hmac.new(stored_key, auth, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self._server_signature = hmac.new(server_key, auth, hashlib.sha256).digest()
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()

    def verify(self, server_final: bytes) -> None:
        attrs = dict(part.split("=", 1) for part in server_final.decode().split(","))
        if not hmac.compare_digest(base64.b64decode(attrs.get("v", "")),
                                   self._server_signature):
            raise WireProtocolError("SCRAM: the server's signature does not match")


# --- parameters as text -------------------------------------------------------------------------


def text_param(value: Any) -> bytes | None:
    """A bind parameter in text format (the server infers its type), or raise TypeError for
    values this client leaves to asyncpg."""
    import datetime as dt
    from decimal import Decimal

    if value is None:
        return None
    t = type(value)
    if t is bool:
        return b"t" if value else b"f"
    if t is int or t is Decimal:
        return str(value).encode()
    if t is float:
        if value != value:
            return b"NaN"
        if value in (float("inf"), float("-inf")):
            return b"Infinity" if value > 0 else b"-Infinity"
        return repr(value).encode()
    if isinstance(value, str) and t is str:
        if "\x00" in value:
            raise TypeError("NUL in a text parameter")
        return value.encode()
    if isinstance(value, (dt.date, dt.time)) and t in (dt.date, dt.datetime, dt.time):
        return value.isoformat().encode()
    if isinstance(value, bytes) and t is bytes:
        return b"\\x" + value.hex().encode()
    raise TypeError(f"no text encoding for {t.__name__}")


# --- the pool ----------------------------------------------------------------------------------


class WirePool:
    """At most ``max_size`` connections; idle ones kept for ``idle_lifetime`` seconds. Release
    does no work: every statement's transaction was already rolled back."""

    def __init__(self, connect: Callable[[], Any], max_size: int, idle_lifetime: float):
        self._connect = connect
        self._idle: list[WireConnection] = []
        self._slots = asyncio.Semaphore(max_size)
        self._idle_lifetime = idle_lifetime
        self._closed = False

    async def acquire(self) -> WireConnection:
        await self._slots.acquire()
        try:
            now = time.monotonic()
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed and now - conn.last_used < self._idle_lifetime:
                    return conn
                await conn.close()
            conn = await self._connect()
            return conn  # type: ignore[no-any-return]
        except BaseException:
            self._slots.release()
            raise

    def release(self, conn: WireConnection) -> None:
        if conn.closed or conn.status != b"I" or self._closed:
            conn.terminate()
        else:
            conn.last_used = time.monotonic()
            self._idle.append(conn)
        self._slots.release()

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


async def read_rows(conn: WireConnection) -> AsyncIterator[tuple[bytes, int]]:
    """After ``start``: runs of DataRow messages (bytes, count) until the query's
    CommandComplete; then the rest of the pipeline is read up to ReadyForQuery. A query error
    is raised (the transaction is then rolled back before the connection can be reused)."""
    # BindComplete/CommandComplete of BEGIN and SET LOCAL, then the query's BindComplete:
    # always these exact bytes when all went well, so compared at once; message by message
    # (an error, a notice in between) otherwise.
    if not await conn.skip(_WRAPPER_ANSWER):
        for _ in range(2):
            await conn.expect(b"2")
            await conn.expect(b"C")
        await conn.expect(b"2")
    while True:
        chunk, count = conn.take_rows()
        if count:
            yield chunk, count
            continue
        kind, body = await conn.message()
        if kind == b"D":  # a row that did not fit the buffer whole
            yield _msg(b"D", body), 1
        elif kind in (b"C", b"I"):
            break
        elif kind == b"E":
            raise WireError(_error_fields(body))
        else:
            raise WireProtocolError(f"unexpected message {kind!r} in a result")
    error = await conn.until_ready()
    if error is not None:
        raise error


def decode_rows(chunk: bytes, decoders: Sequence[Callable[[bytes], Any]]) -> list[tuple[Any, ...]]:
    """A run of DataRow messages (binary format) as tuples of Python values."""
    rows: list[tuple[Any, ...]] = []
    unpack = _I32.unpack_from
    pos, size = 0, len(chunk)
    while pos < size:
        end = pos + 1 + unpack(chunk, pos + 1)[0]
        p = pos + 7  # kind, length, field count
        row: list[Any] = []
        for decode in decoders:
            (length,) = unpack(chunk, p)
            p += 4
            if length < 0:
                row.append(None)
            else:
                row.append(decode(chunk[p:p + length]))
                p += length
        rows.append(tuple(row))
        pos = end
    return rows
