"""PostgreSQL: the hot path through ``pgwire``, everything else through asyncpg.

A pool per connector (opened lazily, at most ``pool_max`` connections, idle ones closed after
``idle_lifetime``). Every connection starts with ``statement_timeout`` and
``default_transaction_read_only`` set, and a pooled connection is reset (``RESET ALL``) when
released. On top of that every statement — query, COPY, catalog probe, check — runs inside an
explicit ``BEGIN TRANSACTION READ ONLY`` with ``SET LOCAL statement_timeout``, and that
transaction is always rolled back: a query cannot lift either for itself (read-write mode
cannot be set after a transaction's first query) or for a later one, the settings survive a
pooler that drops startup parameters, and whatever PostgreSQL lets a read-only transaction
write anyway (``lo_from_bytea`` creates a large object) never persists.

A single SELECT whose parameters and result columns the wire client handles (result types
with a decoder in ``pgcopy``, parameters sent as text: numbers, strings, dates, bytes) takes
the hot path in ``pgwire``: the same transaction, BEGIN, SET LOCAL, the query and ROLLBACK
sent in one write on statements parsed once per connection, the rows read as DataRow
messages (forwarded untouched to PostgreSQL clients by ``gateway.postgres.forward``), no
reset on release. The planner may use parallel workers there (an Execute without a row
limit). Everything else runs on an asyncpg server-side cursor (a portal fetched
``batch_size`` rows at a time) in the same kind of transaction. ``cancel()`` sends the server
a CancelRequest on either path.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

import asyncpg
from asyncpg.cursor import Cursor
from asyncpg.pool import Pool

from backend.connectors import pgwire
from backend.connectors.base import ColumnInfo, ForeignKey, QueryResult, ResultColumn, TableInfo
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.netpolicy import (
    DEFAULT_POLICY,
    NetworkPolicy,
    tls_context_for,
    unreachable,
)
from backend.connectors.network import connect_failure, log, scrub
from backend.connectors.pgcopy import DECODERS
from backend.connectors.statements import require_plain_query
from backend.connectors.typenames import neutral_type
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

_SYSTEM_SCHEMA_FILTER = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
)

# A query COPY can wrap: a single SELECT/WITH/VALUES/TABLE statement (after leading comments
# and parentheses). Any ';' sends the query down the cursor path, so the COPY text is always
# exactly one statement: the one the server already parsed when describing it.
_COPYABLE = re.compile(
    r"(?:\s|--[^\n]*\n|/\*.*?\*/|\()*(?:select|with|values|table)\b", re.I | re.S
)


# Type names of the OIDs the wire path decodes (pgcopy.DECODERS), for the neutral names.
_TYPE_NAMES = {16: "bool", 20: "int8", 21: "int2", 23: "int4", 26: "oid", 700: "float4",
               701: "float8", 1082: "date", 1114: "timestamp", 1184: "timestamptz",
               1700: "numeric", 25: "text", 1043: "varchar", 1042: "bpchar", 19: "name"}
# Session settings of wire-path connections: text values then read as the gateway writes them.
_WIRE_SETTINGS = {"application_name": "metricsql", "default_transaction_read_only": "on",
                  "DateStyle": "ISO, MDY", "TimeZone": "UTC", "IntervalStyle": "postgres",
                  "extra_float_digits": "1", "client_encoding": "UTF8", "bytea_output": "hex"}


def _copyable(sql: str) -> bool:
    return ";" not in sql and _COPYABLE.match(sql) is not None


def _columns(attributes: Sequence[Any]) -> list[ResultColumn]:
    return [ResultColumn(a.name, neutral_type("postgres", a.type.name)) for a in attributes]


class PostgresConnector:
    dialect = "postgres"

    def __init__(
        self,
        *,
        host: str,
        port: int = 5432,
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
        self._pool: Pool | None = None
        self._pool_lock = asyncio.Lock()
        self._wire_pool: pgwire.WirePool | None = None

    # --- connections ---------------------------------------------------------------------------

    async def _get_pool(self) -> Pool:
        async with self._pool_lock:
            if self._pool is None:
                context = tls_context_for(self._ssl, self.host)
                timeout_ms = int(self.limits.statement_timeout * 1000)
                self._pool = await asyncpg.create_pool(
                    connect=self._connect_checked,
                    host=self.host,
                    port=self.port,
                    user=self.user,
                    # Never None: asyncpg would fall back to $PGPASSWORD and ~/.pgpass, which
                    # belong to this server, not to the data source.
                    password=self._password,
                    database=self.database,
                    ssl=context if context is not None else False,
                    timeout=self.limits.connect_timeout,
                    # A client-side backstop in case the server never honours its own timeout.
                    command_timeout=self.limits.statement_timeout + 5,
                    min_size=0,
                    max_size=self.limits.pool_max,
                    max_inactive_connection_lifetime=self.limits.idle_lifetime,
                    server_settings={
                        "application_name": "metricsql",
                        "statement_timeout": str(timeout_ms),
                        "default_transaction_read_only": "on",
                    },
                )
            return self._pool

    def _get_wire_pool(self) -> pgwire.WirePool:
        if self._wire_pool is None:
            self._wire_pool = pgwire.WirePool(self._wire_connect, self.limits.pool_max,
                                              self.limits.idle_lifetime)
        return self._wire_pool

    async def _wire_connect(self) -> pgwire.WireConnection:
        """A hot-path connection: the same policy, TLS and settings as the asyncpg pool's."""
        hosts = await self.network.resolve(
            "PostgreSQL", self.host, self.port, timeout=self.limits.connect_timeout
        )
        timeout_ms = int(self.limits.statement_timeout * 1000)
        try:
            conn = await pgwire.connect(
                hosts, self.port, user=self.user, password=self._password,
                database=self.database, ssl_context=tls_context_for(self._ssl, self.host),
                settings={**_WIRE_SETTINGS, "statement_timeout": str(timeout_ms)},
                timeout=self.limits.connect_timeout,
            )
            await conn.set_wrapper(timeout_ms)
        except pgwire.WireError as exc:
            raise self._connect_error(asyncpg.PostgresError.new(exc.fields)) from None
        except Exception as exc:
            raise self._connect_error(exc) from None
        return conn

    async def _connect_checked(self, *args: Any, **kwargs: Any) -> asyncpg.Connection:
        """Every new pooled connection: resolve the host now, check each address against
        the network policy, and connect to those addresses only."""
        kwargs["host"] = await self.network.resolve(
            "PostgreSQL", self.host, self.port, timeout=self.limits.connect_timeout
        )
        conn: asyncpg.Connection = await asyncpg.connect(*args, **kwargs)
        return conn

    async def _acquire(self) -> asyncpg.Connection:
        pool = await self._get_pool()
        try:
            async with asyncio.timeout(self.limits.connect_timeout):
                conn: asyncpg.Connection = await pool.acquire()
                return conn
        except Exception as exc:
            raise self._connect_error(exc) from None

    def _connect_error(self, exc: BaseException) -> AppError:
        if isinstance(exc, AppError):
            return exc
        if isinstance(exc, ConnectionError) and "rejected SSL" in str(exc):
            return DataSourceError(
                f"PostgreSQL at {self.host}:{self.port} does not accept TLS connections",
                hint="set ssl to false, or enable TLS on the server",
                field="ssl",
            )
        network = connect_failure(
            exc,
            engine="PostgreSQL",
            host=self.host,
            port=self.port,
            timeout=self.limits.connect_timeout,
        )
        if network is not None:
            return network
        if isinstance(exc, asyncpg.InvalidPasswordError):
            return SourceAuthFailed(
                f"password authentication failed for user {self.user!r}",
                hint="check the user name and password",
                field="password",
            )
        if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
            return SourceAuthFailed(
                f"the server refused user {self.user!r}: {self._scrub(exc)}",
                hint="check the user name, and that pg_hba.conf admits this host",
                field="user",
            )
        if isinstance(exc, asyncpg.InvalidCatalogNameError):
            return SourceDatabaseMissing(
                f"database {self.database!r} does not exist on {self.host}:{self.port}",
                hint="check the database name (it is case-sensitive)",
                field="database",
            )
        if isinstance(exc, asyncpg.TooManyConnectionsError):
            return DataSourceError(f"the server has no free connections: {self._scrub(exc)}")
        answered = isinstance(exc, asyncpg.PostgresError) and not str(
            exc.sqlstate or "08").startswith("08")  # class 08: the connection itself failed
        if answered:
            return DataSourceError(
                f"PostgreSQL at {self.host}:{self.port} refused the connection: "
                f"{self._scrub(exc)}"
            )
        # No PostgreSQL answer at all (some other service, a dropped connection): the same
        # "unreachable" as a closed port, so the answer does not tell what listens there.
        log.info("data source %s:%d: no PostgreSQL handshake: %s", self.host, self.port,
                 type(exc).__name__)
        return unreachable("PostgreSQL", self.host, self.port)

    def _scrub(self, exc: BaseException) -> str:
        return scrub(str(exc), self._password)

    def _query_error(self, exc: BaseException, *, canceled: bool = False) -> AppError:
        if isinstance(exc, AppError):
            return exc
        if isinstance(exc, asyncpg.QueryCanceledError):
            if canceled or "user request" in str(exc):
                return QueryCanceled("the query was canceled")
            return SourceTimeout(
                "the query ran longer than the statement timeout "
                f"({self.limits.statement_timeout:g} s)",
                hint="narrow the query (filters, a smaller date range) or raise the timeout",
            )
        if isinstance(exc, TimeoutError):
            return SourceTimeout(
                f"PostgreSQL at {self.host}:{self.port} stopped answering during the query"
            )
        if isinstance(exc, asyncpg.ReadOnlySQLTransactionError):
            return ReadOnly("data sources are read-only: only queries may run")
        lost = isinstance(exc, (OSError, asyncpg.InterfaceError)) or (
            # class 08 (connection failure) and 57P01-57P03 (the server shutting down)
            isinstance(exc, asyncpg.PostgresError)
            and str(exc.sqlstate or "").startswith(("08", "57P0")))
        if lost:
            return SourceConnectionLost(
                f"the connection to PostgreSQL at {self.host}:{self.port} was lost during the "
                f"query: {self._scrub(exc) or type(exc).__name__}",
                hint="the data source stopped or the network failed; run the statement again "
                     "once it is back",
            )
        if isinstance(exc, asyncpg.PostgresError):
            err = SourceQueryFailed(
                f"PostgreSQL error: {self._scrub(exc)}", hint=f"SQLSTATE {exc.sqlstate}"
            )
            if str(exc.sqlstate or "").startswith("22"):
                # A data exception (division by zero, out of range, bad input) belongs to the
                # query, and PostgreSQL would give the client exactly that SQLSTATE.
                err.sqlstate = str(exc.sqlstate)
            return err
        return SourceQueryFailed(f"PostgreSQL query failed: {self._scrub(exc)}")

    async def _begin(self, conn: asyncpg.Connection) -> None:
        """Open the read-only, time-limited transaction every statement runs in (one round
        trip: a simple-protocol message may carry both commands)."""
        timeout_ms = int(self.limits.statement_timeout * 1000)
        await conn.execute(
            f"BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = {timeout_ms}"
        )

    async def _fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await self._acquire()
        try:
            await self._begin(conn)
            rows: list[asyncpg.Record] = await conn.fetch(sql, *args)
            return rows
        except Exception as exc:
            raise self._query_error(exc) from None
        finally:
            try:
                await _abandon(conn, self.limits.connect_timeout)
            finally:
                await self._release(conn)

    async def _release(self, conn: asyncpg.Connection) -> None:
        pool = self._pool
        if pool is None:
            conn.terminate()
            return
        try:
            await pool.release(conn, timeout=self.limits.connect_timeout)
        except Exception:
            # The pool terminates a connection whose reset failed and lets go of it; then
            # this proxy refuses terminate() with InterfaceError.
            with contextlib.suppress(asyncpg.InterfaceError):
                conn.terminate()

    # --- the Connector protocol ---------------------------------------------------------------

    async def check(self) -> None:
        conn = await self._acquire()
        try:
            await self._begin(conn)
            await conn.fetchval("SELECT 1", timeout=self.limits.connect_timeout)
        except Exception as exc:
            raise self._query_error(exc) from None
        finally:
            try:
                await _abandon(conn, self.limits.connect_timeout)
            finally:
                await self._release(conn)

    async def list_schemas(self) -> list[str]:
        rows = await self._fetch(
            "SELECT n.nspname FROM pg_namespace n "
            f"WHERE {_SYSTEM_SCHEMA_FILTER} AND has_schema_privilege(n.oid, 'USAGE') "
            "ORDER BY 1"
        )
        return [r[0] for r in rows]

    async def list_tables(self, schemas: Sequence[str] | None = None) -> list[TableInfo]:
        if schemas is None:
            relations = await self._fetch(
                "SELECT c.oid, n.nspname, c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                f"WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition "
                f"AND {_SYSTEM_SCHEMA_FILTER} ORDER BY 2, 3"
            )
        else:
            relations = await self._fetch(
                "SELECT c.oid, n.nspname, c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition "
                "AND n.nspname = ANY($1::text[]) ORDER BY 2, 3",
                list(schemas),
            )
        oids = [r[0] for r in relations]
        columns: dict[int, list[ColumnInfo]] = {}
        for r in await self._fetch(
            "SELECT a.attrelid, a.attname, format_type(a.atttypid, NULL), NOT a.attnotnull "
            "FROM pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum",
            oids,
        ):
            columns.setdefault(r[0], []).append(ColumnInfo(r[1], r[2], r[3]))
        pks: dict[int, tuple[str, ...]] = {}
        fks: dict[int, list[ForeignKey]] = {}
        for r in await self._fetch(
            "SELECT con.conrelid, con.contype::text, "
            "  ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) "
            "        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num "
            "        ORDER BY k.ord)::text[], "
            "  rn.nspname, rc.relname, "
            "  ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) "
            "        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num "
            "        ORDER BY k.ord)::text[] "
            "FROM pg_constraint con "
            "LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
            "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
            "WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'f') "
            "AND con.conparentid = 0 ORDER BY con.conrelid, con.conname",
            oids,
        ):
            if r[1] == "p":
                pks[r[0]] = tuple(r[2])
            else:
                fks.setdefault(r[0], []).append(ForeignKey(tuple(r[2]), r[3], r[4], tuple(r[5])))
        return [
            TableInfo(
                r[1],
                r[2],
                tuple(columns.get(r[0], ())),
                pks.get(r[0], ()),
                tuple(fks.get(r[0], ())),
            )
            for r in relations
        ]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> QueryResult:
        require_plain_query(sql, dialect="postgres")
        if _copyable(sql):
            wire = await self._execute_wire(sql, params)
            if wire is not None:
                return wire
        conn = await self._acquire()
        try:
            await self._begin(conn)
            statement = await conn.prepare(sql)
            columns = _columns(statement.get_attributes())
            cursor = await statement.cursor(*params)
        except BaseException as exc:
            try:
                await _abandon(conn, self.limits.connect_timeout)
            finally:
                await self._release(conn)
            if isinstance(exc, Exception):
                raise self._query_error(exc) from None
            raise
        return PostgresResult(columns, self, conn, cursor)

    async def _execute_wire(self, sql: str, params: Sequence[Any]) -> WireResult | None:
        """The hot path (see ``pgwire``), or None when this statement needs asyncpg: a
        parameter or result type the wire path does not encode or decode."""
        try:
            encoded = [pgwire.text_param(p) for p in params]
        except TypeError:
            return None
        pool = self._get_wire_pool()
        try:
            async with asyncio.timeout(self.limits.connect_timeout):
                conn = await pool.acquire()
        except AppError:
            raise
        except Exception as exc:
            raise self._connect_error(exc) from None
        try:
            stmt = await conn.prepare(sql)
        except pgwire.WireError as exc:
            pool.release(conn)
            raise self._query_error(asyncpg.PostgresError.new(exc.fields)) from None
        except BaseException as exc:
            conn.terminate()
            pool.release(conn)
            if isinstance(exc, Exception):
                raise self._query_error(exc) from None
            raise
        oids = [oid for _, oid in stmt.columns]
        if (not oids or not all(oid in DECODERS for oid in oids)
                or len(stmt.param_oids) != len(encoded)):
            pool.release(conn)
            return None
        return WireResult(self, pool, conn, stmt, encoded)

    async def close(self) -> None:
        wire, self._wire_pool = self._wire_pool, None
        if wire is not None:
            await wire.close()
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), self.limits.connect_timeout)
            except (TimeoutError, asyncpg.InterfaceError):
                pool.terminate()


