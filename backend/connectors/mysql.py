"""MySQL and MariaDB, through aiomysql (asyncio over PyMySQL's protocol code).

A pool per connector (lazy, at most ``pool_max`` connections, recycled after
``idle_lifetime``). Each connection is made read-only (``SET SESSION TRANSACTION READ ONLY``)
and time-limited with the server's own setting — ``max_statement_time`` on MariaDB,
``max_execution_time`` on MySQL — before its first use, and multi-statements are switched
off on the server (aiomysql always asks for them), so one query text is one statement.
Those session settings would not survive a statement that changes them (``SET SESSION
TRANSACTION READ WRITE``, MariaDB's ``SET STATEMENT ... FOR``, an executable comment or an
optimizer hint), so ``execute`` first passes every text through
``statements.require_plain_query``. Queries stream through an unbuffered
``SSCursor`` whose row packets are read here, not by aiomysql (``mysqlrows``): handed on
as they came (``text_packets``, the MySQL gateway) or decoded in one loop (``rows``).
``cancel()`` sends ``KILL QUERY <thread id>`` on a separate, fresh connection
(the protocol has no in-band cancel, and the pool may be full).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiomysql
import pymysql
from pymysql.constants import CLIENT, COMMAND, FIELD_TYPE, SERVER_STATUS

from backend.connectors.base import ColumnInfo, ForeignKey, QueryResult, ResultColumn, TableInfo
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.mysqlrows import RowPacketError, RowPackets, decode_row, decode_rows
from backend.connectors.netpolicy import (
    DEFAULT_POLICY,
    NetworkPolicy,
    is_network_failure,
    tls_context_for,
    unreachable,
)
from backend.connectors.network import connect_failure, log, scrub
from backend.connectors.statements import require_plain_query
from backend.core.errors import (
    AppError,
    DataSourceError,
    QueryCanceled,
    ReadOnly,
    SourceAuthFailed,
    SourceConnectionLost,
    SourceDatabaseMissing,
    SourceQueryFailed,
    SourceTimeout,
)

_SYSTEM_SCHEMAS = ("information_schema", "mysql", "performance_schema", "sys")
_BINARY_CHARSET = 63

_INTERRUPTED = 1317  # KILL QUERY
_TIMEOUT_ERRNOS = {1969, 3024}  # MariaDB max_statement_time, MySQL max_execution_time
_AUTH_ERRNOS = {1044, 1045, 1698, 1251, 2059}
_READ_ONLY_ERRNOS = {1792, 1290}
# The connection broke under a statement: gone away, lost (with or without the system error),
# and the server's own words as it stops (shutdown in progress, connection killed).
_LOST_ERRNOS = {2006, 2013, 2055, 1053, 1927}
_UNKNOWN_VARIABLE = 1193
_MULTI_STATEMENTS_OFF = b"\x01\x00"  # COM_SET_OPTION argument MYSQL_OPTION_MULTI_STATEMENTS_OFF
_READ_CHUNK = 256 * 1024  # bytes asked of the source connection's stream per read

_NEUTRAL_BY_FIELD_TYPE = {
    FIELD_TYPE.DECIMAL: "numeric", FIELD_TYPE.NEWDECIMAL: "numeric",
    FIELD_TYPE.TINY: "int2", FIELD_TYPE.SHORT: "int2", FIELD_TYPE.YEAR: "int2",
    FIELD_TYPE.LONG: "int4", FIELD_TYPE.INT24: "int4", FIELD_TYPE.LONGLONG: "int8",
    FIELD_TYPE.FLOAT: "float4", FIELD_TYPE.DOUBLE: "float8",
    FIELD_TYPE.TIMESTAMP: "timestamp", FIELD_TYPE.DATETIME: "timestamp",
    FIELD_TYPE.DATE: "date", FIELD_TYPE.NEWDATE: "date",
    FIELD_TYPE.TIME: "interval",  # PyMySQL returns timedelta: MySQL TIME may exceed a day
    FIELD_TYPE.JSON: "json", FIELD_TYPE.BIT: "bytea", FIELD_TYPE.GEOMETRY: "bytea",
}  # fmt: skip
_STRINGISH = {
    FIELD_TYPE.VARCHAR, FIELD_TYPE.VAR_STRING, FIELD_TYPE.STRING, FIELD_TYPE.ENUM,
    FIELD_TYPE.SET, FIELD_TYPE.TINY_BLOB, FIELD_TYPE.MEDIUM_BLOB, FIELD_TYPE.LONG_BLOB,
    FIELD_TYPE.BLOB,
}  # fmt: skip


class MySQLConnector:
    dialect = "mysql"

    def __init__(
        self,
        *,
        host: str,
        port: int = 3306,
        database: str,
        user: str,
        password: str = "",
        ssl: str = "disable",
        limits: Limits = DEFAULT_LIMITS,
        network: NetworkPolicy = DEFAULT_POLICY,
    ):
        self.host, self.port, self.database, self.user = host, port, database, user
        self._password = password
        self._ssl = ssl
        self.limits = limits
        self.network = network
        self._pool: aiomysql.Pool | None = None
        self._pool_lock = asyncio.Lock()
        self._prepared: weakref.WeakSet[aiomysql.Connection] = weakref.WeakSet()
        self._tls_confirmed = False

    # --- connections ---------------------------------------------------------------------------

    async def _addresses(self) -> list[str]:
        """The policy-checked addresses of the host, resolved now (see ``netpolicy``)."""
        return await self.network.resolve(
            "MySQL", self.host, self.port, timeout=self.limits.connect_timeout
        )

    def _connect_kwargs(self, address: str) -> dict[str, Any]:
        return {
            "host": address,
            "port": self.port,
            "user": self.user,
            "password": self._password,
            "db": self.database,
            "ssl": tls_context_for(self._ssl, self.host),
            "connect_timeout": self.limits.connect_timeout,
            "charset": "utf8mb4",
            "autocommit": True,
            "local_infile": False,
            "program_name": "metricsql",
        }

    async def _get_pool(self) -> aiomysql.Pool:
        async with self._pool_lock:
            if self._pool is None:
                self._pool = await aiomysql.create_pool(
                    minsize=0,
                    maxsize=self.limits.pool_max,
                    pool_recycle=int(self.limits.idle_lifetime),
                    **self._connect_kwargs(self.host),
                )
            return self._pool

    async def _pool_acquire(self, pool: aiomysql.Pool) -> aiomysql.Connection:
        """A pooled connection; when the pool must open a new one, it goes to an address the
        network policy checked just now. aiomysql's pool connects with the keyword arguments
        it was created with and has no connect hook, so the checked address is put there
        (every value ever put there was checked)."""
        if pool.freesize > 0:
            conn: aiomysql.Connection = await pool.acquire()
            return conn
        addresses = await self._addresses()
        for i, address in enumerate(addresses):
            pool._conn_kwargs["host"] = address
            try:
                conn = await pool.acquire()
                return conn
            except Exception as exc:
                last = i == len(addresses) - 1
                if last or not any(is_network_failure(e) for e in (exc, exc.__cause__) if e):
                    raise
        raise unreachable("MySQL", self.host, self.port)

    async def _acquire(self) -> aiomysql.Connection:
        pool = await self._get_pool()
        try:
            async with asyncio.timeout(self.limits.connect_timeout):
                if self._ssl != "disable" and not self._tls_confirmed:
                    # aiomysql quietly stays in plaintext when the server offers no TLS:
                    # look at the server's greeting first, before any credentials are sent.
                    if not await self._server_offers_tls():
                        raise self._no_tls()
                    self._tls_confirmed = True
                conn: aiomysql.Connection = await self._pool_acquire(pool)
                if conn not in self._prepared:
                    try:
                        await self._prepare(conn)
                    except BaseException:
                        self._release(conn, discard=True)
                        raise
                return conn
        except Exception as exc:
            raise self._connect_error(exc) from None

    async def _server_offers_tls(self) -> bool:
        """Whether the server's initial handshake packet announces CLIENT_SSL."""
        reader, writer = await asyncio.open_connection((await self._addresses())[0], self.port)
        try:
            header = await reader.readexactly(4)
            payload = await reader.readexactly(int.from_bytes(header[:3], "little"))
        finally:
            writer.close()
        if not payload or payload[0] != 10:  # an error packet or an unknown protocol:
            return True  # let the real connection attempt report it
        # protocol 10: version, server version NUL-terminated, thread id (4), scramble (8),
        # filler (1), then the low two bytes of the capability flags.
        offset = payload.index(b"\0", 1) + 1 + 4 + 8 + 1
        capabilities = int.from_bytes(payload[offset : offset + 2], "little")
        return bool(capabilities & CLIENT.SSL)

    def _no_tls(self) -> DataSourceError:
        return DataSourceError(
            f"MySQL at {self.host}:{self.port} does not accept TLS connections",
            hint="set ssl to false, or enable TLS on the server",
            field="ssl",
        )

    async def _prepare(self, conn: aiomysql.Connection) -> None:
        """Make a new connection read-only and time-limited, in the server's own dialect."""
        if self._ssl != "disable" and not getattr(conn, "_secure", False):
            raise self._no_tls()
        timeout = self.limits.statement_timeout
        if "mariadb" in (conn.get_server_info() or "").lower():
            limit = f"SET SESSION max_statement_time = {timeout:.3f}"
        else:  # MySQL: milliseconds, and only SELECT statements are limited
            limit = f"SET SESSION max_execution_time = {int(timeout * 1000)}"
        async with conn.cursor() as cur:
            try:
                await cur.execute(limit)
            except pymysql.err.OperationalError as exc:
                if _errno(exc) != _UNKNOWN_VARIABLE:  # servers too old for a statement limit
                    raise
            await cur.execute("SET SESSION TRANSACTION READ ONLY")
        await _multi_statements_off(conn)
        self._prepared.add(conn)

    def _release(self, conn: aiomysql.Connection, *, discard: bool = False) -> None:
        if discard and not conn.closed:
            conn.close()
        pool = self._pool
        if pool is not None:
            pool.release(conn)
        elif not conn.closed:
            conn.close()

    async def _kill_query(self, thread_id: int) -> None:
        """Stop a running statement from outside its connection."""
        try:
            async with asyncio.timeout(self.limits.connect_timeout):
                conn = await aiomysql.connect(**self._connect_kwargs((await self._addresses())[0]))
                try:
                    async with conn.cursor() as cur:
                        await cur.execute(f"KILL QUERY {int(thread_id)}")
                finally:
                    conn.close()
        except (Exception, TimeoutError):
            pass  # the statement may already have ended; the caller discards the connection

    def _connect_error(self, exc: BaseException) -> AppError:
        if isinstance(exc, AppError):
            return exc
        for candidate in (exc, exc.__cause__):
            if candidate is None:
                continue
            network = connect_failure(
                candidate,
                engine="MySQL",
                host=self.host,
                port=self.port,
                timeout=self.limits.connect_timeout,
            )
            if network is not None:
                return network
        errno = _errno(exc)
        if errno in _AUTH_ERRNOS:
            if errno == 1044:
                return SourceAuthFailed(
                    f"user {self.user!r} may not use database {self.database!r}",
                    hint="grant the user access to the database, or check its name",
                    field="database",
                )
            return SourceAuthFailed(
                f"access denied for user {self.user!r}",
                hint="check the user name and password, and that the user may connect "
                "from this server's address",
                field="password",
            )
        if errno == 1049:
            return SourceDatabaseMissing(
                f"database {self.database!r} does not exist on {self.host}:{self.port}",
                hint="check the database name",
                field="database",
            )
        if errno is not None and errno < 2000:  # the server answered with an error
            return DataSourceError(
                f"MySQL at {self.host}:{self.port} refused the connection: {self._message(exc)}"
            )
        # No MySQL answer at all (2003 and other client-side errors, another service on the
        # port): the same "unreachable" as a closed port, so nothing tells what listens there.
        log.info("data source %s:%d: no MySQL handshake: %s", self.host, self.port,
                 type(exc).__name__)
        return unreachable("MySQL", self.host, self.port)

    def _message(self, exc: BaseException) -> str:
        args: tuple[Any, ...] = tuple(exc.args)
        text = str(args[1]) if len(args) >= 2 else str(exc)
        return scrub(text, self._password)

    def _query_error(self, exc: BaseException, *, canceled: bool) -> AppError:
        if isinstance(exc, AppError):
            return exc
        errno = _errno(exc)
        if errno == _INTERRUPTED and canceled:
            return QueryCanceled("the query was canceled")
        if errno in _TIMEOUT_ERRNOS or errno == _INTERRUPTED or isinstance(exc, TimeoutError):
            return SourceTimeout(
                "the query ran longer than the statement timeout "
                f"({self.limits.statement_timeout:g} s)",
                hint="narrow the query (filters, a smaller date range) or raise the timeout",
            )
        if errno in _READ_ONLY_ERRNOS:
            return ReadOnly("data sources are read-only: only queries may run")
        if errno in _LOST_ERRNOS or isinstance(exc, OSError):
            return SourceConnectionLost(
                f"the connection to MySQL at {self.host}:{self.port} was lost during the "
                f"query: {self._message(exc)}",
                hint="the data source stopped or the network failed; run the statement again "
                "once it is back",
            )
        return SourceQueryFailed(
            f"MySQL error: {self._message(exc)}", hint=f"error {errno}" if errno else None
        )

    # --- the Connector protocol ---------------------------------------------------------------

    async def _fetch(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        conn = await self._acquire()
        discard = False
        try:
            async with asyncio.timeout(self.limits.statement_timeout + 5):
                async with conn.cursor() as cur:
                    await cur.execute(sql, tuple(args) or None)
                    rows: list[tuple[Any, ...]] = list(await cur.fetchall())
                    return rows
        except BaseException as exc:
            discard = True
            if isinstance(exc, Exception):
                raise self._query_error(exc, canceled=False) from None
            raise
        finally:
            self._release(conn, discard=discard)

    async def check(self) -> None:
        conn = await self._acquire()
        discard = False
        try:
            async with asyncio.timeout(self.limits.connect_timeout), conn.cursor() as cur:
                await cur.execute("SELECT 1")
                await cur.fetchall()
        except BaseException as exc:
            discard = True
            if isinstance(exc, Exception):
                raise self._query_error(exc, canceled=False) from None
            raise
        finally:
            self._release(conn, discard=discard)

    async def list_schemas(self) -> list[str]:
        rows = await self._fetch(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
            f"WHERE SCHEMA_NAME NOT IN ({', '.join(['%s'] * len(_SYSTEM_SCHEMAS))}) "
            "ORDER BY SCHEMA_NAME",
            _SYSTEM_SCHEMAS,
        )
        return [r[0] for r in rows]

    async def list_tables(self, schemas: Sequence[str] | None = None) -> list[TableInfo]:
        """Tables of the given databases; by default of the one the data source names."""
        wanted = list(schemas) if schemas is not None else [self.database]
        if not wanted:
            return []
        marks = ", ".join(["%s"] * len(wanted))
        relations = await self._fetch(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
            f"WHERE TABLE_SCHEMA IN ({marks}) ORDER BY TABLE_SCHEMA, TABLE_NAME",
            wanted,
        )
        columns: dict[tuple[str, str], list[ColumnInfo]] = {}
        for schema, table, name, type_, nullable in await self._fetch(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE "
            f"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ({marks}) "
            "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
            wanted,
        ):
            columns.setdefault((schema, table), []).append(
                ColumnInfo(name, str(type_).lower(), nullable == "YES")
            )
        pks: dict[tuple[str, str], list[str]] = {}
        fks: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {}
        for (
            schema,
            table,
            constraint,
            column,
            ref_schema,
            ref_table,
            ref_column,
        ) in await self._fetch(
            "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, "
            "REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "
            f"FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA IN ({marks}) "
            "AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL) "
            "ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
            wanted,
        ):
            if ref_table is None:
                pks.setdefault((schema, table), []).append(column)
            else:
                fks.setdefault((schema, table, constraint), []).append(
                    (column, ref_schema, ref_table, ref_column)
                )
        foreign: dict[tuple[str, str], list[ForeignKey]] = {}
        for (schema, table, _), parts in fks.items():
            foreign.setdefault((schema, table), []).append(
                ForeignKey(
                    tuple(p[0] for p in parts), parts[0][1], parts[0][2], tuple(p[3] for p in parts)
                )
            )
        return [
            TableInfo(
                schema,
                table,
                tuple(columns.get((schema, table), ())),
                tuple(pks.get((schema, table), ())),
                tuple(foreign.get((schema, table), ())),
            )
            for schema, table in relations
        ]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> QueryResult:
        require_plain_query(sql, dialect="mysql")
        conn = await self._acquire()
        result = MySQLResult(self, conn)
        try:
            await result.start(sql, params)
        except BaseException:
            await result.close()
            raise
        return result

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            try:
                await asyncio.wait_for(pool.wait_closed(), self.limits.connect_timeout)
            except TimeoutError:
                pool.terminate()


class MySQLResult:
    """A query streaming through an unbuffered cursor on one pooled connection."""

    def __init__(self, connector: MySQLConnector, conn: aiomysql.Connection):
        self._connector = connector
        self._conn = conn
        self._thread_id: int = conn.thread_id()
        self._cursor: aiomysql.SSCursor | None = None
        self.columns: Sequence[ResultColumn] = ()
        self._canceled = False
        self._done = False
        self._closed = False
        self._broken = False
        self._server_ended = False
        self._reading = False

    async def _call(self, coro: Any) -> Any:
        """One protocol round trip, bounded by a client-side backstop to the server timeout."""
        try:
            async with asyncio.timeout(self._connector.limits.statement_timeout + 5):
                return await coro
        except BaseException as exc:
            failure = self._failure(exc)
            if failure is exc:
                raise
            raise failure from None

    def _failure(self, exc: BaseException) -> BaseException:
        """What a failure while reading the result is to the caller (the exception itself
        when it is not an Exception: a task cancelled)."""
        self._broken = True
        # A server error ended the statement; anything else (a client timeout, a task
        # cancelled) may leave it running on the server.
        self._server_ended = _errno(exc) is not None
        if isinstance(exc, Exception):
            if self._canceled and _errno(exc) != _INTERRUPTED:
                return QueryCanceled("the query was canceled")
            return self._connector._query_error(exc, canceled=self._canceled)
        return exc

    async def start(self, sql: str, params: Sequence[Any]) -> None:
        self._cursor = await self._conn.cursor(aiomysql.SSCursor)
        await self._call(self._cursor.execute(sql, tuple(params) or None))
        _use_fast_row_reader(self._cursor)
        self.columns = _result_columns(self._cursor)
        if not self.columns:
            self._done = True

    @property
    def packets_forwardable(self) -> bool:
        """Whether ``text_packets`` can take this result's rows: a text resultset not yet
        read, on a connection whose stream and packet count are where aiomysql keeps them."""
        conn, result = self._conn, getattr(self._cursor, "_result", None)
        return (not self._reading and not self._done
                and getattr(result, "unbuffered_active", False) is True
                and isinstance(getattr(result, "converters", None), list)
                and isinstance(getattr(conn, "_reader", None), asyncio.StreamReader)
                and isinstance(getattr(conn, "_next_seq_id", None), int)
                and not getattr(conn, "client_flag", 0) & CLIENT.DEPRECATE_EOF)

    async def text_packets(self) -> AsyncIterator[tuple[bytes, int, int]]:
        """Runs of whole row packets exactly as the server sent them (frame headers with the
        server's sequence ids), each with its number of rows and of frames; the end-of-rows
        packet is not part of them. An error packet after some rows raises after they came."""
        if not self.packets_forwardable:
            raise RuntimeError("the result's rows cannot be read as packets")
        self._reading = True
        conn = self._conn
        reader: asyncio.StreamReader = conn._reader
        packets = RowPackets(conn._next_seq_id)
        while not packets.done:
            if self._canceled or self._closed:
                raise QueryCanceled("the query was canceled")
            data = await self._call(reader.read(_READ_CHUNK))
            if not data:
                raise self._failure(pymysql.err.OperationalError(
                    2013, "Lost connection to MySQL server during query")) from None
            try:
                run, rows, frames = packets.feed(data)
            except RowPacketError as exc:
                raise self._failure(OSError(str(exc))) from None
            if self._canceled:  # an interrupted SLEEP() ends normally: still canceled
                raise QueryCanceled("the query was canceled")
            if rows:
                yield run, rows, frames
        self._done = True
        self._finished(packets)
        if packets.error is not None:
            try:
                pymysql.err.raise_mysql_exception(packets.error)
            except pymysql.err.MySQLError as exc:
                raise self._failure(exc) from None

    def _finished(self, packets: RowPackets) -> None:
        """Tell aiomysql its result is read; a connection whose stream holds more than one
        result is not given back to the pool."""
        result = getattr(self._cursor, "_result", None)
        if result is not None:
            result.unbuffered_active = False
            result.connection = None
            result.warning_count = packets.warnings
        if packets.trailing or packets.status & SERVER_STATUS.SERVER_MORE_RESULTS_EXISTS:
            self._broken = self._server_ended = True

    async def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        if self.packets_forwardable:
            converters = self._cursor._result.converters  # type: ignore[union-attr]
            batch: list[tuple[Any, ...]] = []
            async for run, _, _ in self.text_packets():
                try:
                    batch.extend(decode_rows(run, converters))
                except (RowPacketError, ValueError) as exc:
                    raise self._failure(pymysql.err.InternalError(str(exc))) from None
                while len(batch) >= batch_size:
                    yield batch[:batch_size]
                    del batch[:batch_size]
            if batch:
                yield batch
            return
        cursor = self._cursor
        while not self._done and cursor is not None:
            if self._canceled or self._closed:
                raise QueryCanceled("the query was canceled")
            batch = list(await self._call(cursor.fetchmany(batch_size)))
            if self._canceled:  # an interrupted SLEEP() returns normally: still canceled
                raise QueryCanceled("the query was canceled")
            if len(batch) < batch_size:
                self._done = True
            if batch:
                yield batch

    async def cancel(self) -> None:
        if self._closed or self._done:
            return
        self._canceled = True
        await self._connector._kill_query(self._thread_id)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        unfinished = not self._done or self._broken
        if unfinished:
            # Reading a half-read stream to its end could take minutes: stop the statement and
            # drop the connection instead of returning it to the pool.
            if not self._server_ended:
                await self._connector._kill_query(self._thread_id)
            self._connector._release(self._conn, discard=True)
            return
        try:
            if self._cursor is not None:
                await self._cursor.close()
        except Exception:
            self._connector._release(self._conn, discard=True)
            return
        self._connector._release(self._conn)


async def _multi_statements_off(conn: aiomysql.Connection) -> None:
    """Ask the server to refuse ``;``-separated statements on this connection.

    aiomysql sets CLIENT_MULTI_STATEMENTS on every connection and has no option against it;
    the protocol's COM_SET_OPTION turns it off for the session. aiomysql offers no public call
    for that command, so this uses its packet-level methods (present since 0.0.x)."""
    await conn._execute_command(COMMAND.COM_SET_OPTION, _MULTI_STATEMENTS_OFF)
    await conn._read_packet()


def _use_fast_row_reader(cursor: aiomysql.Cursor) -> None:
    """Give the cursor's unbuffered result a row parser without a method call per field.

    Streaming a large result spends much of its time in aiomysql's generic per-field packet
    reads; this parser gives the same values (same per-column decoding and converters, NULL
    for 0xFB) by walking the packet's bytes in one loop. It replaces aiomysql's
    ``MySQLResult._read_row_from_packet`` on that one result object only, and only when the
    attributes it relies on are there.
    """
    result = getattr(cursor, "_result", None)
    converters = getattr(result, "converters", None)
    if result is None or converters is None or not hasattr(result, "_read_row_from_packet"):
        return
    columns = tuple(converters)

    def read_row(packet: Any) -> tuple[Any, ...]:
        data: bytes = packet._data
        try:
            row, packet._position = decode_row(data, packet._position, len(data), columns)
        except RowPacketError as exc:
            raise pymysql.err.InternalError(str(exc)) from None
        return row

    result._read_row_from_packet = read_row


def _result_columns(cursor: aiomysql.Cursor) -> list[ResultColumn]:
    fields = getattr(getattr(cursor, "_result", None), "fields", None) or ()
    charsets = [getattr(f, "charsetnr", None) for f in fields]
    columns = []
    for i, d in enumerate(cursor.description or ()):
        type_code = d[1]
        if type_code in _STRINGISH:
            binary = i < len(charsets) and charsets[i] == _BINARY_CHARSET
            neutral = "bytea" if binary else "text"
        else:
            neutral = _NEUTRAL_BY_FIELD_TYPE.get(type_code, "text")
        columns.append(ResultColumn(d[0], neutral))
    return columns


def _errno(exc: BaseException) -> int | None:
    if isinstance(exc, pymysql.err.MySQLError) and exc.args and isinstance(exc.args[0], int):
        return exc.args[0]
    return None
