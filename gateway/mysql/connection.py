"""One client connection: the connection phase (handshake, TLS, auth), then the command phase.

The connection owns its packet stream, its session variables and its prepared statements.
Every wait on the data source goes through :meth:`MysqlConnection._from_source`, so KILL QUERY
from another connection can interrupt it between packets, never in the middle of one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from backend.connectors.base import QueryResult, ResultColumn
from backend.core.errors import (
    AppError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotSupported,
    ProtocolViolation,
    QueryCanceled,
    RateLimited,
    SessionTerminated,
    TooManyConnections,
)
from backend.core.grants import CredentialGrant
from backend.observability import logs, metrics
from gateway.catalog.sandbox import run_bounded
from gateway.timeslice import TimeSlice

from . import metadata
from .auth import authenticate
from .constants import (
    CACHING_SHA2,
    CLEAR_PASSWORD,
    DATABASE,
    PERFORM_FULL_AUTHENTICATION,
    SERVER_CAPABILITIES,
    SERVER_VERSION,
    Capability,
    Command,
    ServerStatus,
)
from .errors import err_packet
from .interface import SqlSession
from .packets import (
    PacketError,
    Reader,
    is_null,
    make_auth_more_data,
    make_auth_switch_request,
    make_column_count,
    make_column_definition,
    make_eof,
    make_handshake_v10,
    make_ok,
    make_stmt_prepare_ok,
    parse_handshake_response,
    parse_stmt_execute,
)
from .stream import ConnectionClosed, PacketStream
from .values import (
    binary_row_encoder,
    column_definition,
    read_binary_param,
    text_row_encoder,
)

if TYPE_CHECKING:
    from .server import MysqlServer

log = logging.getLogger("gateway.mysql")
_ROWS = metrics.rows_counter("mysql")
T = TypeVar("T")
BATCH_ROWS = 1000
TLS_REQUIRED = "TLS is required to log in to the SQL API: connect with SSL (e.g. --ssl)"


_COMMAND_NAMES = {int(c): c.name.replace("_", " ").title() for c in Command}


def make_scramble() -> bytes:
    # Clients treat the second part of the scramble as NUL-terminated: no zero bytes.
    return bytes(1 + secrets.randbelow(127) for _ in range(20))


@dataclass
class PreparedStatement:
    sql: str
    param_count: int
    columns: tuple[ResultColumn, ...]
    param_types: list[tuple[int, bool]] | None = None  # as the client sent them
    inferred: tuple[str, ...] = ()  # what the context implies (announced at prepare)
    long_data: dict[int, bytearray] = field(default_factory=dict)


class MysqlConnection:
    def __init__(self, server: MysqlServer, stream: PacketStream, connection_id: int,
                 address: str):
        self.server = server
        self.stream = stream
        self.id = connection_id
        self.address = address
        self.capabilities = 0
        self.grant: CredentialGrant | None = None
        self.session: SqlSession | None = None
        self.state: metadata.SessionState | None = None
        self.statements: dict[int, PreparedStatement] = {}
        self._next_statement = 1
        self._inflight: asyncio.Future[Any] | None = None
        self._kill_requested = False
        self._closing = False
        self.command = "Connect"
        self.current_sql: str | None = None
        self.command_started = time.monotonic()

    # --- lifecycle -----------------------------------------------------------------------------

    async def run(self) -> None:
        logs.session_id.set(f"mysql-{self.id}")  # this connection's task only
        try:
            if len(self.server.connections) > self.server.max_connections:
                # Before the handshake, as MySQL does: clients read an ERR in its place.
                await self._send_error(TooManyConnections("Too many connections"))
                return
            try:
                logged_in = await asyncio.wait_for(self.connection_phase(),
                                                   self.server.login_timeout)
            except TimeoutError:
                return  # a half-open login must not hold a connection slot forever
            if logged_in:
                await self.command_phase()
        except ConnectionClosed:
            pass
        except (PacketError, ssl.SSLError, UnicodeDecodeError) as exc:
            log.info("mysql connection %d: protocol error: %s", self.id, exc)
            await self._send_error(ProtocolViolation(f"protocol error: {exc}"))
        finally:
            if self.session is not None:
                await self.session.close()
            await self.stream.close()

    @property
    def deprecate_eof(self) -> bool:
        return bool(self.capabilities & Capability.DEPRECATE_EOF)

    def _status(self) -> int:
        autocommit = self.state is None or str(self.state.variables.get("autocommit")) in (
            "1", "ON", "on", "True")
        return int(ServerStatus.AUTOCOMMIT) if autocommit else 0

    async def _send_error(self, error: AppError) -> None:
        metrics.count_error("mysql", error)
        with contextlib.suppress(ConnectionClosed, ConnectionError, RuntimeError, ssl.SSLError):
            await self.stream.send(err_packet(error))

    # --- connection phase ----------------------------------------------------------------------

    async def connection_phase(self) -> bool:
        """Handshake, optional TLS upgrade and authentication; True when the client is in."""
        tls_context = self.server.ssl_context
        offered = SERVER_CAPABILITIES | (Capability.SSL if tls_context else 0)
        scramble = make_scramble()
        await self.stream.send(make_handshake_v10(
            server_version=SERVER_VERSION, connection_id=self.id, scramble=scramble,
            capabilities=int(offered), status=int(ServerStatus.AUTOCOMMIT),
            auth_plugin=CACHING_SHA2))
        response = parse_handshake_response(await self.stream.read())
        if response.ssl_request:
            if tls_context is None:
                raise PacketError("SSL requested but not offered")
            await self.stream.start_tls(tls_context)
            response = parse_handshake_response(await self.stream.read())
            if response.ssl_request:
                raise PacketError("second SSLRequest")
        self.capabilities = response.capabilities & offered
        username = response.username
        password = await self._obtain_password(response.auth_plugin or "", response.auth_response,
                                               scramble)
        if password is None:
            return False
        try:
            grant = await authenticate(self.server.grants, self.server.throttle, username,
                                       password, self.address)
        except AppError as exc:
            action = "login_rate_limited" if isinstance(exc, RateLimited) else "login_failed"
            self.server.audit(action, username=username, client_addr=self.address)
            # The connection ends here: nothing sent after a failed login is ever read.
            await self._send_error(exc)
            return False
        try:
            database = (metadata.check_database(response.database)
                        if response.database else None)
            self.session = await self.server.session_factory(grant)
            await self.session.ready()
        except AppError as exc:
            await self._send_error(exc)
            return False
        self.grant = grant
        self.server.audit("login", username=username, client_addr=self.address,
                          credential_id=grant.credential_id, connection_id=self.id)
        self.state = metadata.SessionState(username=username, connection_id=self.id,
                                           tables=list(self.session.tables()),
                                           database=database,
                                           processes=lambda: self.server.processes(grant),
                                           tls=self._tls_facts())
        self.stream.max_incoming = int(self.state.variables["max_allowed_packet"])
        await self.stream.send(make_ok(status=self._status()))
        return True

    def _tls_facts(self) -> tuple[str, str]:
        tls: ssl.SSLObject | None = getattr(self.stream, "_tls", None)
        if tls is None:
            return ("", "")
        cipher = tls.cipher()
        return (tls.version() or "", cipher[0] if cipher else "")

    async def _obtain_password(self, plugin: str, initial: bytes, scramble: bytes) -> str | None:
        """The cleartext password the client proves itself with, or None after refusing."""
        if not self.stream.tls:
            # Full authentication needs a cleartext password, which only travels over TLS; we
            # refuse rather than offer RSA key exchange.
            await self._send_error(NotAuthenticated(TLS_REQUIRED))
            return None
        if plugin == CLEAR_PASSWORD:
            return initial.rstrip(b"\0").decode("utf-8", "replace")
        if plugin != CACHING_SHA2:
            await self.stream.send(make_auth_switch_request(CACHING_SHA2, scramble + b"\0"))
            await self.stream.read()  # the client's scramble: useless without a SHA-256 cache
        # No fast-auth cache: every login is a full authentication against the verifier.
        await self.stream.send(make_auth_more_data(bytes((PERFORM_FULL_AUTHENTICATION,))))
        packet = await self.stream.read()
        return packet.rstrip(b"\0").decode("utf-8", "replace")

    # --- command phase -------------------------------------------------------------------------

    async def command_phase(self) -> None:
        handlers: dict[int, Callable[[bytes], Awaitable[bool]]] = {
            Command.QUIT: self.handle_quit,
            Command.INIT_DB: self.handle_init_db,
            Command.QUERY: self.handle_query,
            Command.FIELD_LIST: self.handle_field_list,
            Command.STATISTICS: self.handle_statistics,
            Command.PROCESS_KILL: self.handle_process_kill,
            Command.PING: self.handle_ping,
            Command.STMT_PREPARE: self.handle_stmt_prepare,
            Command.STMT_EXECUTE: self.handle_stmt_execute,
            Command.STMT_SEND_LONG_DATA: self.handle_stmt_send_long_data,
            Command.STMT_CLOSE: self.handle_stmt_close,
            Command.STMT_RESET: self.handle_stmt_reset,
            Command.SET_OPTION: self.handle_set_option,
            Command.RESET_CONNECTION: self.handle_reset_connection,
        }
        turn = TimeSlice()
        while not self._closing:
            if turn.due():
                await asyncio.sleep(0)  # the other connections of the process get their turn
            self.stream.reset()
            payload = await self.stream.read()
            if not payload:
                raise PacketError("empty command packet")
            self._kill_requested = False
            handler = handlers.get(payload[0])
            self.command = _COMMAND_NAMES.get(payload[0], "Unknown")
            self.command_started = time.monotonic()
            try:
                self._check_grant_current()
                if handler is None:
                    raise NotSupported(f"command {payload[0]:#04x} is not supported")
                if not await handler(payload):
                    return
            except SessionTerminated as exc:
                await self._send_error(exc)
                return
            except AppError as exc:
                # The statement's text may hold data or secrets: only its kind at INFO.
                log.info("mysql connection %d: %s %s failed: %s", self.id, self.command,
                         statement_keyword(self.current_sql), exc.code)
                log.debug("mysql connection %d: failed statement: %s", self.id,
                          self.current_sql)
                await self._send_error(exc)
            except (ConnectionClosed, PacketError):
                raise
            except Exception:
                log.exception("mysql connection %d: internal error", self.id)
                await self._send_error(AppError("internal error"))
            finally:
                self.command, self.current_sql = "Sleep", None
                self.command_started = time.monotonic()
            await self.stream.flush()

    def _check_grant_current(self) -> None:
        """A credential deleted or rotated since login ends the session."""
        assert self.grant is not None
        current = self.server.grants.lookup(self.grant.username)
        if (current is None or current.credential_id != self.grant.credential_id
                or current.verifier != self.grant.verifier):
            raise SessionTerminated("the credential of this session was revoked or changed")
        if current.revision != self.grant.revision:
            # New models or access list: the next statement and the catalog see them.
            self.grant = current
            assert self.session is not None and self.state is not None
            self.session.replace_grant(current)
            self.state.tables = list(self.session.tables())

    async def handle_quit(self, payload: bytes) -> bool:
        return False

    async def handle_ping(self, payload: bytes) -> bool:
        await self.stream.send(make_ok(status=self._status()))
        return True

    async def handle_init_db(self, payload: bytes) -> bool:
        assert self.state is not None
        self.state.database = metadata.check_database(payload[1:].decode())
        await self.stream.send(make_ok(status=self._status()))
        return True

    async def handle_statistics(self, payload: bytes) -> bool:
        await self.stream.send(f"Uptime: 0  Threads: {len(self.server.connections)}".encode())
        return True

    async def handle_set_option(self, payload: bytes) -> bool:
        await self.stream.send(make_eof(status=self._status()))
        return True

    async def handle_reset_connection(self, payload: bytes) -> bool:
        assert self.state is not None
        self.state.variables = metadata.default_variables()
        self.state.user_variables.clear()
        self.statements.clear()
        await self.stream.send(make_ok(status=self._status()))
        return True

    async def handle_process_kill(self, payload: bytes) -> bool:
        target = Reader(payload[1:]).uint(4)
        await self._kill(metadata.Kill(target, query_only=False))
        if self._closing:
            return False
        await self.stream.send(make_ok(status=self._status()))
        return True

    async def handle_field_list(self, payload: bytes) -> bool:
        assert self.state is not None
        name = Reader(payload[1:]).nul_bytes().decode()
        vt = metadata.find_table(self.state, name, None)
        for col in vt.columns:
            self.stream.write(make_column_definition(
                column_definition(col.name, col.type, table=vt.name, schema=DATABASE)))
        self.stream.write(self._end_of_rows())
        await self.stream.flush()
        return True

    async def handle_query(self, payload: bytes) -> bool:
        assert self.state is not None and self.session is not None
        sql = payload[1:].decode("utf-8").strip().rstrip(";").strip()
        self.current_sql = sql
        with metrics.StatementTimer("mysql") as timer:  # until the result is ready, as for pg
            local = await self._local_answer(sql)
            timer.kind = statement_kind(local)
            result = None if local is not None else await self._from_source(
                self.session.execute(sql))
        if isinstance(local, metadata.LocalOk):
            await self.stream.send(make_ok(status=self._status()))
        elif isinstance(local, metadata.Kill):
            await self._kill(local)
            if not self._closing:
                await self.stream.send(make_ok(status=self._status()))
        elif isinstance(local, metadata.LocalResult):
            await self._send_resultset(local.columns, _single_batch(local.rows), binary=False)
        else:
            assert result is not None
            await self._stream_result(result, binary=False)
        return not self._closing

    async def _local_answer(self, sql: str, params: Sequence[object] = ()
                            ) -> metadata.Answer | None:
        """``metadata.answer`` in a worker thread, bounded in time and interruptible by KILL
        QUERY: it may run a query in the catalog sandbox, which must not stall the loop."""
        assert self.state is not None and self.session is not None
        if metadata.is_engine_bound(sql):
            return None
        state = self.state
        catalog = state.catalog = self.session.catalog()  # the shared cache, on the loop
        state.tables = catalog.tables  # SHOW and information_schema from the same tables
        return await self._from_source(run_bounded(
            lambda: metadata.answer(sql, state, params), catalog.interrupt,
            catalog.limits.timeout_seconds))

    # --- prepared statements -------------------------------------------------------------------

    async def handle_stmt_prepare(self, payload: bytes) -> bool:
        assert self.state is not None and self.session is not None
        sql = payload[1:].decode("utf-8").strip().rstrip(";").strip()
        count = metadata.placeholder_count(sql)
        local = await self._local_answer(sql, [None] * count)
        if isinstance(local, metadata.LocalResult):
            stmt = PreparedStatement(sql, count, local.columns)
        elif local is not None:
            stmt = PreparedStatement(sql, count, ())
        else:
            shape = await self._from_source(self.session.describe(sql))
            stmt = PreparedStatement(sql, shape.param_count, shape.columns,
                                     inferred=shape.param_types)
        statement_id = self._next_statement
        self._next_statement += 1
        self.statements[statement_id] = stmt
        self.stream.write(make_stmt_prepare_ok(statement_id, len(stmt.columns), stmt.param_count))
        if stmt.param_count:
            for i in range(stmt.param_count):
                neutral = stmt.inferred[i] if i < len(stmt.inferred) else "text"
                self.stream.write(make_column_definition(column_definition("?", neutral)))
            if not self.deprecate_eof:
                self.stream.write(make_eof(status=self._status()))
        if stmt.columns:
            for col in stmt.columns:
                self.stream.write(make_column_definition(column_definition(col.name, col.type)))
            if not self.deprecate_eof:
                self.stream.write(make_eof(status=self._status()))
        await self.stream.flush()
        return True

    def _statement(self, statement_id: int) -> PreparedStatement:
        if statement_id == 0xFFFFFFFF and self.statements:  # "the last one prepared"
            statement_id = max(self.statements)
        stmt = self.statements.get(statement_id)
        if stmt is None:
            raise NotFound(f"Unknown prepared statement handler ({statement_id}) given")
        return stmt

    async def handle_stmt_execute(self, payload: bytes) -> bool:
        assert self.state is not None and self.session is not None
        stmt = self._statement(Reader(payload[1:5]).uint(4))
        request = parse_stmt_execute(payload, stmt.param_count)
        if request.types is not None:
            stmt.param_types = request.types
        params: list[object] = []
        if stmt.param_count:
            if stmt.param_types is None:
                raise InvalidInput("parameter types were never sent for this statement")
            for i, (ptype, unsigned) in enumerate(stmt.param_types):
                if i in stmt.long_data:
                    params.append(_long_data_value(stmt.long_data[i]))
                elif is_null(request.null_bitmap, i):
                    params.append(None)
                else:
                    params.append(read_binary_param(request.values, ptype, unsigned))
        stmt.long_data.clear()
        self.current_sql = stmt.sql
        with metrics.StatementTimer("mysql") as timer:
            local = await self._local_answer(stmt.sql, params)
            timer.kind = statement_kind(local)
            # Values go to the engine as bound parameters, never into the SQL text.
            result = None if local is not None else await self._from_source(
                self.session.execute(stmt.sql, params))
        if isinstance(local, metadata.LocalResult):
            await self._send_resultset(local.columns, _single_batch(local.rows), binary=True)
        elif isinstance(local, metadata.Kill):
            await self._kill(local)
            if not self._closing:
                await self.stream.send(make_ok(status=self._status()))
        elif local is not None:
            await self.stream.send(make_ok(status=self._status()))
        else:
            assert result is not None
            await self._stream_result(result, binary=True)
        return True

    async def handle_stmt_send_long_data(self, payload: bytes) -> bool:
        r = Reader(payload[1:])
        stmt = self.statements.get(r.uint(4))
        param = r.uint(2)
        if stmt is not None and param < stmt.param_count:  # no response, by the protocol
            stmt.long_data.setdefault(param, bytearray()).extend(r.rest())
        return True

    async def handle_stmt_close(self, payload: bytes) -> bool:
        self.statements.pop(Reader(payload[1:5]).uint(4), None)  # no response, by the protocol
        return True

    async def handle_stmt_reset(self, payload: bytes) -> bool:
        self._statement(Reader(payload[1:5]).uint(4)).long_data.clear()
        await self.stream.send(make_ok(status=self._status()))
        return True

    # --- resultsets ----------------------------------------------------------------------------

    def _end_of_rows(self) -> bytes:
        if self.deprecate_eof:
            return make_ok(status=self._status(), eof_header=True)
        return make_eof(status=self._status())

    async def _stream_result(self, result: QueryResult, *, binary: bool) -> None:
        try:
            source = getattr(result, "source", result)
            if not binary and getattr(source, "packets_forwardable", False):
                # A MySQL source's text rows are what a text resultset sends: passed on as
                # they came, never decoded (see docs/mysqlwire.md, "Rows from a MySQL source").
                self._write_head(result.columns)
                await self._send_rows(self._forward(source))
                return
            rows = result.rows(BATCH_ROWS)
            await self._send_resultset(result.columns, self._batches(rows), binary=binary)
        finally:
            await result.close()

    async def _batches(self, rows: AsyncIterator[Sequence[tuple[Any, ...]]]
                       ) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
        while True:
            try:
                batch = await self._from_source(anext(rows))
            except StopAsyncIteration:
                return
            yield batch

    async def _forward(self, source: Any) -> None:
        """Send a MySQL source's row packets on, renumbered into this command's sequence."""
        stream = self.stream
        async with contextlib.aclosing(source.text_packets()) as packets:
            while True:
                try:
                    run, rows, frames = await self._from_source(anext(packets))
                except StopAsyncIteration:
                    return
                stream.write_frames(run, frames)
                _ROWS.inc(rows)
                await stream.flush()  # backpressure: a slow client slows the source

    def _write_head(self, columns: Sequence[ResultColumn]) -> None:
        self.stream.write(make_column_count(len(columns)))
        for c in columns:
            self.stream.write(make_column_definition(column_definition(c.name, c.type)))
        if not self.deprecate_eof:
            self.stream.write(make_eof(status=self._status()))

    async def _send_resultset(self, columns: Sequence[ResultColumn],
                              batches: AsyncIterator[Sequence[tuple[Any, ...]]], *,
                              binary: bool) -> None:
        self._write_head(columns)
        encode = (binary_row_encoder([column_definition(c.name, c.type).type for c in columns])
                  if binary else text_row_encoder([c.type for c in columns]))
        await self._send_rows(self._encode(batches, encode))

    async def _encode(self, batches: AsyncIterator[Sequence[tuple[Any, ...]]],
                      encode: Callable[[Sequence[Any]], bytes]) -> None:
        write = self.stream.write
        async for batch in batches:
            for row in batch:
                write(encode(row))
            _ROWS.inc(len(batch))
            await self.stream.flush()  # backpressure: a slow client slows the source

    async def _send_rows(self, rows: Awaitable[None]) -> None:
        """Send the rows, then the end of the resultset."""
        try:
            await rows
        except AppError as exc:
            # An error after rows started is still a valid end of the resultset.
            metrics.count_error("mysql", exc)
            self.stream.write(err_packet(exc))
            await self.stream.flush()
            return
        self.stream.write(self._end_of_rows())
        await self.stream.flush()

    # --- cancellation --------------------------------------------------------------------------

    async def _from_source(self, awaitable: Awaitable[T]) -> T:
        """Await the data source in a task that KILL QUERY can cancel."""
        if self._kill_requested:
            raise QueryCanceled("Query execution was interrupted")
        task: asyncio.Future[T] = asyncio.ensure_future(awaitable)
        self._inflight = task
        try:
            await asyncio.wait([task])
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._inflight = None
        if task.cancelled():
            raise QueryCanceled("Query execution was interrupted")
        return task.result()

    def cancel_query(self) -> None:
        self._kill_requested = True
        if self._inflight is not None:
            self._inflight.cancel()

    def terminate(self) -> None:
        self._closing = True
        self.cancel_query()
        self.stream.writer.close()

    async def _kill(self, kill: metadata.Kill) -> None:
        assert self.grant is not None
        target = self.server.connections.get(kill.connection_id)
        # A credential may only kill its own connections; others look like they do not exist.
        if target is None or target.grant is None or \
                target.grant.credential_id != self.grant.credential_id:
            raise NotFound(f"Unknown thread id: {kill.connection_id}")
        self.server.audit("kill_query" if kill.query_only else "kill_connection",
                          username=self.grant.username, connection_id=self.id,
                          target=kill.connection_id)
        if kill.query_only:
            target.cancel_query()
        elif target is self:
            self._closing = True
        else:
            target.terminate()


def statement_kind(local: object) -> str:
    """engine (compiled, pushed down), catalog (answered locally with rows) or session."""
    if local is None:
        return "engine"
    return "catalog" if isinstance(local, metadata.LocalResult) else "session"


def statement_keyword(sql: str | None) -> str:
    """The first keyword of a statement (SELECT, SHOW, ...), safe to log."""
    words = (sql or "").lstrip(" \t\r\n(").split(None, 1)
    word = words[0].upper() if words else ""
    return word if word.isalpha() and len(word) <= 16 else "statement"


async def _single_batch(rows: list[tuple[Any, ...]]) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
    yield rows


def _long_data_value(data: bytearray) -> object:
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(data)