class PostgresResult:
    """A query on a server-side cursor inside a READ ONLY transaction (rolled back on close)."""

    def __init__(
        self,
        columns: Sequence[ResultColumn],
        connector: PostgresConnector,
        conn: asyncpg.Connection,
        cursor: Cursor,
    ):
        self.columns = columns
        self._connector = connector
        self._conn = conn
        self._cursor = cursor
        self._pending: asyncio.Future[list[asyncpg.Record]] | None = None
        self._canceled = False
        self._done = False
        self._closed = False

    async def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        while not self._done:
            if self._canceled or self._closed:
                raise QueryCanceled("the query was canceled")
            # The fetch runs as its own task so cancel() can cancel it; asyncpg answers a
            # cancelled wait by sending the server a CancelRequest.
            pending = asyncio.ensure_future(self._cursor.fetch(batch_size))
            self._pending = pending
            try:
                records = await pending
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if self._canceled and not (current and current.cancelling()):
                    raise QueryCanceled("the query was canceled") from None
                raise
            except Exception as exc:
                raise self._connector._query_error(exc, canceled=self._canceled) from None
            finally:
                self._pending = None
            if len(records) < batch_size:
                self._done = True
            if records:
                yield [tuple(r) for r in records]

    async def cancel(self) -> None:
        if self._closed or self._done:
            return
        self._canceled = True
        pending = self._pending
        if pending is not None and not pending.done():
            pending.cancel()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        pending = self._pending
        if pending is not None and not pending.done():
            pending.cancel()
            await asyncio.wait([pending])
        try:
            await _abandon(self._conn, self._connector.limits.connect_timeout)
        finally:
            await self._connector._release(self._conn)


