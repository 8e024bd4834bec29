"""From statement text to a plan: data (compiled by the semantic engine) or catalog (rewritten
for the catalog sandbox) — without ever stalling the event loop.

Parsing is pure Python CPU and grows with the text (a 15,000-term OR or a 200,000-item IN list
took from seconds to half a minute). So the :class:`Planner` answers a statement it has seen
from its caches, plans a short one (``COMPILE_INLINE_BYTES``) inline — unless its credential's
inline planning overran ``inline_budget_s`` lately: short text is usually, not always, cheap —
and sends anything longer to a worker process (``backend.core.workers``) that is killed
when it outlives ``COMPILE_TIMEOUT_SECONDS``: other sessions keep the loop, and the statement
fails with 54001. Input bounds (length, IN-list items, nesting) come first, in the engine.

Everything here below the Planner is pure and picklable, so it runs the same in a worker.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlglot import exp

from backend.core.errors import NotSupported, StatementTooComplex
from backend.core.workers import WorkerPool
from backend.semantic.model import AccessPolicy, ModelSet
from gateway.catalog import rewrite as catalog_sql
from gateway.catalog.database import duckdb_type_name
from gateway.catalog.tables import PG_CATALOG
from gateway.catalog.visible import visible_tables
from gateway.engine import CompiledQuery, PlanCache, compile_query
from gateway.engine.limits import DEFAULT_LIMITS, InputLimits, check_length, too_deep
from gateway.engine.parse import check_bounds
from gateway.engine.types import TARGET_DIALECTS, ClientDialect
from gateway.fair_queue import FairQueue

T = TypeVar("T")


@dataclass(frozen=True)
class PlanSettings:
    inline_bytes: int = 1024
    timeout_s: float = 5.0
    workers: int = 1
    limits: InputLimits = DEFAULT_LIMITS
    queued_per_credential: int = 8  # long statements of one credential waiting for a worker
    # Short text is not always cheap to plan: a 400-byte statement joining one CTE sixty
    # times took 150-400 ms of the event loop. A credential whose inline planning took more
    # CPU than this has its statements planned in the workers (through the fair queue) for
    # ``demoted_s`` seconds.
    inline_budget_s: float = 0.05
    demoted_s: float = 60.0


@dataclass(frozen=True)
class Scope:
    """What a statement is planned against: one credential's models and access, its source."""

    models: ModelSet
    access: AccessPolicy
    target: str
    model_version: str | None
    facts: catalog_sql.SessionFacts | None = None
    # the credential whose turn at the workers the statement waits for (fair_queue.py)
    owner: str = ""


@dataclass(frozen=True)
class DataPlan:
    compiled: CompiledQuery


@dataclass(frozen=True)
class CatalogPlan:
    duck_sql: str  # for the catalog sandbox, parameters inlined as literals


@dataclass(frozen=True)
class PreparedPlan:
    """Describe before execution: parameter types and, for catalog statements, the sandbox SQL
    to DESCRIBE (NULL parameters); for data statements the compiled query."""

    param_types: list[str]
    compiled: CompiledQuery | None = None
    describe_sql: str | None = None


# --- the pure front half (inline or in a worker) --------------------------------------------


def compile_in(sql: str, client: str, scope: Scope, limits: InputLimits) -> CompiledQuery:
    if scope.target not in TARGET_DIALECTS:
        raise NotSupported(f"data sources of dialect {scope.target} are not supported")
    return compile_query(sql, client_dialect=cast(ClientDialect, client), models=scope.models,
                         access=scope.access, target_dialect=scope.target,
                         limits=limits)


def is_data_text(sql: str, limits: InputLimits) -> bool:
    check_bounds(sql, "postgres", limits)
    try:
        return not catalog_sql.is_catalog_query(catalog_sql.parse(sql))
    except RecursionError:
        raise too_deep(limits.max_nesting_depth) from None


