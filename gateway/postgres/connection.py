"""One client connection: startup, TLS, authentication, then the simple and extended protocols.

Framing and message meanings come from ``codec``; what a statement does comes from
``gateway.session``. Output is buffered and written at protocol boundaries (ReadyForQuery,
Flush, each batch of rows) and every batch waits for ``drain()``, so a slow client slows the
data-source fetch instead of growing memory.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from backend.core.errors import (
    AppError,
    AuthenticationFailed,
    AuthenticationTimeout,
    InvalidInput,
    NotAuthenticated,
    NotSupported,
    ProtocolViolation,
    RateLimited,
    SessionTerminated,
    SourceDatabaseMissing,
)
from backend.core.grants import CredentialGrant, GrantDirectory, sync_for_login
from backend.core.ratelimit import FailureLimiter
from backend.core.scram import ScramVerifier, verify_plaintext
from backend.observability import logs, metrics
from gateway.postgres import codec, copyout, forward
from gateway.postgres import messages as m
from gateway.postgres.config import PgGatewayConfig
from gateway.postgres.errors import error_fields
from gateway.postgres.scram_exchange import MECHANISM, ScramExchange
from gateway.postgres.types import (
    Encoder,
    binary_encoder,
    decode_param,
    text_encoder,
    type_oid,
    type_size,
)
from gateway.session import (
    REPORTED,
    PreparedInfo,
    Session,
    SessionServices,
    SessionSettings,
    StatementResult,
    split_statements,
)
from gateway.timeslice import TimeSlice
from gateway.tlsbuffer import shrink_read_buffer

log = logging.getLogger("gateway.postgres")
_DEALLOCATE = re.compile(
    r'(?:\s+|--[^\n]*\n?|/\*.*?\*/)*deallocate\s+(?:prepare\s+)?'
    r'(?:(all)\b|"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))\s*;?\s*$',
    re.I | re.S,
)
_ROWS = metrics.rows_counter("postgres")
_READ_AHEAD = 64 * 1024
# Answers queued past this go out (and wait for the client) before the next message is
# handled, as PostgreSQL's 8 KiB send buffer does: a client that pipelines Describe after
# Describe with no Sync, and never reads, is then held back by the send timeout.
_FLUSH_AT = 256 * 1024
audit_log = logging.getLogger("gateway.audit")


class ConnectionHost(Protocol):
    """What a connection needs from the server that accepted it."""

    config: PgGatewayConfig
    grants: GrantDirectory
    services: SessionServices
    limiter: FailureLimiter
    address_limiter: FailureLimiter

    def register(self, conn: PgConnection) -> None: ...

    def unregister(self, conn: PgConnection) -> None: ...

    async def cancel_request(self, pid: int, key: int) -> None: ...

    def audit(self, action: str, **detail: Any) -> None: ...


class ClientGone(Exception):
    """The client closed the connection or stalled past a timeout."""


@dataclass
class Prepared:
    sql: str
    declared: tuple[int, ...]
    info: PreparedInfo | None = None


@dataclass
class Portal:
    statement: Prepared
    params: list[Any]
    result_formats: tuple[int, ...]
    result: StatementResult | None = None
    encoders: list[Encoder] = field(default_factory=list)
    fields: list[m.FieldDescription] | None = None
    buffer: list[tuple[Any, ...]] = field(default_factory=list)
    exhausted: bool = False
    sent: int = 0


def _formats(codes: Sequence[int], n: int) -> list[int]:
    if not codes:
        return [0] * n
    if len(codes) == 1:
        return [codes[0]] * n
    if len(codes) != n:
        raise ProtocolViolation(f"bind message has {len(codes)} result formats but query has "
                                f"{n} columns")
    return list(codes)


def describe_columns(
    result_columns: Sequence[Any], codes: Sequence[int]
) -> tuple[list[m.FieldDescription], list[Encoder]]:
    fmts = _formats(codes, len(result_columns))
    fields, encoders = [], []
    for col, fmt in zip(result_columns, fmts, strict=True):
        oid = type_oid(col.type)
        fields.append(m.FieldDescription(col.name, oid, type_size(oid), -1, fmt))
        encoders.append(binary_encoder(oid) if fmt == 1 else text_encoder(oid))
    return fields, encoders


def command_tag(result: StatementResult, rows: int) -> str:
    if result.tag in ("SELECT", "COPY"):
        return f"{result.tag} {rows}"
    return result.tag


class PgConnection:
    def __init__(
        self,
        host: ConnectionHost,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        process_id: int,
        secret_key: int,
        reject: AppError | None = None,
    ):
        self.host = host
        self.config = host.config
        self.reader = reader
        self.writer = writer
        self.process_id = process_id
        self.secret_key = secret_key
        self.reject = reject
        peer = writer.get_extra_info("peername")
        self.client_addr = str(peer[0]) if isinstance(peer, tuple) else "local"
        self.tls = False
        self.session: Session | None = None
        self.username = ""
        self._out: list[bytes] = []
        self._out_bytes = 0  # queued in _out
        self._inbuf = bytearray()  # read ahead of the message being handled
        self._statements: dict[str, Prepared] = {}
        self._portals: dict[str, Portal] = {}
        self._skip_until_sync = False
        self.task: asyncio.Task[None] | None = None
        self._terminating: AppError | None = None
        self._abort = False  # drop buffered output instead of flushing it at close

    # --- output ----------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        self._out.append(data)
        self._out_bytes += len(data)

    def _write(self, data: bytes) -> None:
        if self.writer.transport.is_closing():
            # Ended under us (a revocation, a vanished peer): the client is gone. uvloop
            # raises RuntimeError on a write to a closed transport where asyncio drops it.
            raise ClientGone()
        self.writer.write(data)

    async def flush(self) -> None:
        if self._out:
            data = b"".join(self._out)
            self._out.clear()
            self._out_bytes = 0
            self._write(data)
        if not getattr(self.writer._protocol, "_paused", True):  # type: ignore[attr-defined]
            # Writing is not paused (asyncio's flow control: the transport's buffer, under
            # TLS the socket's too, is below its high mark), so drain() will not wait: skip
            # arming the timer. It still raises if the connection was lost.
            try:
                await self.writer.drain()
            except (ConnectionError, OSError) as exc:
                raise ClientGone() from exc
            return
        try:
            async with asyncio.timeout(self.config.send_timeout):
                await self.writer.drain()
        except TimeoutError as exc:  # before OSError, of which it is a subclass
            log.info("connection %s: client stopped reading; closing", self.process_id)
            self._abort = True
            raise ClientGone("send timeout") from exc
        except (ConnectionError, OSError) as exc:
            raise ClientGone() from exc

    # --- input -----------------------------------------------------------------------------

    async def _read_exactly(self, n: int, timeout: float | None) -> bytes:
        try:
            if timeout is None:
                return await self.reader.readexactly(n)
            async with asyncio.timeout(timeout):
                return await self.reader.readexactly(n)
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as exc:
            raise ClientGone() from exc
        except TimeoutError as exc:
            raise ClientGone("timeout") from exc

    async def read_startup(self) -> m.StartupPacket:
        head = await self._read_exactly(4, self.config.message_timeout)
        length = int.from_bytes(head, "big", signed=True)
        if length < 8 or length > self.config.max_startup_bytes:
            raise ProtocolViolation("invalid length of startup packet")
        body = await self._read_exactly(length - 4, self.config.message_timeout)
        return codec.decode_startup(body)

    async def read_message(self) -> tuple[bytes, bytes]:
        """The next message, cut from bytes read ahead: a client sends a statement's Parse,
        Bind, Describe, Execute and Sync in one packet, and cutting them from one read costs
        no await (or timer) per message. Waiting for a message to start has no time limit;
        once started, its body must arrive within ``message_timeout``."""
        buf = self._inbuf
        while len(buf) < 5:
            await self._read_more(None)
        length = int.from_bytes(buf[1:5], "big", signed=True)
        if length < 4:
            raise ProtocolViolation(f"invalid message length {length}")
        if length - 4 > self.config.max_message_bytes:
            err = ProtocolViolation(
                f"message of {length} bytes exceeds the limit of "
                f"{self.config.max_message_bytes} bytes"
            )
            err.sqlstate = "54000"
            raise err
        end = length + 1
        if len(buf) < end:
            deadline = asyncio.get_running_loop().time() + self.config.message_timeout
            while len(buf) < end:
                await self._read_more(deadline)
        kind, body = bytes(buf[:1]), bytes(buf[5:end])
        del buf[:end]
        return kind, body

    async def _read_more(self, deadline: float | None) -> None:
        try:
            if deadline is None:
                data = await self.reader.read(_READ_AHEAD)
            else:
                async with asyncio.timeout_at(deadline):
                    data = await self.reader.read(_READ_AHEAD)
        except TimeoutError as exc:  # before OSError, of which it is a subclass
            raise ClientGone("timeout") from exc
        except (ConnectionError, OSError) as exc:
            raise ClientGone() from exc
        if not data:
            raise ClientGone()
        self._inbuf += data

    # --- lifecycle ---------------------------------------------------------------------------

    async def run(self) -> None:
        self.task = asyncio.current_task()
        logs.session_id.set(f"pg-{self.process_id}")  # this connection's task only
        try:
            try:
                async with asyncio.timeout(self.config.startup_timeout):
                    ok = await self._startup()
            except TimeoutError:
                # As PostgreSQL's authentication_timeout: say why before closing (a client
                # still there, say one queued behind a login storm, can tell it from a crash).
                raise AuthenticationTimeout(
                    "canceling authentication due to timeout",
                    hint="the login did not complete within "
                         f"{self.config.startup_timeout:g} s; retry") from None
            if ok:
                await self._serve()
        except asyncio.CancelledError:
            if self._terminating is None:
                raise
            await self._fatal(self._terminating)
        except ClientGone:
            pass
        except AppError as exc:
            await self._fatal(exc)
        except Exception:
            log.exception("connection %s failed", self.process_id)
            await self._fatal(RuntimeError("internal"))
        finally:
            await self._cleanup()

    def terminate(self, reason: AppError) -> None:
        """End this session from outside (revocation, shutdown): FATAL, then close."""
        if self._terminating is not None:
            return
        self._terminating = reason
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()

    async def _fatal(self, exc: BaseException) -> None:
        metrics.count_error("postgres", exc)
        self._out.clear()
        self._out_bytes = 0
        if self._abort:
            return
        self.send(codec.error_response(error_fields(exc, fatal=True)))
        try:
            async with asyncio.timeout(1.0):
                await self.flush()
        except (ClientGone, TimeoutError):
            pass

    async def _cleanup(self) -> None:
        self.host.unregister(self)
        for portal in list(self._portals.values()):
            await self._close_portal(portal)
        self._portals.clear()
        if self.session is not None:
            try:
                await self.session.close()
            except Exception:
                log.exception("closing session %s", self.process_id)
        if self._abort:
            self.writer.transport.abort()
        else:
            self.writer.close()
        try:
            async with asyncio.timeout(1.0):
                await self.writer.wait_closed()
        except (TimeoutError, ConnectionError, OSError, ssl.SSLError):
            pass

    # --- startup and authentication ---------------------------------------------------------

    async def _startup(self) -> bool:
        tls_tried = gss_tried = False
        while True:
            packet = await self.read_startup()
            if isinstance(packet, m.SSLRequest):
                if tls_tried:
                    raise ProtocolViolation("SSLRequest sent twice")
                tls_tried = True
                if self.config.ssl_context is None:
                    self._write(b"N")
                    continue
                self._write(b"S")
                await self.flush()
                if self.reader._buffer:  # type: ignore[attr-defined]
                    # Bytes after SSLRequest and before the handshake: an injection attempt.
                    raise ProtocolViolation("received unencrypted data after SSL request")
                try:
                    await self.writer.start_tls(self.config.ssl_context)
                except (ssl.SSLError, ConnectionError, OSError) as exc:
                    raise ClientGone() from exc
                shrink_read_buffer(self.writer)  # 256 KiB per session otherwise
                self.tls = True
                continue
            if isinstance(packet, m.GSSENCRequest):
                if gss_tried:
                    raise ProtocolViolation("GSSENCRequest sent twice")
                gss_tried = True
                self._write(b"N")
                continue
            if isinstance(packet, m.CancelRequest):
                await self.host.cancel_request(packet.process_id, packet.secret_key)
                return False
            return await self._login(packet)

    async def _login(self, startup: m.StartupMessage) -> bool:
        if startup.protocol & 0xFFFF:
            # We speak 3.0 only; tell a newer client so (it then carries on with 3.0).
            unknown = [k for k in startup.params if k.startswith("_pq_.")]
            body = ((0).to_bytes(4, "big") + len(unknown).to_bytes(4, "big")
                    + b"".join(k.encode() + b"\x00" for k in unknown))
            self.send(b"v" + (len(body) + 4).to_bytes(4, "big") + body)
        if self.reject is not None:
            raise self.reject
        user = startup.params.get("user", "")
        if not user:
            raise NotAuthenticated("no PostgreSQL user name specified in startup packet")
        self.username = user
        database = startup.params.get("database") or user
        if self.config.require_tls and not self.tls:
            raise NotAuthenticated("the SQL API requires TLS: connect with sslmode=require",
                                   hint="add sslmode=require to the connection string")
        limiter, by_addr = self.host.limiter, self.host.address_limiter
        if limiter.blocked(user) or by_addr.blocked(self.client_addr):
            self.host.audit("login_rate_limited", username=user, client_addr=self.client_addr)
            raise RateLimited("too many failed login attempts; try again later")
        # A credential created or rotated a moment ago must work (or stop working) now; with
        # the metadata DB away the login is refused (57P03), never checked against a stale cache.
        await sync_for_login(self.host.grants)
        grant = self.host.grants.lookup(user)
        verifier: ScramVerifier | None = None
        if grant is not None:
            try:
                verifier = ScramVerifier.parse(grant.verifier)
            except ValueError:
                log.error("credential %s has a malformed verifier", grant.credential_id)
        try:
            if self.config.allow_cleartext_password and self.tls:
                await self._cleartext(verifier)
            else:
                await self._scram(user, verifier)
        except AuthenticationFailed:
            limiter.fail(user)
            by_addr.fail(self.client_addr)
            self.host.audit("login_failed", username=user, client_addr=self.client_addr)
            raise AuthenticationFailed(
                f'password authentication failed for user "{user}"'
            ) from None
        assert grant is not None
        if database != self.config.database:
            raise SourceDatabaseMissing(f'database "{database}" does not exist',
                                        hint=f"connect to database {self.config.database}")
        limiter.succeed(user)
        self.session = Session(grant, self.host.services, startup=startup.params,
                               backend_pid=self.process_id)
        self.host.register(self)  # may raise TooManyConnections or SessionTerminated
        self.host.audit("login", username=user, client_addr=self.client_addr,
                        credential_id=grant.credential_id)
        self.send(codec.AUTH_OK)
        values = self.session.settings.values
        for key in sorted(REPORTED, key=lambda k: SessionSettings.display(k).lower()):
            self.send(codec.parameter_status(SessionSettings.display(key), values[key]))
        self.send(codec.backend_key_data(self.process_id, self.secret_key))
        self.send(codec.ready_for_query(self.session.tx_status))
        await self.flush()
        return True

    async def _read_password_message(self) -> bytes:
        await self.flush()
        kind, body = await self.read_message()
        if kind != b"p":
            raise ProtocolViolation(f"expected password response, got message type {kind!r}")
        return body

    async def _cleartext(self, verifier: ScramVerifier | None) -> None:
        self.send(codec.AUTH_CLEARTEXT)
        password = codec.decode_password(await self._read_password_message())
        if verifier is None or not verify_plaintext(verifier, password):
            raise AuthenticationFailed("password authentication failed")

    async def _scram(self, user: str, verifier: ScramVerifier | None) -> None:
        exchange = ScramExchange(user, verifier, self.config.server_secret)
        self.send(codec.auth_sasl([MECHANISM]))
        initial = codec.decode_sasl_initial(await self._read_password_message())
        if initial.mechanism != MECHANISM:
            raise ProtocolViolation("client selected an invalid SASL authentication mechanism")
        self.send(codec.auth_sasl_continue(exchange.server_first(initial.data)))
        final = exchange.server_final(await self._read_password_message())
        self.send(codec.auth_sasl_final(final))

    # --- serving -----------------------------------------------------------------------------

    async def _serve(self) -> None:
        turn = TimeSlice()
        while True:
            if turn.due():
                await asyncio.sleep(0)  # the other connections of the process get their turn
            if self._terminating is not None:
                # terminate() cancelled this task, but the cancel landed in cleanup code that
                # must finish (a source connection's rollback) and absorbed it: end now.
                log.info("connection %s: ending after an absorbed cancel", self.process_id)
                raise self._terminating
            kind, body = await self.read_message()
            msg = codec.decode_message(kind, body)
            if isinstance(msg, m.Terminate):
                return
            if self._skip_until_sync and not isinstance(msg, m.Sync):
                continue
            try:
                await self._dispatch(msg)
                if self._out_bytes >= _FLUSH_AT:
                    await self.flush()
            except AppError as exc:
                if isinstance(exc, ProtocolViolation):
                    raise
                await self._error(exc)
                if not isinstance(msg, m.Query):
                    # As PostgreSQL does: the error goes out at once (a client that sent
                    # Flush, not Sync, waits for it), then everything up to Sync is skipped.
                    await self.flush()
                    self._skip_until_sync = True
                else:
                    await self._ready()

    async def _error(self, exc: AppError) -> None:
        assert self.session is not None
        self.session.statement_failed()
        metrics.count_error("postgres", exc)
        self.send(codec.error_response(error_fields(exc)))

    async def _ready(self) -> None:
        assert self.session is not None
        self.send(codec.ready_for_query(self.session.tx_status))
        await self.flush()

    async def _dispatch(self, msg: m.FrontendMessage) -> None:
        if isinstance(msg, m.Query):
            await self._simple_query(msg.sql)
        elif isinstance(msg, m.Parse):
            self._parse(msg)
        elif isinstance(msg, m.Bind):
            await self._bind(msg)
        elif isinstance(msg, m.Describe):
            await self._describe(msg)
        elif isinstance(msg, m.Execute):
            await self._execute(msg)
        elif isinstance(msg, m.Close):
            await self._close(msg)
        elif isinstance(msg, m.Sync):
            await self._sync()
        elif isinstance(msg, m.Flush):
            await self.flush()
        elif isinstance(msg, m.PasswordData):
            raise ProtocolViolation("unexpected password message")
        elif isinstance(msg, m.Unsupported) and msg.type in ("d", "c", "f"):
            # CopyData/CopyDone/CopyFail with no COPY FROM running (the gateway never starts
            # one): PostgreSQL accepts and ignores them, so a client that streams data after
            # a refused COPY FROM gets its error, not a broken connection.
            return
        else:
            raise NotSupported(f"protocol message {msg} is not supported (COPY, function call)")

    def _report_settings(self) -> None:
        assert self.session is not None
        for name, value in self.session.settings.drain_changed():
            self.send(codec.parameter_status(name, value))

    # simple protocol

    async def _simple_query(self, sql: str) -> None:
        assert self.session is not None
        statements = split_statements(sql)
        if not statements:
            self.send(codec.EMPTY_QUERY)
        for text in statements:
            if self._out_bytes >= _FLUSH_AT:
                await self.flush()
            try:
                result = await self.session.execute(text)
            except AppError as exc:
                await self._error(exc)
                break
            self._report_settings()
            if result.tag.startswith("DEALLOCATE"):
                try:
                    self._deallocate(text)
                except AppError as exc:
                    await self._error(exc)
                    break
            if result.tag == "EMPTY":
                self.send(codec.EMPTY_QUERY)
                continue
            try:
                if result.columns is None:
                    self.send(codec.command_complete(result.tag))
                    continue
                if result.copy is not None:
                    try:
                        await self._copy_out(result)
                    except AppError as exc:
                        await self._error(exc)
                        break
                    continue
                fields, encoders = describe_columns(result.columns, ())
                self.send(codec.row_description(fields))
                portal = Portal(Prepared(text, ()), [], (), result, encoders, fields)
                try:
                    await self._stream(portal, 0)
                except AppError as exc:
                    await self._error(exc)
                    break
            finally:
                await result.close()
        await self._ready()

    async def _stream(self, portal: Portal, max_rows: int) -> None:
        """Send rows (all, or up to max_rows) then CommandComplete or PortalSuspended."""
        if await forward.stream(self, portal, max_rows):  # source rows sent on untouched
            return
        result = portal.result
        assert result is not None and result.batches is not None
        encoders = portal.encoders
        limit = max_rows if max_rows > 0 else None
        sent_now = 0
        data_rows = codec.data_rows
        while True:
            if portal.buffer:
                take = portal.buffer
                if limit is not None and len(take) > limit - sent_now:
                    take = portal.buffer[: limit - sent_now]
                    portal.buffer = portal.buffer[len(take):]
                else:
                    portal.buffer = []
                self.send(data_rows(take, encoders))
                sent_now += len(take)
                _ROWS.inc(len(take))
                portal.sent += len(take)
                await self.flush()
            if limit is not None and sent_now >= limit:
                if not portal.buffer and not portal.exhausted:
                    # Peek so that an exactly-consumed result ends with CommandComplete.
                    await self._fill(portal)
                if portal.buffer or not portal.exhausted:
                    self.send(codec.PORTAL_SUSPENDED)
                    return
            if portal.exhausted:
                break
            await self._fill(portal)
            if portal.exhausted and not portal.buffer:
                break
        self.send(codec.command_complete(command_tag(result, portal.sent)))

    async def _copy_out(self, result: StatementResult) -> None:
        """``COPY ... TO STDOUT``: CopyOutResponse, a CopyData per row streamed batch by
        batch (each batch waits for the client, as DataRows do), CopyDone, ``COPY n``."""
        options = result.copy
        assert options is not None and result.columns is not None and result.batches is not None
        names = [c.name for c in result.columns]
        encode = copyout.row_encoder([c.type for c in result.columns], names, options)
        self.send(copyout.copy_out_response(options.binary, len(names)))
        if options.header:
            self.send(copyout.copy_data(copyout.header_line(names, options)))
        prefix = copyout.BINARY_SIGNATURE if options.binary else b""
        sent = 0
        async for batch in result.batches:
            if not batch:
                continue
            self.send(copyout.copy_data_batch(batch, encode, prefix))
            prefix = b""
            sent += len(batch)
            _ROWS.inc(len(batch))
            await self.flush()
        if options.binary:
            self.send(copyout.copy_data(prefix + copyout.BINARY_TRAILER))
        self.send(copyout.COPY_DONE)
        self.send(codec.command_complete(command_tag(result, sent)))

    async def _fill(self, portal: Portal) -> None:
        assert portal.result is not None and portal.result.batches is not None
        try:
            batch = await anext(portal.result.batches)
        except StopAsyncIteration:
            portal.exhausted = True
            return
        if portal.buffer:
            portal.buffer.extend(batch)
        else:
            portal.buffer = list(batch)

    # extended protocol

    def _parse(self, msg: m.Parse) -> None:
        if msg.name and msg.name in self._statements:
            err = InvalidInput(f'prepared statement "{msg.name}" already exists')
            err.sqlstate = "42P05"
            raise err
        self._statements[msg.name] = Prepared(msg.sql, msg.param_oids)
        self.send(codec.PARSE_COMPLETE)

    async def _prepared_info(self, stmt: Prepared) -> PreparedInfo:
        assert self.session is not None
        if stmt.info is None:
            from gateway.postgres.types import NAME_BY_OID

            declared = [NAME_BY_OID.get(o, "text") if o else "" for o in stmt.declared]
            stmt.info = await self.session.prepare(stmt.sql, [d for d in declared])
        return stmt.info

    async def _param_oids(
        self, stmt: Prepared, count: int, fmts: Sequence[int] | None = None
    ) -> list[int]:
        oids = list(stmt.declared) + [0] * max(0, count - len(stmt.declared))
        # A value of unspecified type (psqlODBC, pgjdbc stringtype=unspecified) is decoded as
        # the type its use implies, as PostgreSQL does: the source receives a typed value and
        # malformed text fails here, naming the parameter.
        if any(oid == 0 for oid in oids[:count]):
            info = await self._prepared_info(stmt)
            for i in range(count):
                if oids[i] == 0:
                    oids[i] = type_oid(info.param_types[i]) if i < len(info.param_types) else 25
        return oids[:count]

    async def _bind(self, msg: m.Bind) -> None:
        stmt = self._statements.get(msg.statement)
        if stmt is None:
            err = InvalidInput(f'prepared statement "{msg.statement}" does not exist')
            err.sqlstate = "26000"
            raise err
        n = len(msg.params)
        fmts = _formats(msg.param_formats, n) if n else []
        oids = await self._param_oids(stmt, n, fmts)
        params = [decode_param(oids[i], fmts[i], msg.params[i], i + 1) for i in range(n)]
        if msg.portal in self._portals:
            if msg.portal:
                err = InvalidInput(f'portal "{msg.portal}" already exists')
                err.sqlstate = "42P03"
                raise err
            self._discard_portal_later(self._portals.pop(msg.portal))
        self._portals[msg.portal] = Portal(stmt, params, msg.result_formats)
        self.send(codec.BIND_COMPLETE)

    def _deallocate(self, sql: str) -> None:
        """SQL-level ``DEALLOCATE name | ALL`` drops protocol-level prepared statements, as in
        PostgreSQL: psqlODBC re-parses a statement name after DEALLOCATE-ing it."""
        match = _DEALLOCATE.match(sql)
        if match is None:
            return
        if match.group(1):
            self._statements.clear()
            return
        quoted = match.group(2)
        name = quoted.replace('""', '"') if quoted is not None else match.group(3).lower()
        if self._statements.pop(name, None) is None:
            err = InvalidInput(f'prepared statement "{name}" does not exist')
            err.sqlstate = "26000"
            raise err

    def _discard_portal_later(self, portal: Portal) -> None:
        if portal.result is not None:
            asyncio.get_running_loop().create_task(portal.result.close())

    async def _start_portal(self, portal: Portal) -> None:
        assert self.session is not None
        if portal.result is not None:
            return
        result = await self.session.execute(portal.statement.sql, portal.params)
        portal.result = result
        self._report_settings()
        if result.tag.startswith("DEALLOCATE"):
            self._deallocate(portal.statement.sql)
        if result.columns is not None and result.copy is None:
            cols = result.columns
            info = portal.statement.info
            if info is not None and info.columns is not None and len(info.columns) == len(cols):
                # RowDescription sent at Describe(statement) is a promise: keep its types.
                cols = info.columns
            portal.fields, portal.encoders = describe_columns(cols, portal.result_formats)

    async def _describe(self, msg: m.Describe) -> None:
        if msg.kind == "S":
            stmt = self._statements.get(msg.name)
            if stmt is None:
                err = InvalidInput(f'prepared statement "{msg.name}" does not exist')
                err.sqlstate = "26000"
                raise err
            info = await self._prepared_info(stmt)
            oids = await self._param_oids(stmt, len(info.param_types))
            self.send(codec.parameter_description(oids))
            if info.columns is None:
                self.send(codec.NO_DATA)
            else:
                fields, _ = describe_columns(info.columns, ())
                self.send(codec.row_description(fields))
            return
        portal = self._portals.get(msg.name)
        if portal is None:
            err = InvalidInput(f'portal "{msg.name}" does not exist')
            err.sqlstate = "34000"
            raise err
        await self._start_portal(portal)
        if portal.fields is None:
            self.send(codec.NO_DATA)
        else:
            self.send(codec.row_description(portal.fields))

    async def _execute(self, msg: m.Execute) -> None:
        portal = self._portals.get(msg.portal)
        if portal is None:
            err = InvalidInput(f'portal "{msg.portal}" does not exist')
            err.sqlstate = "34000"
            raise err
        await self._start_portal(portal)
        result = portal.result
        assert result is not None
        if result.tag == "EMPTY":
            self.send(codec.EMPTY_QUERY)
        elif result.columns is None:
            self.send(codec.command_complete(result.tag))
        elif result.copy is not None:
            if portal.exhausted:
                self.send(codec.command_complete(command_tag(result, 0)))
            else:
                portal.exhausted = True  # a COPY portal runs to completion at once
                await self._copy_out(result)
        elif portal.exhausted and not portal.buffer and portal.sent:
            self.send(codec.command_complete(command_tag(result, portal.sent)))
        else:
            await self._stream(portal, msg.max_rows)

    async def _close_portal(self, portal: Portal) -> None:
        if portal.result is not None:
            try:
                await portal.result.close()
            except Exception:
                log.exception("closing a portal")

    async def _close(self, msg: m.Close) -> None:
        if msg.kind == "S":
            self._statements.pop(msg.name, None)
        else:
            portal = self._portals.pop(msg.name, None)
            if portal is not None:
                await self._close_portal(portal)
        self.send(codec.CLOSE_COMPLETE)

    async def _sync(self) -> None:
        assert self.session is not None
        self._skip_until_sync = False
        if self.session.tx_status == "I":
            # The implicit transaction ended: its portals go with it.
            for portal in list(self._portals.values()):
                await self._close_portal(portal)
            self._portals.clear()
        await self._ready()

    # --- outside events ----------------------------------------------------------------------

    async def cancel_query(self) -> None:
        if self.session is not None:
            await self.session.cancel()

    def grant_changed(self, grant: CredentialGrant | None) -> None:
        """The change feed updated this session's credential."""
        if self.session is None:
            return
        old = self.session.grant
        if grant is None:
            self.terminate(SessionTerminated(
                "terminating connection: the SQL credential was deleted or lost access"))
            return
        if (grant.verifier != old.verifier or grant.data_source_id != old.data_source_id
                or grant.member_id != old.member_id or grant.access != old.access
                or grant.data_source_params != old.data_source_params
                or grant.data_source_type != old.data_source_type):
            self.terminate(SessionTerminated(
                "terminating connection: the SQL credential was rotated or its access changed"))
            return
        self.session.replace_grant(grant)
