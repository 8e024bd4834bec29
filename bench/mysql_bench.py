"""MySQL wire gateway benchmark: the same questions asked of MariaDB directly and through us.

Run:  .venv/bin/python bench/mysql_bench.py [--order-items 300000] [--iterations 2000]
                                            [--stream-runs 3] [--logins 100] [--budget 20]
                                            [--quick] [--only stream,latency,...]

Needs the MariaDB at 127.0.0.1:3306 (root, no password). A uniquely named database gets the
demo data (``backend.connectors.demo.load_mysql``) and is dropped at the end, also on error.
Its tables are modelled with the scaffolder (``generate_models(..., dialect="mysql")``), and
a gateway on a free loopback port, with TLS and a credential whose data source is that
database, runs in its own process so that its peak memory (VmHWM) is its own. PyMySQL talks
to both: to the gateway over TLS (certificate not verified), to MariaDB in plain text (its
TLS is off here). The gateway gets semantic SQL over the cubes; MariaDB gets the hand-written
equivalent and, where they differ, the SQL the engine compiled, so the difference is the
gateway's own cost. Every figure is printed next to its baseline as a ratio; nothing here is
a pass/fail test. Loops stop at ``--iterations`` or after ``--budget`` seconds per side.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import ssl
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymysql
import pymysql.cursors

MARIADB: dict[str, Any] = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}

# Revenue-style aggregate by product category: order_items joined to products by the model.
AGGREGATE = ("SELECT products.category, MEASURE(order_items.count), "
             "MEASURE(order_items.quantity), MEASURE(order_items.discount) "
             "FROM order_items CROSS JOIN products GROUP BY 1")
AGGREGATE_DIRECT = ("SELECT p.category, COUNT(*), SUM(oi.quantity), SUM(oi.discount) "
                    "FROM order_items oi LEFT JOIN products p ON oi.product_id = p.id "
                    "GROUP BY p.category")
TRIVIAL = "SELECT MEASURE(count) FROM customers"
TRIVIAL_DIRECT = "SELECT COUNT(*) FROM customers"
# Every order item. The engine sends a SELECT without aggregates as raw rows; the SQL it
# sends is printed, and also timed directly ("direct compiled").
STREAM = ("SELECT id, order_id, product_id, quantity, unit_price, discount FROM order_items")
STREAM_DIRECT = STREAM


# --- the gateway, in its own process --------------------------------------------------------------


def _serve(files: dict[str, str], source: dict[str, Any], user: str, password: str,
           pipe: Connection, port: int = 0) -> None:
    from backend.core.grants import CredentialGrant
    from backend.core.ratelimit import FailureLimiter
    from backend.core.scram import make_verifier
    from backend.semantic.model import ALLOW_ALL
    from gateway.mysql.engine_session import EngineSessionFactory
    from gateway.mysql.server import start_mysql_server
    from gateway.session import SessionServices
    from gateway.tls import ensure_self_signed, server_context

    grant = CredentialGrant(
        credential_id="bench", username=user, verifier=make_verifier(password).encode(),
        team_id="t", member_id="m", user_email="bench@example.com", data_source_id="ds",
        data_source_type="MYSQL", data_source_params=source, model_version_id="bench",
        model_files=tuple(sorted(files.items())), access=ALLOW_ALL, revision=1,
    )

    class Grants:
        def lookup(self, username: str) -> CredentialGrant | None:
            return grant if username == user else None

        async def sync(self) -> None:
            pass

    def unlimited() -> FailureLimiter:
        return FailureLimiter(max_failures=10**9, window_seconds=1.0)

    async def main() -> None:
        with tempfile.TemporaryDirectory(prefix="mysqlbench-tls-") as tls:
            cert, key = ensure_self_signed(Path(tls))
            services = SessionServices()
            server = await start_mysql_server(
                "127.0.0.1", port, grants=Grants(),
                session_factory=EngineSessionFactory(services),
                ssl_context=server_context(cert, key), limiter=unlimited(),
                address_limiter=unlimited(), audit=lambda action, detail: None,
                max_connections=5000, reuse_port=port != 0,
            )
            pipe.send(server.port)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, pipe.recv)  # any message: stop
            await server.close()
            await services.close()

    from backend import eventloop

    eventloop.run(main(), os.environ.get("EVENT_LOOP", "uvloop"))  # as `serve` runs it


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM:")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process: its own work, whatever else loads the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def current_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS:")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the demo database and its models -------------------------------------------------------------


def admin(sql: str) -> None:
    """A statement on MariaDB as root (no TLS: it has none here, and PyMySQL would otherwise
    build a default TLS context, ~35 ms, for every connection)."""
    conn = pymysql.connect(**MARIADB, autocommit=True, ssl_disabled=True)
    with conn, conn.cursor() as cur:
        cur.execute(sql)


async def load_and_model(database: str, order_items: int) -> dict[str, str]:
    from backend.connectors import connector_for
    from backend.connectors.demo import load_mysql
    from backend.semantic.scaffold import generate_models

    await load_mysql(MARIADB["host"], MARIADB["port"], MARIADB["user"], MARIADB["password"],
                     database, order_items=order_items)
    connector = connector_for("MYSQL", {**MARIADB, "database": database})
    try:
        tables = await connector.list_tables()
    finally:
        await connector.close()
    return generate_models(tables, dialect="mysql")


# --- measurements ---------------------------------------------------------------------------------


def connect(kwargs: dict[str, Any], **extra: Any) -> pymysql.connections.Connection[Any]:
    return pymysql.connect(**kwargs, autocommit=True, **extra)


def fetch(kwargs: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with connect(kwargs) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]


def paired_latencies(direct: dict[str, Any], direct_sql: str, gateway: dict[str, Any],
                     sql: str, n: int, budget: float) -> tuple[list[float], list[float]]:
    """Per-query seconds, direct and gateway alternately on one connection each, so that
    load from elsewhere on the machine falls on both sides alike: up to n queries per side,
    at most ``budget`` seconds per side."""
    with connect(direct) as a, connect(gateway) as b, a.cursor() as ca, b.cursor() as cb:
        base: list[float] = []
        ours: list[float] = []
        sides = ((ca, direct_sql, base), (cb, sql, ours))
        for cur, text, _ in sides:
            for _ in range(min(20, n)):
                cur.execute(text)
                cur.fetchall()
        stop = time.monotonic() + 2 * budget
        while len(ours) < n and time.monotonic() < stop:
            for cur, text, out in sides:
                t = time.perf_counter()
                cur.execute(text)
                cur.fetchall()
                out.append(time.perf_counter() - t)
        return base, ours


def pct(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def stream(kwargs: dict[str, Any], sql: str) -> tuple[int, float]:
    """Rows and seconds reading a result row by row (unbuffered: nothing is held client-side)."""
    with connect(kwargs, cursorclass=pymysql.cursors.SSCursor) as conn, conn.cursor() as cur:
        t = time.perf_counter()
        cur.execute(sql)
        n = 0
        while batch := cur.fetchmany(1000):
            n += len(batch)
        return n, time.perf_counter() - t


def logins(kwargs: dict[str, Any], n: int, budget: float) -> float:
    done, t = 0, time.perf_counter()
    stop = time.monotonic() + budget
    while done < n and time.monotonic() < stop:
        connect(kwargs).close()
        done += 1
    return done / (time.perf_counter() - t)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gateways(files: dict[str, str], source: dict[str, Any], user: str, password: str,
                   count: int) -> tuple[int, list[Any], list[Connection]]:
    """``count`` gateway processes on one port (SO_REUSEPORT)."""
    port = free_port()
    ctx = mp.get_context("spawn")
    procs, pipes = [], []
    for _ in range(count):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(files, source, user, password, child, port),
                           daemon=True)
        proc.start()
        parent.recv()
        procs.append(proc)
        pipes.append(parent)
    return port, procs, pipes


def stop_gateways(procs: list[Any], pipes: list[Connection]) -> None:
    for pipe in pipes:
        pipe.send("stop")
    for proc in procs:
        proc.join(timeout=15)
        if proc.is_alive():
            proc.kill()


async def throughput(kwargs: dict[str, Any], sql: str, clients: int, seconds: float
                     ) -> tuple[float, int]:
    """Queries per second from ``clients`` connections, all logged in before the clock starts
    (logins are measured on their own); connections that fail to open count as errors."""
    import aiomysql

    opened = await asyncio.gather(
        *(aiomysql.connect(**kwargs, autocommit=True) for _ in range(clients)),
        return_exceptions=True)
    conns = [c for c in opened if not isinstance(c, BaseException)]
    failed = [c for c in opened if isinstance(c, BaseException)]
    if failed:
        print(f"  {len(failed)} connections failed: {failed[0]!r}", flush=True)
    done = errors = 0
    stop = time.monotonic() + seconds

    async def client(conn: Any) -> None:
        nonlocal done, errors
        async with conn.cursor() as cur:
            while time.monotonic() < stop:
                try:
                    await cur.execute(sql)
                    await cur.fetchall()
                    done += 1
                except Exception as exc:
                    errors += 1
                    if errors == 1:
                        print(f"  first error: {exc!r}", flush=True)

    await asyncio.gather(*(client(conn) for conn in conns))
    for conn in conns:
        conn.close()
    return done / seconds, errors + len(failed)


async def hold_idle(kwargs: dict[str, Any], n: int, pid: int) -> tuple[float, float, int]:
    import aiomysql

    before = current_rss_mb(pid)
    conns: list[Any] = []
    sem = asyncio.Semaphore(20)

    async def one() -> None:
        async with sem:
            conns.append(await aiomysql.connect(**kwargs))

    results = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
    await asyncio.sleep(1.0)
    held = current_rss_mb(pid)
    for conn in conns:
        conn.close()
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        print(f"  {len(failures)} idle connections failed: {failures[0]!r}", flush=True)
    return before, held, len(conns)


def row(label: str, base: float, *others: tuple[str, float], unit: str = "ms") -> None:
    """One measurement; each ratio is value / direct (latency: lower is better, rates: higher)."""
    parts = [f"{label:<36} direct {base:10.3f} {unit}"]
    for name, value in others:
        ratio = value / base if base else 0
        parts.append(f"{name} {value:10.3f} {unit} ({ratio:.2f}x direct)")
    print("  ".join(parts), flush=True)


def direct_async(direct: dict[str, Any]) -> dict[str, Any]:
    """aiomysql's arguments for MariaDB directly (no TLS, as for PyMySQL)."""
    out = {k: v for k, v in direct.items() if k not in ("ssl_disabled", "database")}
    return {**out, "db": direct["database"]}