def plan_execute(sql: str, params: Sequence[Any], scope: Scope, limits: InputLimits,
                 data: bool | None) -> DataPlan | CatalogPlan:
    """The plan of one statement (``data``: its kind, when already known)."""
    if data is None:
        data = is_data_text(sql, limits)
    if data:
        return DataPlan(compile_in(sql, "postgres", scope, limits))
    assert scope.facts is not None
    try:
        tree = catalog_sql.parse(sql)
    except RecursionError:
        raise too_deep(limits.max_nesting_depth) from None
    if params:
        tree = inline_parameters(tree, params)
    return CatalogPlan(catalog_sql.rewrite(tree, scope.facts))


def plan_prepare(sql: str, declared: Sequence[str], scope: Scope,
                 limits: InputLimits) -> PreparedPlan:
    check_bounds(sql, "postgres", limits)
    try:
        return _plan_prepare(sql, declared, scope, limits)
    except RecursionError:
        raise too_deep(limits.max_nesting_depth) from None


def _plan_prepare(sql: str, declared: Sequence[str], scope: Scope,
                  limits: InputLimits) -> PreparedPlan:
    tree = catalog_sql.parse(sql)
    if catalog_sql.is_catalog_query(tree):
        assert scope.facts is not None
        count = max_parameter(tree)
        types = infer_parameter_types(tree, count, declared, catalog_columns())
        described = inline_parameters(tree, [None] * count) if count else tree
        return PreparedPlan(types, describe_sql=catalog_sql.rewrite(described, scope.facts))
    compiled = compile_in(sql, "postgres", scope, limits)
    # The engine's inference first; where it knows nothing ("text"), ours from the compared
    # column's type.
    ours = infer_parameter_types(tree, compiled.param_count, declared,
                                 visible_column_types(scope.models, scope.access))
    engine_types = list(compiled.param_types)
    types = [
        # a declared type wins; "" is a type the client left unspecified (OID 0)
        ours[i] if (i < len(declared) and declared[i]) or engine_types[i] == "text"
        else engine_types[i]
        for i in range(compiled.param_count)
    ]
    return PreparedPlan(types, compiled=compiled)


def max_parameter(tree: exp.Expr) -> int:
    highest = 0
    for node in tree.find_all(exp.Parameter, exp.Placeholder):
        text = node.name
        if text.isdigit():
            highest = max(highest, int(text))
    return highest


def _param_literal(value: Any) -> exp.Expr:
    import datetime as dt
    from decimal import Decimal

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | Decimal) or (isinstance(value, float) and value == value
                                               and abs(value) != float("inf")):
        return exp.Literal.number(str(value))
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "timestamp")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date")
    if isinstance(value, bytes):
        return exp.Literal.string(value.decode("utf-8", "replace"))
    if isinstance(value, list | tuple):  # an array parameter (asyncpg's $1::oid[])
        return exp.Array(expressions=[_param_literal(v) for v in value])
    return exp.Literal.string(str(value))


def inline_parameters(tree: exp.Expr, params: Sequence[Any]) -> exp.Expr:
    """Catalog queries only: $n replaced by literals in the syntax tree (no text splicing)."""
    tree = tree.copy()
    for node in list(tree.find_all(exp.Parameter, exp.Placeholder)):
        text = node.name
        if text.isdigit() and 1 <= int(text) <= len(params):
            node.replace(_param_literal(params[int(text) - 1]))
    return tree


_CATALOG_COLUMN_TYPES: dict[str, str] | None = None


def catalog_columns() -> dict[str, str]:
    """Column name -> neutral type over all emulated catalog relations (for $n inference)."""
    global _CATALOG_COLUMN_TYPES
    if _CATALOG_COLUMN_TYPES is None:
        types: dict[str, str] = {}
        for cols in PG_CATALOG.values():
            for spec in cols.split(","):
                parts = spec.split()
                if len(parts) >= 2:
                    types.setdefault(parts[0].lower(), duckdb_type_name(parts[1]))
        _CATALOG_COLUMN_TYPES = types
    return _CATALOG_COLUMN_TYPES


