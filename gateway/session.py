"""A protocol-neutral SQL API session: who is connected, their settings, and running statements.

The wire protocols (``gateway.postgres``, ``gateway.mysql``) own framing, authentication
exchanges and encodings; this module owns what a statement *means*: transaction control and
settings (answered here), catalog queries (answered by ``gateway.catalog`` from the visible
models), and everything else compiled by the semantic engine and streamed from the data source.
No client SQL ever reaches a data source except what the engine produced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.connectors.base import Connector, QueryResult, ResultColumn
from backend.connectors.duckdb import data_exception
from backend.core.errors import (
    AppError,
    InvalidInput,
    NotSupported,
    QueryCanceled,
    ReadOnly,
    SqlError,
    UnknownColumn,
)
from backend.core.grants import CredentialGrant
from backend.core.settings import Settings as AppSettings
from backend.observability.metrics import StatementTimer
from backend.semantic.model import ModelSet
from gateway.catalog import rewrite as catalog_sql
from gateway.catalog.cache import CatalogCache
from gateway.catalog.database import CatalogDatabase, duckdb_type_name
from gateway.catalog.sandbox import CatalogLimits
from gateway.copy import CopyOptions, parse_copy
from gateway.engine import CompiledQuery
from gateway.engine.limits import InputLimits, check_length
from gateway.planning import DataPlan, Planner, PlanSettings, Scope
from gateway.source_types import SourceTypes

CATALOG_TIMEOUT_SECONDS = 10.0

log = logging.getLogger("gateway.session")
SERVER_VERSION = "15.4"
VERSION_STRING = (
    f"PostgreSQL {SERVER_VERSION} (metricsql SQL API) on x86_64-pc-linux-gnu, "
    "compiled by gcc, 64-bit"
)
DATABASE_NAME = "db"
Row = tuple[Any, ...]


def transaction_aborted() -> AppError:
    # errors.py has no class for 25P02 yet; the state is what clients (psycopg) act on.
    err = SqlError(
        "current transaction is aborted, commands ignored until end of transaction block"
    )
    err.sqlstate = "25P02"
    return err


# --- settings ------------------------------------------------------------------------------------

# name (lower case) -> (display name, default). Names reported to clients as they change are in
# REPORTED; PostgreSQL 15 sends exactly these in ParameterStatus.
DEFAULT_SETTINGS: dict[str, tuple[str, str]] = {
    "application_name": ("application_name", ""),
    "client_encoding": ("client_encoding", "UTF8"),
    "datestyle": ("DateStyle", "ISO, MDY"),
    "default_transaction_read_only": ("default_transaction_read_only", "off"),
    "in_hot_standby": ("in_hot_standby", "off"),
    "integer_datetimes": ("integer_datetimes", "on"),
    "intervalstyle": ("IntervalStyle", "postgres"),
    "is_superuser": ("is_superuser", "off"),
    "server_encoding": ("server_encoding", "UTF8"),
    "server_version": ("server_version", SERVER_VERSION),
    "session_authorization": ("session_authorization", ""),
    "standard_conforming_strings": ("standard_conforming_strings", "on"),
    "timezone": ("TimeZone", "UTC"),
    "server_version_num": ("server_version_num", "150004"),
    "search_path": ("search_path", '"$user", public'),
    "extra_float_digits": ("extra_float_digits", "1"),
    "transaction_isolation": ("transaction_isolation", "read committed"),
    "default_transaction_isolation": ("default_transaction_isolation", "read committed"),
    "transaction_read_only": ("transaction_read_only", "off"),
    "statement_timeout": ("statement_timeout", "0"),
    "lock_timeout": ("lock_timeout", "0"),
    "idle_in_transaction_session_timeout": ("idle_in_transaction_session_timeout", "0"),
    "client_min_messages": ("client_min_messages", "notice"),
    "bytea_output": ("bytea_output", "hex"),
    "max_identifier_length": ("max_identifier_length", "63"),
    "max_index_keys": ("max_index_keys", "32"),
    "lc_collate": ("lc_collate", "C.UTF-8"),
    "lc_ctype": ("lc_ctype", "C.UTF-8"),
    "lc_messages": ("lc_messages", "C.UTF-8"),
    "lc_monetary": ("lc_monetary", "C.UTF-8"),
    "lc_numeric": ("lc_numeric", "C.UTF-8"),
    "lc_time": ("lc_time", "C.UTF-8"),
    "row_security": ("row_security", "on"),
    "jit": ("jit", "off"),
    "work_mem": ("work_mem", "4MB"),
    "max_connections": ("max_connections", "500"),
    "block_size": ("block_size", "8192"),
    "geqo": ("geqo", "on"),
    "synchronous_commit": ("synchronous_commit", "on"),
    "escape_string_warning": ("escape_string_warning", "on"),
    "array_nulls": ("array_nulls", "on"),
    "backslash_quote": ("backslash_quote", "safe_encoding"),
    "default_table_access_method": ("default_table_access_method", "heap"),
    "default_tablespace": ("default_tablespace", ""),
    "password_encryption": ("password_encryption", "scram-sha-256"),
    "ssl": ("ssl", "on"),
    "wal_level": ("wal_level", "replica"),
    "enable_seqscan": ("enable_seqscan", "on"),
    "cursor_tuple_fraction": ("cursor_tuple_fraction", "0.1"),
}
REPORTED = frozenset({
    "application_name", "client_encoding", "datestyle", "default_transaction_read_only",
    "in_hot_standby", "integer_datetimes", "intervalstyle", "is_superuser", "server_encoding",
    "server_version", "session_authorization", "standard_conforming_strings", "timezone",
})
READ_ONLY_SETTINGS = frozenset({
    "server_version", "server_version_num", "server_encoding", "integer_datetimes",
    "is_superuser", "in_hot_standby", "max_identifier_length", "max_index_keys", "block_size",
    "lc_collate", "lc_ctype", "session_authorization", "max_connections",
})
SETTING_ALIASES = {"time zone": "timezone", "transaction isolation level": "transaction_isolation",
                   "session authorization": "session_authorization", "names": "client_encoding"}
UTF8_NAMES = frozenset({"utf8", "utf-8", "unicode"})


class SessionSettings:
    def __init__(self, user: str, startup: Mapping[str, str]):
        self.values = {k: v for k, (_, v) in DEFAULT_SETTINGS.items()}
        self.values["session_authorization"] = user
        self.defaults = dict(self.values)
        self.changed: list[str] = []  # reported names changed since the last drain
        for key, value in startup.items():
            k = key.lower()
            if k in ("user", "database", "options", "replication"):
                continue
            if k in self.values and k not in READ_ONLY_SETTINGS:
                self.set(k, value)
        self.defaults.update(self.values)  # startup values are what RESET returns to
        self.changed.clear()

    @staticmethod
    def display(name: str) -> str:
        return DEFAULT_SETTINGS.get(name, (name, ""))[0]

    def get(self, name: str) -> str:
        key = SETTING_ALIASES.get(name.lower(), name.lower())
        if key not in self.values:
            err = NotSupported(f'unrecognized configuration parameter "{name}"')
            err.sqlstate = "42704"
            raise err
        return self.values[key]

    def set(self, name: str, value: str | None) -> None:
        key = SETTING_ALIASES.get(name.lower(), name.lower())
        if key in READ_ONLY_SETTINGS:
            err = NotSupported(f'parameter "{key}" cannot be changed')
            err.sqlstate = "55P02"
            raise err
        if value is None:
            value = self.defaults.get(key, "")
        if key == "client_encoding":
            if value.strip("'\" ").lower() not in UTF8_NAMES:
                raise NotSupported("only the UTF8 client encoding is supported",
                                   hint="set client_encoding to UTF8")
            value = "UTF8"
        if key == "timezone" and value.lower() not in ("utc", "gmt", "etc/utc", "z", "0"):
            # Results carry timestamptz in UTC; another zone would be a silent lie.
            pass
        if self.values.get(key) != value:
            self.values[key] = value
            if key in REPORTED:
                self.changed.append(key)

    def reset_all(self) -> None:
        for key, value in self.defaults.items():
            if self.values.get(key) != value:
                self.values[key] = value
                if key in REPORTED:
                    self.changed.append(key)
        for key in [k for k in self.values if k not in self.defaults]:
            del self.values[key]

    def drain_changed(self) -> list[tuple[str, str]]:
        out = [(self.display(k), self.values[k]) for k in dict.fromkeys(self.changed)]
        self.changed.clear()
        return out


# --- statements ----------------------------------------------------------------------------------

_LEADING_NOISE = re.compile(r"^(\s+|--[^\n]*(\n|$)|/\*.*?\*/)*", re.S)


def split_statements(sql: str) -> list[str]:
    """Split a simple-query string on top-level semicolons (quotes, comments, $$ respected)."""
    out: list[str] = []
    start = i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c == "'" or c == '"':
            backslash = c == "'" and i > 0 and sql[i - 1] in "eE" and (
                i == 1 or not (sql[i - 2].isalnum() or sql[i - 2] == "_"))
            i += 1
            while i < n:
                if backslash and sql[i] == "\\":
                    i += 2
                    continue
                if sql[i] == c:
                    if i + 1 < n and sql[i + 1] == c:
                        i += 2
                        continue
                    break
                i += 1
        elif c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        elif c == "/" and sql.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if sql.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif sql.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        elif c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", sql[i:])
            if m and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                tag = m.group(0)
                j = sql.find(tag, i + len(tag))
                i = n if j < 0 else j + len(tag)
                continue
        elif c == ";":
            out.append(sql[start:i])
            start = i + 1
        i += 1
    out.append(sql[start:])
    return [s for s in out if strip_noise(s)]


def strip_noise(sql: str) -> str:
    return _LEADING_NOISE.sub("", sql, count=1).rstrip().rstrip(";").rstrip()


def first_words(sql: str, n: int = 3) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z_]+", strip_noise(sql)[:80])[:n]]


_WRITE_WORDS = frozenset({
    "insert", "update", "delete", "merge", "create", "drop", "alter", "truncate", "grant",
    "revoke", "copy", "vacuum", "analyze", "cluster", "reindex", "comment", "lock", "refresh",
    "import", "call", "do", "security", "reassign", "load",
})
_IGNORED = {
    "listen": "LISTEN", "unlisten": "UNLISTEN", "notify": "NOTIFY", "checkpoint": "CHECKPOINT",
}


# --- outcomes ------------------------------------------------------------------------------------


@dataclass
class StatementResult:
    """What a statement produced: a command tag and, for queries, columns and rows."""

    tag: str  # "SELECT" gets ' <count>' appended by the protocol once rows are sent
    columns: Sequence[ResultColumn] | None = None
    batches: AsyncIterator[Sequence[Row]] | None = None
    _closer: Callable[[], Awaitable[None]] | None = None
    # The data source's result, for a wire protocol that can send its rows on untouched
    # (gateway.postgres.forward).
    source: QueryResult | None = None
    copy: CopyOptions | None = None  # COPY ... TO STDOUT: the rows go out in COPY framing

    async def close(self) -> None:
        if self._closer is not None:
            closer, self._closer = self._closer, None
            await closer()


async def _batches_of(rows: Sequence[Row], size: int = 1000) -> AsyncIterator[Sequence[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def rows_result(columns: Sequence[ResultColumn], rows: Sequence[Row]) -> StatementResult:
    return StatementResult("SELECT", list(columns), _batches_of(rows))


# --- dependencies --------------------------------------------------------------------------------


ConnectorFactory = Callable[[str, Mapping[str, Any]], Connector]
ModelLoader = Callable[[Sequence[tuple[str, str]]], ModelSet]


def default_connector_factory(kind: str, params: Mapping[str, Any]) -> Connector:
    from backend.connectors import connector_for

    return connector_for(kind, dict(params))


def default_model_loader(files: Sequence[tuple[str, str]]) -> ModelSet:
    """Load and validate (fail closed: versions were validated on save, checked again here)."""
    from backend.semantic.validate import check_models

    models, problems = check_models(dict(files))
    if problems:
        raise InvalidInput(f"the credential's model version has {len(problems)} problem(s); "
                           f"first: {problems[0]}")
    return models


class ModelCache:
    """Loaded models per model version id: versions are immutable, so this never goes stale."""

    def __init__(self, loader: ModelLoader = default_model_loader, max_entries: int = 128):
        self.loader = loader
        self.max_entries = max_entries
        self._entries: OrderedDict[str, ModelSet] = OrderedDict()

    def get(self, grant: CredentialGrant) -> ModelSet:
        key = grant.model_version_id
        if key is None:
            return ModelSet({})
        models = self._entries.get(key)
        if models is None:
            models = self.loader(grant.model_files)
            self._entries[key] = models
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return models


class ConnectorCache:
    """One connector (and so one pool) per data source, shared by all sessions using it."""

    def __init__(self, factory: ConnectorFactory):
        self.factory = factory
        self._entries: dict[tuple[str, str, str], Connector] = {}

    def get(self, grant: CredentialGrant) -> Connector:
        # Changed connection parameters make a new key; the old pool is closed at stop().
        key = (grant.data_source_type, grant.data_source_id, grant.params_key)
        connector = self._entries.get(key)
        if connector is None:
            connector = self.factory(grant.data_source_type, grant.data_source_params)
            self._entries[key] = connector
        return connector

    async def close(self) -> None:
        entries = list(self._entries.values())
        self._entries.clear()
        for connector in entries:
            try:
                await connector.close()
            except Exception:
                log.exception("closing a data-source connector")


@dataclass
class SessionServices:
    """Shared by all sessions of a gateway process."""

    catalogs: CatalogCache = field(default_factory=lambda: catalog_cache())
    models: ModelCache = field(default_factory=ModelCache)
    planner: Planner = field(default_factory=Planner)
    connector_factory: ConnectorFactory = default_connector_factory
    batch_size: int = 5000
    source_types: SourceTypes = field(default_factory=SourceTypes)
    connectors: ConnectorCache = field(init=False)

    def __post_init__(self) -> None:
        self.connectors = ConnectorCache(self.connector_factory)

    def models_for(self, grant: CredentialGrant) -> ModelSet:
        """The grant's models, with the data source's own column types once described."""
        return self.source_types.typed(grant, self.models.get(grant))

    def describe_source(self, grant: CredentialGrant) -> asyncio.Task[None] | None:
        """Start describing the grant's data source (``gateway.source_types``) unless done;
        the running description, for a data statement to wait for."""
        target = DIALECT_BY_SOURCE.get(grant.data_source_type.upper())
        if target is None:
            return None
        return self.source_types.start(grant, self.models.get(grant), self.connectors.get(grant),
                                       target)

    async def close(self) -> None:
        self.source_types.close()
        await self.connectors.close()
        self.catalogs.close()
        self.planner.close()


DIALECT_BY_SOURCE = {"POSTGRES": "postgres", "MYSQL": "mysql", "SQLITE": "sqlite",
                     "DUCKDB": "duckdb"}


@dataclass(frozen=True)
class PreparedInfo:
    """What Describe needs before execution: parameter and result types."""

    param_types: list[str]
    columns: list[ResultColumn] | None  # None: the statement returns no rows


class Session:
    def __init__(
        self,
        grant: CredentialGrant,
        services: SessionServices,
        *,
        startup: Mapping[str, str] | None = None,
        backend_pid: int = 0,
    ):
        self.grant = grant
        self.services = services
        self.backend_pid = backend_pid
        self.settings = SessionSettings(grant.username, startup or {})
        self.tx_status = "I"  # I idle, T in transaction, E failed transaction
        self._running: QueryResult | None = None
        self._cancel_requested = False
        self.statement_kind = "session"  # engine | catalog | session, for the metrics

    # --- grant and models ---------------------------------------------------------------------

    @property
    def username(self) -> str:
        return self.grant.username

    def replace_grant(self, grant: CredentialGrant) -> None:
        """A change that keeps the session alive (a new model version): next statement sees it."""
        self.grant = grant

    def models(self) -> ModelSet:
        return self.services.models_for(self.grant)

    def model_key(self, models: ModelSet) -> str | None:
        """What caches key compiled plans and catalogs on: the model version, marked once the
        source's column types are in (they change the result types)."""
        version = self.grant.model_version_id
        return f"{version}+source" if models.source_types and version else version

    async def described(self) -> None:
        """Wait for the source's column types if they are being described (once per data
        source and model version; bounded by ``SourceTypes.timeout_seconds``)."""
        task = self.services.describe_source(self.grant)
        if task is not None:
            await asyncio.shield(task)

    def catalog(self) -> CatalogDatabase:
        models = self.models()
        return self.services.catalogs.get(
            self.grant.username, self.model_key(models), models, self.grant.access
        )

    def facts(self) -> catalog_sql.SessionFacts:
        return catalog_sql.SessionFacts(
            user=self.grant.username, database=DATABASE_NAME, version=VERSION_STRING,
            backend_pid=self.backend_pid, settings=self.settings.values,
        )

    # --- transactions -------------------------------------------------------------------------

    def statement_failed(self) -> None:
        if self.tx_status == "T":
            self.tx_status = "E"

    def _guard_aborted(self, words: list[str]) -> None:
        ends = (["commit"], ["end"], ["rollback"], ["abort"])
        if self.tx_status == "E" and words[:1] not in ends:
            raise transaction_aborted()

    def _transaction(self, words: list[str]) -> StatementResult | None:
        w = words[0] if words else ""
        if w in ("begin", "start"):
            if self.tx_status == "I":
                self.tx_status = "T"
            return StatementResult("BEGIN")
        if w in ("commit", "end"):
            tag = "ROLLBACK" if self.tx_status == "E" else "COMMIT"
            self.tx_status = "I"
            return StatementResult(tag)
        if w in ("rollback", "abort"):
            if "to" in words[1:]:
                if self.tx_status == "E":
                    self.tx_status = "T"
                return StatementResult("ROLLBACK")
            self.tx_status = "I"
            return StatementResult("ROLLBACK")
        if w == "savepoint":
            return StatementResult("SAVEPOINT")
        if w == "release":
            return StatementResult("RELEASE")
        if w == "prepare" and words[1:2] == ["transaction"]:
            raise NotSupported("two-phase commit is not supported")
        return None

    # --- settings statements ------------------------------------------------------------------

    def _set(self, text: str) -> StatementResult:
        body = re.sub(r"^\s*set\s+", "", strip_noise(text), flags=re.I)
        body = re.sub(r"^(session|local)\s+(?!characteristics|authorization)", "", body,
                      flags=re.I)
        low = body.lower()
        if low.startswith(("transaction", "session characteristics", "constraints")):
            return StatementResult("SET")
        m = re.match(r"(time\s+zone|names|session\s+authorization)\s+(.*)$", body, re.I | re.S)
        if m:
            name, raw = re.sub(r"\s+", " ", m.group(1)).lower(), m.group(2)
        else:
            m = re.match(r'("[^"]+"|[A-Za-z_][\w.]*)\s*(?:=|\bto\b)\s*(.*)$', body, re.I | re.S)
            if not m:
                raise catalog_syntax_error(text)
            name, raw = m.group(1).strip('"'), m.group(2)
        value = _setting_value(raw)
        if name.lower() == "session authorization":
            raise NotSupported("SET SESSION AUTHORIZATION is not supported")
        self.settings.set(name, value)
        return StatementResult("SET")

    def _show(self, text: str) -> StatementResult:
        name = re.sub(r"^\s*show\s+", "", strip_noise(text), flags=re.I).strip().strip('"')
        name = re.sub(r"\s+", " ", name)
        if name.lower() == "all":
            values = sorted(self.settings.values.items())
            rows = [(SessionSettings.display(k), v, "") for k, v in values]
            cols = [ResultColumn("name", "text"), ResultColumn("setting", "text"),
                    ResultColumn("description", "text")]
            return StatementResult("SHOW", cols, _batches_of(rows))
        key = SETTING_ALIASES.get(name.lower(), name.lower())
        value = self.settings.get(key)
        column = ResultColumn(SessionSettings.display(key), "text")
        return StatementResult("SHOW", [column], _batches_of([(value,)]))

    def _reset(self, words: list[str]) -> StatementResult:
        if words[:2] == ["reset", "all"]:
            self.settings.reset_all()
        elif len(words) > 1:
            self.settings.set(" ".join(words[1:]), None)
        return StatementResult("RESET")

    # --- running statements -------------------------------------------------------------------

    async def execute(
        self, sql: str, params: Sequence[Any] = (), param_types: Sequence[str] = ()
    ) -> StatementResult:
        """Run one statement; an ``AppError`` also marks the transaction failed."""
        with StatementTimer("postgres") as timer:  # counted and timed by kind (/metrics)
            self.statement_kind = "session"
            try:
                return await self._execute(sql, params, param_types)
            except AppError:
                self.statement_failed()
                raise
            finally:
                timer.kind = self.statement_kind

    async def _execute(
        self, sql: str, params: Sequence[Any], param_types: Sequence[str]
    ) -> StatementResult:
        check_length(sql, self.services.planner.limits)  # before any work on the text
        words = first_words(sql)
        if not words:
            return StatementResult("EMPTY")
        self._guard_aborted(words)
        tx = self._transaction(words)
        if tx is not None:
            return tx
        w = words[0]
        if w == "set":
            return self._set(sql)
        if w == "show":
            return self._show(sql)
        if w == "reset":
            return self._reset(words)
        if w == "discard":
            self.settings.reset_all()
            return StatementResult("DISCARD " + " ".join(words[1:2]).upper())
        if w == "deallocate":
            return StatementResult("DEALLOCATE ALL" if "all" in words else "DEALLOCATE")
        if w == "close":
            return StatementResult("CLOSE CURSOR ALL" if "all" in words else "CLOSE CURSOR")
        if w in _IGNORED:
            return StatementResult(_IGNORED[w])
        if w == "copy":
            return await self._copy(sql, params, param_types)
        if w in _WRITE_WORDS:
            raise ReadOnly("the SQL API is read-only", hint="only SELECT queries are allowed")
        if w in ("prepare", "execute", "declare", "fetch", "move"):
            raise NotSupported(f"{w.upper()} statements are not supported; use the extended "
                               "query protocol of your driver")
        if w == "explain":
            return await self._explain(sql)
        # Catalog and data statements alike: a client reads column types from the catalog and
        # decodes result rows (binary COPY) with them, so both must see the same types.
        await self.described()
        plan = await self.services.planner.plan(sql, params, self.scope())
        if isinstance(plan, DataPlan):
            self.statement_kind = "engine"
            return await self._data_query(plan.compiled, params)
        self.statement_kind = "catalog"
        return await self._catalog(plan.duck_sql)

    async def _copy(
        self, sql: str, params: Sequence[Any], param_types: Sequence[str]
    ) -> StatementResult:
        """``COPY (query) TO STDOUT``: the inner query runs as any query would (engine or
        catalog); only its framing changes. Everything else COPY does is refused."""
        request = parse_copy(sql)
        result = await self._execute(request.query, params, param_types)
        if result.columns is None or result.batches is None:
            await result.close()
            raise catalog_syntax_error(request.query)
        names = {c.name for c in result.columns}
        missing = [n for n in request.options.force_quote if n not in names]
        if missing:
            await result.close()
            raise UnknownColumn(f'column "{missing[0]}" does not exist')
        result.tag = "COPY"
        result.copy = request.options
        return result

    async def _catalog(self, duck_sql: str) -> StatementResult:
        log.debug("catalog query %s", duck_sql)
        catalog = self.catalog()
        # In a worker thread, bounded in time: a catalog query must neither stall the event
        # loop (every other connection of the process) nor burn CPU without end.
        work = asyncio.ensure_future(asyncio.to_thread(catalog.execute, duck_sql))
        try:
            result = await asyncio.wait_for(asyncio.shield(work), CATALOG_TIMEOUT_SECONDS)
        except (TimeoutError, asyncio.CancelledError) as exc:
            catalog.interrupt()
            with contextlib.suppress(Exception):
                await work
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise QueryCanceled(
                f"catalog query canceled after {CATALOG_TIMEOUT_SECONDS:g} seconds",
                hint="catalog tables are small; simplify the query",
            ) from None
        except AppError:
            raise
        except Exception as exc:  # a DuckDB error on a catalog query the emulation lacks
            data = data_exception(exc)  # SELECT 1/0: the query's own error, as PostgreSQL's
            if data is not None:
                raise data from None
            raise NotSupported(
                f"catalog query not supported: {str(exc).splitlines()[0]}",
                hint="the SQL API emulates the PostgreSQL catalog for common clients",
            ) from exc
        cols = [ResultColumn(name, duckdb_type_name(t)) for name, t in result.columns]
        return rows_result(cols, result.rows)

    def _catalog_columns(self, duck_sql: str) -> list[ResultColumn]:
        """Result columns of a catalog query, bound (not run) with NULL parameters."""
        try:
            described = self.catalog().execute(f"DESCRIBE {duck_sql}")
        except Exception as exc:
            raise NotSupported(
                f"catalog query not supported: {str(exc).splitlines()[0]}"
            ) from exc
        return [ResultColumn(str(r[0]), duckdb_type_name(str(r[1]))) for r in described.rows]

    def scope(self) -> Scope:
        """What this session's statements are planned against."""
        kind = self.grant.data_source_type.upper()
        target = DIALECT_BY_SOURCE.get(kind)
        if target is None:
            raise NotSupported(f"data sources of type {kind} are not supported")
        models = self.models()
        return Scope(models, self.grant.access, target, self.model_key(models), self.facts(),
                     owner=self.grant.credential_id)

    async def compile(self, sql: str) -> CompiledQuery:
        await self.described()
        return await self.services.planner.compile(sql, "postgres", self.scope())

    async def _explain(self, sql: str) -> StatementResult:
        inner = re.sub(r"^\s*explain\s+(\((?:[^()]|\([^()]*\))*\)\s*)?(analyze\s+)?(verbose\s+)?",
                       "", strip_noise(sql), flags=re.I)
        compiled = await self.compile(inner)
        rows = [(line,) for line in compiled.sql.splitlines()]
        return rows_result([ResultColumn("QUERY PLAN", "text")], rows)

    def connector(self) -> Connector:
        return self.services.connectors.get(self.grant)

    async def _data_query(self, compiled: CompiledQuery, params: Sequence[Any]) -> StatementResult:
        args = compiled.bind(list(params))
        self._cancel_requested = False
        result = await self.connector().execute(compiled.sql, args)
        self._running = result
        if self._cancel_requested:
            await result.cancel()
        columns = [
            ResultColumn(c.name, getattr(c, "type", "text"))
            for c in (compiled.columns or result.columns)
        ]
        if len(columns) != len(result.columns):
            columns = list(result.columns)

        async def batches() -> AsyncIterator[Sequence[Row]]:
            try:
                async for batch in result.rows(self.services.batch_size):
                    yield batch
            except AppError:
                if self._cancel_requested:
                    raise QueryCanceled("canceling statement due to user request") from None
                raise

        async def close() -> None:
            self._running = None
            await result.close()

        return StatementResult("SELECT", columns, batches(), close, source=result)

    async def prepare(self, sql: str, param_types: Sequence[str]) -> PreparedInfo:
        """Parameter and result types of a statement, without running it on a data source."""
        words = first_words(sql)
        if not words:
            return PreparedInfo(list(param_types), None)
        w = words[0]
        if w == "show":
            result = self._show(sql)
            return PreparedInfo([], list(result.columns or []))
        if w in ("select", "with", "values", "table", "("):
            await self.described()
            prepared = await self.services.planner.prepare(sql, param_types, self.scope())
            if prepared.compiled is not None:
                cols = [ResultColumn(c.name, getattr(c, "type", "text"))
                        for c in prepared.compiled.columns]
                return PreparedInfo(prepared.param_types, cols)
            assert prepared.describe_sql is not None
            return PreparedInfo(prepared.param_types, self._catalog_columns(prepared.describe_sql))
        if w == "explain":
            return PreparedInfo(list(param_types), [ResultColumn("QUERY PLAN", "text")])
        return PreparedInfo(list(param_types), None)

    async def cancel(self) -> None:
        """Stop the running data-source query (from another task: a CancelRequest)."""
        self._cancel_requested = True
        running = self._running
        if running is not None:
            await running.cancel()

    async def close(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            await running.close()


# --- helpers -------------------------------------------------------------------------------------


def catalog_syntax_error(text: str) -> AppError:
    from backend.core.errors import SqlSyntaxError

    return SqlSyntaxError(f"syntax error in {strip_noise(text)[:60]!r}")


def _setting_value(raw: str) -> str | None:
    raw = raw.strip()
    if raw.lower() in ("default", "local"):
        return None
    parts = []
    for m in re.finditer(r"'((?:[^']|'')*)'|\"([^\"]*)\"|([^,\s]+)", raw):
        if m.group(1) is not None:
            parts.append(m.group(1).replace("''", "'"))
        elif m.group(2) is not None:
            parts.append(m.group(2))
        else:
            parts.append(m.group(3))
    return ", ".join(parts)


def catalog_cache(limits: CatalogLimits | None = None) -> CatalogCache:
    """Both gateways' catalog sandboxes, each bounded by ``limits``."""
    return CatalogCache(settings={display: value for display, value in DEFAULT_SETTINGS.values()},
                        limits=limits)


def services_from_settings(settings: AppSettings) -> SessionServices:
    """Shared services for the wire gateways of one process: every connector is bound by the
    operator's source limits, network policy (checked at every connect) and file policy
    (a file source stays inside its team's folder under ``FILE_SOURCE_ROOTS``)."""
    from backend.connectors.factory import SourceEnvironment

    limits = CatalogLimits(memory_limit_mb=settings.catalog_memory_limit_mb,
                           threads=settings.catalog_threads,
                           timeout_seconds=CATALOG_TIMEOUT_SECONDS)
    planner = Planner(PlanSettings(
        inline_bytes=settings.compile_inline_bytes, timeout_s=settings.compile_timeout_seconds,
        workers=settings.compile_workers,
        queued_per_credential=settings.compile_queue_per_credential,
        limits=InputLimits(max_statement_bytes=settings.max_statement_bytes,
                           max_in_list_items=settings.max_in_list_items,
                           max_nesting_depth=settings.max_nesting_depth),
    ))
    return SessionServices(catalogs=catalog_cache(limits), planner=planner,
                           connector_factory=SourceEnvironment.from_settings(settings).factory())
