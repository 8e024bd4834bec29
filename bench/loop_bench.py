"""Does a pathological statement stall other sessions? Another session's ``SELECT 1`` latency
(p50/p99) through the PostgreSQL gateway, measured quiet and while a second client keeps sending
pathological statements (a 15,000-term OR, a 30,000-item IN list, 2,000 nested parentheses, a
900-term OR that plans for real), in one run.

Three gateways, each in its own process on a free loopback port over a small DuckDB file:
``quiet`` (no attacker), ``worker`` (today: long statements planned in a worker process) and
``inline`` (every statement planned on the event loop, as before — the baseline to beat).

Run:  .venv/bin/python bench/loop_bench.py [--seconds 10]
Prints figures and ratios; nothing here is a pass/fail test. Target: worker p99 within 2x quiet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import ssl
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import duckdb

ATTACKS = [
    "SELECT MEASURE(count) FROM orders WHERE " + " OR ".join(f"id = {i}" for i in range(15_000)),
    "SELECT MEASURE(count) FROM orders WHERE id IN (" + ", ".join(map(str, range(30_000))) + ")",
    "SELECT " + "(" * 2_000 + "1" + ")" * 2_000,
    "SELECT MEASURE(count) FROM orders WHERE " + " OR ".join(f"id = {i}" for i in range(900)),
]


def _serve(mode: str, tls_dir: str, data: str, conn: Connection) -> None:
    from gateway.planning import Planner, PlanSettings
    from gateway.session import SessionServices
    from tests.gateway_pg.conftest import started

    inline = 10**9 if mode == "inline" else PlanSettings().inline_bytes

    async def main() -> None:
        services = SessionServices(planner=Planner(PlanSettings(inline_bytes=inline)))
        async with started(Path(tls_dir), Path(data), services=services) as gw:
            await services.planner.start()
            conn.send((gw.port, gw.user, gw.password))
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)

    asyncio.run(main())


def _ssl() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def _measure(port: int, user: str, password: str, seconds: float,
                   attack: bool) -> tuple[list[float], int]:
    kw = {"host": "127.0.0.1", "port": port, "user": user, "password": password,
          "database": "db", "ssl": _ssl()}
    light = await asyncpg.connect(**kw)
    heavy = await asyncpg.connect(**kw) if attack else None
    stop = time.monotonic() + seconds
    sent = 0

    async def attacker() -> None:
        nonlocal sent
        assert heavy is not None
        while time.monotonic() < stop:
            for sql in ATTACKS:
                with contextlib.suppress(asyncpg.PostgresError):
                    await heavy.fetch(sql)
                sent += 1

    task = asyncio.ensure_future(attacker()) if attack else None
    latencies: list[float] = []
    while time.monotonic() < stop:
        t0 = time.perf_counter()
        await light.fetchval("SELECT 1")
        latencies.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(0.002)
    if task is not None:
        await task
    await light.close()
    if heavy is not None:
        await heavy.close()
    return latencies, sent


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from gateway.tls import ensure_self_signed

    work = Path(tempfile.mkdtemp(prefix="loop-bench-"))
    tls = work / "tls"
    ensure_self_signed(tls, ("127.0.0.1",))
    data = work / "shop.duckdb"
    with duckdb.connect(str(data)) as db:
        db.execute("CREATE TABLE orders AS SELECT i AS id, 'completed' AS status, "
                   "TIMESTAMP '2024-01-01' AS created_at, CAST(i AS DECIMAL(12,2)) AS amount "
                   "FROM range(1, 1001) t(i)")
        db.execute("CREATE TABLE secrets AS SELECT 1 AS id, 'x' AS code")
    ctx = mp.get_context("spawn")
    results: dict[str, tuple[list[float], int]] = {}
    for mode in ("quiet", "worker", "inline"):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(mode, str(tls), str(data), child))
        proc.start()
        port, user, password = parent.recv()
        results[mode] = asyncio.run(_measure(port, user, password, args.seconds,
                                             attack=mode != "quiet"))
        parent.send("stop")
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
    quiet = results["quiet"][0]
    q50, q99 = _pct(quiet, 0.5), _pct(quiet, 0.99)
    print(f"{'run':<8} {'SELECT 1 n':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'p50 x':>6} {'p99 x':>6} {'attacks':>8}")
    for mode, (lat, sent) in results.items():
        p50, p99 = _pct(lat, 0.5), _pct(lat, 0.99)
        print(f"{mode:<8} {len(lat):>10} {p50:>8.2f} {p99:>8.2f} {max(lat):>8.1f} "
              f"{p50 / q50:>6.2f} {p99 / q99:>6.2f} {sent:>8}")
    print(f"(mean quiet {statistics.mean(quiet):.2f} ms; attacks = pathological statements sent)")


if __name__ == "__main__":
    main()