def infer_parameter_types(
    tree: exp.Expr, count: int, declared: Sequence[str], columns: Mapping[str, str]
) -> list[str]:
    """Types for $1..$n the client left unspecified, from what each is compared with."""
    types = list(declared) + [""] * (count - len(declared))
    for node in tree.find_all(exp.Parameter, exp.Placeholder):
        if not node.name.isdigit():
            continue
        i = int(node.name) - 1
        if i >= count or types[i]:
            continue
        parent = node.parent
        guess = "text"
        if isinstance(parent, exp.Cast):
            guess = parent.to.sql(dialect="postgres").lower()
        elif isinstance(parent, exp.Limit | exp.Offset | exp.Fetch):
            guess = "int8"
        elif isinstance(parent, exp.Binary):
            other = parent.left if parent.right is node else parent.right
            if isinstance(other, exp.Column):
                guess = columns.get(other.name.lower(), "text")
        elif (isinstance(parent, exp.In | exp.Between) and parent.this is not node
              and isinstance(parent.this, exp.Column)):
            # x IN ($1, $2), x BETWEEN $1 AND $2: the type of x
            guess = columns.get(parent.this.name.lower(), "text")
        types[i] = guess
    return [t or "text" for t in types]


def visible_column_types(models: ModelSet, access: AccessPolicy) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in visible_tables(models, access):
        for c in t.columns:
            out.setdefault(c.name.lower(), c.pg_type)
    return out


# --- the Planner: caches, inline or worker ----------------------------------------------------