class WireResult:
    """A statement on the one-round-trip path. Nothing is sent until the rows are asked for:
    ``rows()`` reads binary values and decodes them; ``forward(formats)`` (the PostgreSQL
    gateway) hands out the DataRow messages themselves in the formats the client asked for."""

    def __init__(self, connector: PostgresConnector, pool: pgwire.WirePool,
                 conn: pgwire.WireConnection, stmt: pgwire.Statement,
                 params: Sequence[bytes | None]):
        self.columns: Sequence[ResultColumn] = [
            ResultColumn(name, neutral_type("postgres", _TYPE_NAMES[oid]))
                        for name, oid in stmt.columns]
        self.source_oids = tuple(oid for _, oid in stmt.columns)
        self._connector = connector
        self._pool = pool
        self._conn = conn
        self._stmt = stmt
        self._params = params
        self._started = False
        self._done = False
        self._canceled = False
        self._closed = False
        self._decoded: AsyncIterator[tuple[bytes, int]] | None = None
        self._leftover: list[tuple[Any, ...]] = []

    def buffered(self) -> bool:
        """More of the result has arrived already (the forwarder may wait before flushing)."""
        return self._conn.buffered()

    def _canceled_error(self) -> AppError:
        return QueryCanceled("canceling statement due to user request")

    async def forward(self, formats: Sequence[int]) -> AsyncIterator[tuple[bytes, int]]:
        """Runs of whole DataRow messages (bytes, row count), the columns in ``formats``."""
        if self._started:
            raise RuntimeError("the result was already read")
        if self._canceled or self._closed:
            raise self._canceled_error()
        self._started = True
        self._conn.start(self._stmt, self._params, formats)
        try:
            async for item in pgwire.read_rows(self._conn):
                yield item
            self._done = True
        except pgwire.WireError as exc:
            self._done = True
            await self._recover()
            if self._canceled and exc.sqlstate == "57014":
                raise self._canceled_error() from None
            raise self._connector._query_error(asyncpg.PostgresError.new(exc.fields)) from None
        except (OSError, asyncio.IncompleteReadError, pgwire.WireProtocolError) as exc:
            self._done = True
            self._conn.terminate()
            raise self._connector._query_error(
                exc if isinstance(exc, OSError) else OSError(str(exc))) from None

    async def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        decoders = [DECODERS[oid] for oid in self.source_oids]
        if self._decoded is None:  # a later rows() call goes on where the last one stopped
            self._decoded = self.forward([1] * len(decoders)).__aiter__()
        batch = self._leftover
        while True:
            while len(batch) >= batch_size:
                out, batch = batch[:batch_size], batch[batch_size:]
                self._leftover = batch
                yield out
            try:
                chunk, _ = await anext(self._decoded)
            except StopAsyncIteration:
                break
            batch.extend(pgwire.decode_rows(chunk, decoders))
        self._leftover = []
        if batch:
            yield batch

    async def _recover(self) -> None:
        """After a query error: read to ReadyForQuery, roll back the failed transaction."""
        conn = self._conn
        try:
            async with asyncio.timeout(self._connector.limits.connect_timeout):
                await conn.until_ready()
                if conn.status != b"I":
                    conn.write(pgwire._msg(b"Q", b"ROLLBACK\x00"))
                    await conn.until_ready()
        except Exception:
            conn.terminate()
        except asyncio.CancelledError:
            conn.terminate()  # the connection's state is unknown; the cancel goes on
            raise

    async def cancel(self) -> None:
        if self._closed or self._done:
            return
        self._canceled = True
        if self._started:
            try:
                await self._conn.cancel()
            except OSError:
                self._conn.terminate()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        conn = self._conn
        if self._started and not self._done:
            # Abandoned mid-stream: stop the query, skip what is still coming, roll back.
            try:
                async with asyncio.timeout(self._connector.limits.connect_timeout):
                    # (If another task were reading this socket, the read below raises and
                    # the connection is dropped instead.)
                    await conn.cancel()
                    await conn.until_ready()
                    if conn.status != b"I":
                        conn.write(pgwire._msg(b"Q", b"ROLLBACK\x00"))
                        await conn.until_ready()
            except Exception:
                conn.terminate()
            except asyncio.CancelledError:
                # A session being ended (revocation) must end: drop the connection, give
                # the slot back, and let the cancel go on.
                conn.terminate()
                self._pool.release(conn)
                raise
        self._pool.release(conn)


async def _abandon(conn: asyncpg.Connection, timeout: float) -> None:
    """Roll the read-only transaction back (always: nothing a source statement did may
    persist); a connection left in an unknown state is terminated rather than returned to
    the pool."""
    if conn.is_closed():
        return
    try:
        async with asyncio.timeout(timeout):
            if conn.is_in_transaction():
                await conn.execute("ROLLBACK")
    except Exception:
        conn.terminate()
    except asyncio.CancelledError:
        conn.terminate()
        raise