def gateway_async(gateway: dict[str, Any]) -> dict[str, Any]:
    return {"host": gateway["host"], "port": gateway["port"], "user": gateway["user"],
            "password": gateway["password"], "db": gateway["database"], "ssl": gateway["ssl"]}


def normalised(rows: list[tuple[Any, ...]]) -> list[tuple[str, ...]]:
    """Rows compared as text, order-free: the gateway and MariaDB may type a sum differently."""
    return sorted(tuple("" if v is None else str(v) for v in r) for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--order-items", type=int, default=300_000)
    ap.add_argument("--iterations", type=int, default=2000,
                    help="trivial-query latency samples (the aggregate gets a twentieth)")
    ap.add_argument("--logins", type=int, default=100)
    ap.add_argument("--stream-runs", type=int, default=3,
                    help="full reads of order_items per side (alternated; median reported)")
    ap.add_argument("--budget", type=float, default=20.0,
                    help="seconds at most per latency or login loop, per side")
    ap.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    ap.add_argument("--idle", type=int, default=1000, help="idle sessions held")
    ap.add_argument("--only", default="latency,stream,logins,idle,throughput",
                    help="comma-separated parts to run (default: all)")
    ap.add_argument("--quick", action="store_true",
                    help="30k order items, 200 iterations, 20 logins, 5 s budgets")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if args.quick:
        args.order_items, args.iterations, args.logins, args.budget = 30_000, 200, 20, 5.0
        args.seconds, args.idle = 2.0, 200

    database = "mysqlbench_" + secrets.token_hex(4)
    user, password = "bench_" + secrets.token_hex(3), secrets.token_urlsafe(16)
    proc: Any = None
    parent: Connection | None = None
    admin(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    try:
        t = time.perf_counter()
        print(f"loading {args.order_items} demo order items into MariaDB database {database} ...",
              flush=True)
        files = asyncio.run(load_and_model(database, args.order_items))
        print(f"loaded in {time.perf_counter() - t:.1f} s; models: {', '.join(files)}",
              flush=True)

        source = {**MARIADB, "database": database, "ssl": "disable"}
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(files, source, user, password, child),
                           daemon=True)
        proc.start()
        port = parent.recv()
        pid = proc.pid
        assert pid is not None

        client_tls = ssl.create_default_context()
        client_tls.check_hostname = False
        client_tls.verify_mode = ssl.CERT_NONE
        gateway = {"host": "127.0.0.1", "port": port, "user": user, "password": password,
                   "database": "db", "ssl": client_tls}
        direct = {**MARIADB, "database": database, "ssl_disabled": True}  # see admin()

        from backend.semantic.loader import parse_models
        from backend.semantic.model import ALLOW_ALL
        from gateway.engine import compile_query

        models, _ = parse_models(files)

        def compiled(sql: str) -> str:
            return compile_query(sql, client_dialect="mysql", models=models,
                                 access=ALLOW_ALL, target_dialect="mysql").sql

        print(f"\ngateway pid {pid} on 127.0.0.1:{port} (TLS), rss after start "
              f"{current_rss_mb(pid):.1f} MB; MariaDB direct without TLS\n", flush=True)

        ours_rows, direct_rows = fetch(gateway, AGGREGATE), fetch(direct, AGGREGATE_DIRECT)
        assert normalised(ours_rows) == normalised(direct_rows), (ours_rows, direct_rows)
        assert fetch(gateway, TRIVIAL) == fetch(direct, TRIVIAL_DIRECT)

        rss_latency = float("nan")
        if "latency" in only:
            runs = (("trivial measure query", TRIVIAL, TRIVIAL_DIRECT, args.iterations),
                    ("aggregate by category", AGGREGATE, AGGREGATE_DIRECT,
                     max(20, args.iterations // 20)))
            for label, sql, direct_sql, n in runs:
                cpu = cpu_seconds(pid)
                base, ours = paired_latencies(direct, direct_sql, gateway, sql, n, args.budget)
                cpu = cpu_seconds(pid) - cpu
                row(f"{label} p50", pct(base, 0.5), ("gateway", pct(ours, 0.5)))
                row(f"{label} p99", pct(base, 0.99), ("gateway", pct(ours, 0.99)))
                print(f"{'  samples':<36} direct {len(base)}, gateway {len(ours)}", flush=True)
                if label.startswith("trivial"):
                    print(f"{'  gateway fixed cost (p50 - direct)':<36} "
                          f"{pct(ours, 0.5) - pct(base, 0.5):.3f} ms; gateway CPU "
                          f"{cpu / (len(ours) + 20) * 1000:.3f} ms per query", flush=True)
            rss_latency = peak_rss_mb(pid)

        if "stream" in only:
            print(f"\naggregate: engine sends MariaDB  {compiled(AGGREGATE)}", flush=True)
            stream_compiled = compiled(STREAM)
            print(f"stream: engine sends MariaDB  {stream_compiled}\n", flush=True)
            stream(gateway, STREAM + " LIMIT 10000")
            rss_small = peak_rss_mb(pid)
            # Alternated runs, median of each: one run is at the mercy of whatever else runs here.
            sides = {"direct": (direct, STREAM_DIRECT), "compiled": (direct, stream_compiled),
                     "gateway": (gateway, STREAM)}
            rates: dict[str, list[float]] = {name: [] for name in sides}
            gateway_cpu = 0.0
            for _ in range(args.stream_runs):
                for name, (kwargs, sql) in sides.items():
                    cpu = cpu_seconds(pid)
                    n, seconds = stream(kwargs, sql)
                    assert n == args.order_items, (name, n)
                    rates[name].append(n / seconds)
                    if name == "gateway":
                        gateway_cpu += cpu_seconds(pid) - cpu
            rss_big = peak_rss_mb(pid)
            direct_rate, compiled_rate, ours_rate = (statistics.median(rates[name])
                                                     for name in sides)
            row(f"stream {args.order_items} rows, rows/s", direct_rate,
                ("direct compiled SQL", compiled_rate), ("gateway", ours_rate), unit="r/s")
            print(f"{'  gateway / direct compiled SQL':<36} {ours_rate / compiled_rate:.2f}x "
                  f"(its own cost: forwarding, TLS; median of {args.stream_runs} runs each)",
                  flush=True)
            print(f"{'  gateway CPU per streamed row':<36} "
                  f"{gateway_cpu / (args.stream_runs * args.order_items) * 1e6:.2f} us", flush=True)
            print(f"{'  gateway peak RSS (VmHWM)':<36} after latency runs {rss_latency:.1f} MB, "
                  f"after 10k streamed rows {rss_small:.1f} MB, after {args.stream_runs} x "
                  f"{args.order_items} rows {rss_big:.1f} MB", flush=True)

        if "logins" in only:
            direct_logins = logins(direct, args.logins, args.budget)
            ours_logins = logins(gateway, args.logins, args.budget)
            row("logins/s (direct: no password)", direct_logins,
                ("gateway TLS + caching_sha2", ours_logins), unit="/s")
            print(f"{'  gateway peak RSS at the end':<36} {peak_rss_mb(pid):.1f} MB", flush=True)

        if "idle" in only:
            idle_kwargs = gateway_async(gateway)
            rss_before, held, opened = asyncio.run(hold_idle(idle_kwargs, args.idle, pid))
            print(f"\nidle sessions: {opened} held; gateway RSS {rss_before:.1f} MB -> "
                  f"{held:.1f} MB = {(held - rss_before) * 1024 / max(1, opened):.1f} KB per "
                  "connection", flush=True)

        if "throughput" in only:
            port2, procs2, pipes2 = start_gateways(files, source, user, password, 2)
            try:
                sides_tp = {"direct": (direct_async(direct), TRIVIAL_DIRECT),
                            "gateway x1": ({**gateway_async(gateway)}, TRIVIAL),
                            "gateway x2": ({**gateway_async(gateway), "port": port2}, TRIVIAL)}
                print(f"\ntrivial-query throughput, {args.seconds:g} s per run (aiomysql clients "
                      "in one process)", flush=True)
                for clients in (1, 10, 100):
                    tp: dict[str, float] = {}
                    for name, (kwargs, sql) in sides_tp.items():
                        tp[name], errors = asyncio.run(throughput(kwargs, sql, clients,
                                                                  args.seconds))
                        if errors:
                            print(f"  {name}: {errors} errors", flush=True)
                    row(f"{clients:>3} clients, queries/s", tp["direct"],
                        *[(k, v) for k, v in tp.items() if k != "direct"], unit="q/s")
            finally:
                stop_gateways(procs2, pipes2)
    finally:
        if parent is not None:
            parent.send("stop")
        if proc is not None:
            proc.join(timeout=15)
            if proc.is_alive():
                proc.kill()
        admin(f"DROP DATABASE IF EXISTS `{database}`")


if __name__ == "__main__":
    main()