class Planner:
    """Shared by the sessions of a gateway process (both protocols)."""

    def __init__(self, settings: PlanSettings | None = None, cache_size: int = 4096):
        self.settings = settings or PlanSettings()
        self.cache = PlanCache(cache_size)
        self.pool = WorkerPool(name="metricsql-planner", workers=self.settings.workers,
                               preload=["gateway.planning"])
        # At most one statement per worker is handed to the pool; waiting ones take turns by
        # credential, so one credential cannot hold the workers against the others.
        self.queue = FairQueue(self.pool.workers, self.settings.queued_per_credential)
        self._kinds: OrderedDict[str, bool] = OrderedDict()
        self._prepared: OrderedDict[tuple[Any, ...], PreparedPlan] = OrderedDict()
        self._demoted: OrderedDict[str, float] = OrderedDict()  # owner -> until (monotonic)
        self.offloaded = 0  # statements handed to the workers (tests, metrics)

    @property
    def limits(self) -> InputLimits:
        return self.settings.limits

    def _inline(self, sql: str, owner: str) -> bool:
        if len(sql) > self.settings.inline_bytes:
            return False
        until = self._demoted.get(owner)
        if until is None:
            return True
        if until > time.monotonic():
            return False
        del self._demoted[owner]
        return True

    def _run_inline(self, owner: str, fn: Callable[..., T], *args: Any) -> T:
        """Plan on the event loop; a credential whose planning took more of this thread's CPU
        than the budget plans in the workers for a while (thread CPU: not the machine's load)."""
        start = time.thread_time()
        try:
            return fn(*args)
        finally:
            if time.thread_time() - start > self.settings.inline_budget_s:
                self._demoted[owner] = time.monotonic() + self.settings.demoted_s
                self._demoted.move_to_end(owner)
                if len(self._demoted) > 4096:
                    self._demoted.popitem(last=False)

    def _remember_kind(self, sql: str, data: bool) -> None:
        self._kinds[sql] = data
        if len(self._kinds) > 4096:
            self._kinds.popitem(last=False)

    async def _offload(self, owner: str, fn: Any, *args: Any) -> Any:
        check_length(args[0], self.limits)  # refused before a byte is sent anywhere
        try:
            # The time limit counts from the turn: a worker is free then (waiting for one's
            # turn is bounded by one turn of every other waiting credential).
            async with self.queue.turn(owner):
                self.offloaded += 1
                return await self.pool.run(self.settings.timeout_s, fn, *args)
        except TimeoutError:
            raise StatementTooComplex(
                f"planning the statement took longer than {self.settings.timeout_s:g} s and "
                "was stopped (COMPILE_TIMEOUT_SECONDS)",
                hint="send a smaller statement: fewer IN items, shorter OR chains",
            ) from None

    def _cached(self, sql: str, client: str, scope: Scope) -> CompiledQuery | None:
        return self.cache.get(sql, client_dialect=client, models=scope.models,  # type: ignore[arg-type]
                              access=scope.access, target_dialect=scope.target,  # type: ignore[arg-type]
                              model_version=scope.model_version)

    def _store(self, sql: str, client: str, scope: Scope, compiled: CompiledQuery) -> None:
        self.cache.put(sql, compiled, client_dialect=client, models=scope.models,  # type: ignore[arg-type]
                       access=scope.access, target_dialect=scope.target,  # type: ignore[arg-type]
                       model_version=scope.model_version)

    async def compile(self, sql: str, client: str, scope: Scope) -> CompiledQuery:
        """The engine's compilation of a statement known to be a data query."""
        cached = self._cached(sql, client, scope)
        if cached is not None:
            return cached
        if self._inline(sql, scope.owner):
            compiled = self._run_inline(scope.owner, compile_in, sql, client, scope, self.limits)
        else:
            compiled = await self._offload(scope.owner, compile_in, sql, client, scope,
                                           self.limits)
        self._store(sql, client, scope, compiled)
        return compiled

    async def plan(self, sql: str, params: Sequence[Any], scope: Scope) -> DataPlan | CatalogPlan:
        """A PostgreSQL-wire statement's plan: compiled data query or catalog rewrite."""
        data = self._kinds.get(sql)
        if data:
            cached = self._cached(sql, "postgres", scope)
            if cached is not None:
                return DataPlan(cached)
        if self._inline(sql, scope.owner):
            if data is None:
                data = self._run_inline(scope.owner, is_data_text, sql, self.limits)
                self._remember_kind(sql, data)
            if data:
                return DataPlan(await self.compile(sql, "postgres", scope))
            return self._run_inline(scope.owner, plan_execute, sql, params, scope, self.limits,
                                    data)
        plan: DataPlan | CatalogPlan = await self._offload(
            scope.owner, plan_execute, sql, tuple(params), scope, self.limits, data)
        self._remember_kind(sql, isinstance(plan, DataPlan))
        if isinstance(plan, DataPlan):
            self._store(sql, "postgres", scope, plan.compiled)
        return plan

    async def prepare(self, sql: str, declared: Sequence[str], scope: Scope) -> PreparedPlan:
        # Untyped parameters are typed at every Bind of an unnamed statement (psycopg sends
        # str values untyped), so data statements' answers are kept, like compiled plans.
        key = (sql, tuple(declared), scope.model_version, scope.access, scope.target)
        known = self._prepared.get(key) if scope.model_version is not None else None
        if known is not None:
            self._prepared.move_to_end(key)
            return known
        if self._inline(sql, scope.owner):
            prepared = self._run_inline(scope.owner, plan_prepare, sql, declared, scope,
                                        self.limits)
        else:
            prepared = await self._offload(scope.owner, plan_prepare, sql, list(declared), scope,
                                           self.limits)
            if prepared.compiled is not None:
                self._remember_kind(sql, True)
                self._store(sql, "postgres", scope, prepared.compiled)
        if prepared.compiled is not None and scope.model_version is not None:
            self._prepared[key] = prepared
            if len(self._prepared) > 4096:
                self._prepared.popitem(last=False)
        return prepared

    async def start(self) -> None:
        await self.pool.start()

    def close(self) -> None:
        self.pool.close()
