"""The process's Prometheus metrics: one registry per process, served at ``/metrics``.

Counters and histograms are module-level instruments because they are per process by nature
(as Prometheus scrapes them); the gateways' hot paths touch them through pre-bound children.
State that already lives in objects (open sessions, source pools, the change feed's cursor)
is read at scrape time by ``LiveState`` instead of being mirrored into gauges by hand, so it
can never drift from the truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)
for _collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    # The stock process collectors (RSS, CPU, open fds) in our registry too.
    REGISTRY.register(_collector)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                   10.0, 30.0, 60.0)

STATEMENTS = Counter(
    "metricsql_statements", "Statements run on the wire gateways, by protocol and kind "
    "(engine: compiled and pushed down; catalog: answered from the models; session: "
    "SET/SHOW/transaction control).", ["protocol", "kind"], registry=REGISTRY)
STATEMENT_SECONDS = Histogram(
    "metricsql_statement_duration_seconds", "Time from a statement's arrival until its result "
    "is ready to stream (compile plus the data source's first answer).",
    ["protocol", "kind"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
ERRORS = Counter(
    "metricsql_errors", "Errors sent to wire clients, by protocol and SQLSTATE.",
    ["protocol", "sqlstate"], registry=REGISTRY)
ROWS = Counter("metricsql_rows_streamed", "Result rows sent to wire clients.", ["protocol"],
               registry=REGISTRY)
FEED_EVENTS = Counter("metricsql_feed_events_applied", "Change-feed events applied.",
                      registry=REGISTRY)
FEED_LAG = Histogram(
    "metricsql_feed_lag_seconds", "Time from writing a change-feed event to applying it in "
    "this process.", buckets=LATENCY_BUCKETS, registry=REGISTRY)


def error_sqlstate(exc: BaseException) -> str:
    """The SQLSTATE a client is told; anything untyped is an internal error (XX000)."""
    sqlstate = getattr(exc, "sqlstate", None)
    return sqlstate if isinstance(sqlstate, str) and len(sqlstate) == 5 else "XX000"


def count_error(protocol: str, exc: BaseException) -> None:
    ERRORS.labels(protocol, error_sqlstate(exc)).inc()


def rows_counter(protocol: str) -> Any:
    """A pre-bound child for a hot loop: ``counter.inc(n)``."""
    return ROWS.labels(protocol)


class StatementTimer:
    """``with StatementTimer("mysql") as t: ...; t.kind = "engine"`` counts and times one
    statement, whether it succeeded or not (its error is counted where it is sent)."""

    __slots__ = ("kind", "protocol", "started")

    def __init__(self, protocol: str, kind: str = "session"):
        self.protocol = protocol
        self.kind = kind
        self.started = 0.0

    def __enter__(self) -> StatementTimer:
        self.started = time.perf_counter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        STATEMENTS.labels(self.protocol, self.kind).inc()
        STATEMENT_SECONDS.labels(self.protocol, self.kind).observe(
            time.perf_counter() - self.started)


def feed_applied(created: Iterable[datetime], *, now: datetime | None = None) -> None:
    """Record the events of one applied batch (their write times)."""
    now = now or datetime.now(UTC)
    count = 0
    for at in created:
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        FEED_LAG.observe(max((now - at).total_seconds(), 0.0))
        count += 1
    FEED_EVENTS.inc(count)


@dataclass(frozen=True)
class PoolUse:
    source: str  # the data source's type, never its connection details
    size: int
    idle: int


def pool_use(connector: object) -> PoolUse | None:
    """Size and idle connections of a connector's pool, for asyncpg and aiomysql pools.

    Read by duck typing so the connectors need no metrics code; a connector without a pool
    (SQLite, DuckDB: a worker thread per query) reports nothing.
    """
    pool = getattr(connector, "_pool", None)
    if pool is None:
        return None
    kind = type(connector).__name__.removesuffix("Connector").lower() or "source"
    if hasattr(pool, "get_size") and hasattr(pool, "get_idle_size"):  # asyncpg
        return PoolUse(kind, int(pool.get_size()), int(pool.get_idle_size()))
    if hasattr(pool, "size") and hasattr(pool, "freesize"):  # aiomysql
        return PoolUse(kind, int(pool.size), int(pool.freesize))
    return None


@dataclass(eq=False)
class LiveState(Collector):
    """Gauges read from live objects at scrape time; parts attach and detach as they start
    and stop (several servers may start and stop in one test process)."""

    sessions: dict[str, Callable[[], int]] = field(default_factory=dict)
    pools: list[Callable[[], Iterable[object]]] = field(default_factory=list)
    feeds: list[Any] = field(default_factory=list)  # FeedSubscriber-like objects

    def collect(self) -> Iterator[Metric]:
        sessions = GaugeMetricFamily("metricsql_sessions", "Open wire sessions (logged in).",
                                     labels=["protocol"])
        for protocol, count in sorted(self.sessions.items()):
            sessions.add_metric([protocol], count())
        yield sessions
        size = GaugeMetricFamily("metricsql_source_pool_connections",
                                 "Connections held by data-source pools.", labels=["source"])
        in_use = GaugeMetricFamily("metricsql_source_pool_in_use",
                                   "Data-source pool connections running a query.",
                                   labels=["source"])
        totals: dict[str, list[int]] = {}
        for connectors in self.pools:
            for connector in connectors():
                use = pool_use(connector)
                if use is not None:
                    t = totals.setdefault(use.source, [0, 0])
                    t[0] += use.size
                    t[1] += use.size - use.idle
        for source, (held, busy) in sorted(totals.items()):
            size.add_metric([source], held)
            in_use.add_metric([source], busy)
        yield size
        yield in_use
        if self.feeds:
            position = GaugeMetricFamily("metricsql_feed_last_event_id",
                                         "Highest change-feed event id applied.")
            age = GaugeMetricFamily("metricsql_feed_seconds_since_catch_up",
                                    "Seconds since the change feed last read the outbox "
                                    "successfully (grows while the metadata DB is away).")
            # One feed per process in practice; with several, report the furthest behind.
            now = datetime.now(UTC)
            position.add_metric([], min(feed.last_event_id for feed in self.feeds))
            ages = []
            for feed in self.feeds:
                last = feed.last_catch_up
                if last is not None:
                    ages.append((now - (last if last.tzinfo else last.replace(tzinfo=UTC)))
                                .total_seconds())
            if ages:
                age.add_metric([], max(ages))
            yield position
            yield age


LIVE = LiveState()
REGISTRY.register(LIVE)


def render() -> tuple[bytes, str]:
    """The exposition body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
