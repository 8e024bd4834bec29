"""PostgreSQL wire gateway benchmark: the same queries direct, through pgbouncer, and through us.

Run:  .venv/bin/python bench/pg_bench.py [--order-items 300000] [--stream-rows 1000000]
                                         [--iterations 2000] [--concurrency 200 --duration 60]

Needs the PostgreSQL at 127.0.0.1:5432 (user postgres, trust, database ``test``); pgbouncer
(Debian ``pgbouncer``) is used when installed. The gateway runs in its own process so that its
peak memory (VmHWM) is its own. For each query the gateway gets the semantic SQL and
PostgreSQL/pgbouncer get the SQL the engine compiled it to, so the difference is the gateway's
cost. Every figure is printed next to its baseline as a ratio; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import psycopg

PG = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres", "password": ""}
PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres"

MODEL = """
cubes:
  - name: order_items
    sql_table: {schema}.order_items
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: product_id, sql: product_id, type: number }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: quantity, sql: quantity, type: sum }}
      - {{ name: revenue, sql: "{{CUBE}}.quantity * {{CUBE}}.unit_price", type: sum }}
  - name: tiny
    sql: "SELECT 1 AS id"
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
    measures:
      - {{ name: count, type: count }}
  - name: big
    sql: "SELECT g AS id, g * 2 AS twice FROM generate_series(1, {rows}) g"
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: twice, sql: twice, type: number }}
"""

AGGREGATE = "select product_id, count, quantity, revenue from order_items group by 1"
TRIVIAL = "select count from tiny"
STREAM = "select id, twice from big"


# --- the gateway, in its own process --------------------------------------------------------------


def _serve(model: str, user: str, password: str, pipe: Connection) -> None:
    from backend.core.grants import CredentialGrant
    from backend.core.scram import make_verifier
    from backend.semantic.model import ALLOW_ALL
    from gateway.postgres.config import PgGatewayConfig
    from gateway.server import PgServer
    from gateway.session import SessionServices
    from gateway.tls import ensure_self_signed, server_context

    grant = CredentialGrant(
        credential_id="bench", username=user, verifier=make_verifier(password).encode(),
        team_id="t", member_id="m", user_email="bench@example.com", data_source_id="ds",
        data_source_type="POSTGRES", data_source_params=dict(PG), model_version_id="bench",
        model_files=(("bench.yml", model),), access=ALLOW_ALL, revision=1,
    )

    class Grants:
        def lookup(self, username: str) -> CredentialGrant | None:
            return grant if username == user else None

        async def sync(self) -> None:
            pass

    async def main() -> None:
        tls = Path(tempfile.mkdtemp(prefix="pgbench-tls-"))
        cert, key = ensure_self_signed(tls)
        config = PgGatewayConfig(port=0, ssl_context=server_context(cert, key),
                                 max_connections=1000, login_max_failures=10**9,
                                 login_max_failures_per_address=10**9)
        server = PgServer(config, Grants(), SessionServices())
        await server.start()
        pipe.send(server.port)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, pipe.recv)  # any message: stop
        await server.stop()

    asyncio.run(main())


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def current_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- pgbouncer ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_pgbouncer() -> tuple[subprocess.Popen[bytes], int, Path] | None:
    exe = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer"
                                        if Path("/usr/sbin/pgbouncer").exists() else None)
    if exe is None:
        return None
    port = free_port()
    d = Path(tempfile.mkdtemp(prefix="pgbench-bouncer-"))
    (d / "users.txt").write_text('"postgres" ""\n')
    (d / "pgbouncer.ini").write_text(
        f"[databases]\ntest = host=127.0.0.1 port=5432 dbname=test user=postgres\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n"
        f"unix_socket_dir =\nauth_type = trust\nauth_file = {d}/users.txt\n"
        f"pool_mode = transaction\nmax_client_conn = 1000\ndefault_pool_size = 20\n"
        f"logfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n"
    )
    os.chmod(d, 0o777)
    for f in d.iterdir():
        os.chmod(f, 0o666)
    cmd = [exe, str(d / "pgbouncer.ini")]
    if os.geteuid() == 0:
        cmd[1:1] = ["-u", "postgres"]  # pgbouncer refuses to run as root
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return proc, port, d
        except OSError:
            time.sleep(0.05)
    proc.kill()
    return None


# --- measurements ---------------------------------------------------------------------------------


def latencies(targets: dict[str, tuple[str, str]], n: int) -> dict[str, list[float]]:
    """name -> (dsn, sql); the targets take turns, so load changes on this shared machine
    hit them all alike."""
    # No server-side prepared statements: pgbouncer's transaction mode cannot keep them.
    conns = {name: psycopg.connect(dsn, autocommit=True, prepare_threshold=None)
             for name, (dsn, _) in targets.items()}
    out: dict[str, list[float]] = {name: [] for name in targets}
    try:
        for i in range(n + min(50, n)):
            for name, (_, sql) in targets.items():
                t = time.perf_counter()
                conns[name].execute(sql).fetchall()
                if i >= min(50, n):  # the first rounds warm up caches and pools
                    out[name].append(time.perf_counter() - t)
    finally:
        for conn in conns.values():
            conn.close()
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def stream(dsn: str, sql: str) -> tuple[int, float]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        t = time.perf_counter()
        n = 0
        for _ in conn.cursor().stream(sql):
            n += 1
        return n, time.perf_counter() - t


def logins(dsn: str, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        psycopg.connect(dsn).close()
    return n / (time.perf_counter() - t)


async def concurrent(kwargs: dict[str, Any], sql: str, clients: int, seconds: float
                     ) -> tuple[int, int]:
    done = errors = 0
    stop = time.monotonic() + seconds

    async def client() -> None:
        nonlocal done, errors
        try:
            conn = await asyncpg.connect(**kwargs)
        except Exception:
            errors += 1
            return
        try:
            while time.monotonic() < stop:
                try:
                    await conn.fetch(sql)
                    done += 1
                except Exception:
                    errors += 1
        finally:
            await conn.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return done, errors


def row(label: str, base: float, *others: tuple[str, float], unit: str = "ms") -> None:
    """One measurement; each ratio is value / direct (latency: lower is better, rates: higher)."""
    parts = [f"{label:<34} direct {base:10.3f} {unit}"]
    for name, value in others:
        ratio = value / base if base else 0
        parts.append(f"{name} {value:10.3f} {unit} ({ratio:.2f}x direct)")
    print("  ".join(parts), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--order-items", type=int, default=300_000)
    ap.add_argument("--stream-rows", type=int, default=1_000_000)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--logins", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0)
    args = ap.parse_args()

    from backend.connectors.demo import load_postgres

    schema = "pgbench_" + secrets.token_hex(4)
    print(f"loading {args.order_items} demo order items into test.{schema} ...", flush=True)
    asyncio.run(load_postgres("postgresql://postgres@127.0.0.1:5432/test", schema,
                              order_items=args.order_items))
    model = MODEL.format(schema=schema, rows=args.stream_rows)
    user, password = "bench_" + secrets.token_hex(3), secrets.token_urlsafe(16)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(model, user, password, child), daemon=True)
    proc.start()
    port = parent.recv()
    assert proc.pid is not None
    bouncer = start_pgbouncer()
    try:
        gw = f"host=127.0.0.1 port={port} dbname=db user={user} password={password}"
        gw_plain, gw_tls = gw + " sslmode=disable", gw + " sslmode=require"
        direct = PG_DSN + " sslmode=disable"
        pgb = (f"host=127.0.0.1 port={bouncer[1]} dbname=test user=postgres sslmode=disable"
               if bouncer else None)
        from backend.semantic.loader import parse_models
        from backend.semantic.model import ALLOW_ALL
        from gateway.engine import compile_query

        models, _ = parse_models({"bench.yml": model})

        def compiled(sql: str) -> str:
            return compile_query(sql, client_dialect="postgres", models=models,
                                 access=ALLOW_ALL, target_dialect="postgres").sql

        print(f"\ngateway pid {proc.pid}, rss after start {current_rss_mb(proc.pid):.1f} MB; "
              f"pgbouncer {'on port ' + str(bouncer[1]) if bouncer else 'not installed'}\n")
        runs = (("trivial measure query", TRIVIAL, args.iterations),
                ("aggregate over order items", AGGREGATE, max(50, args.iterations // 20)))
        for label, sql, n in runs:
            target = compiled(sql)
            targets = {"direct": (direct, target), "gateway": (gw_plain, sql)}
            if pgb:
                targets["pgbouncer"] = (pgb, target)
            got = latencies(targets, n)
            base, ours = got["direct"], got["gateway"]
            others_p50 = [("gateway", pct(ours, 0.5))]
            others_p99 = [("gateway", pct(ours, 0.99))]
            if pgb:
                others_p50.insert(0, ("pgbouncer", pct(got["pgbouncer"], 0.5)))
                others_p99.insert(0, ("pgbouncer", pct(got["pgbouncer"], 0.99)))
            row(f"{label} p50", pct(base, 0.5), *others_p50)
            row(f"{label} p99", pct(base, 0.99), *others_p99)
            if label.startswith("trivial"):
                print(f"{'  gateway fixed cost (p50 - direct)':<34} "
                      f"{pct(ours, 0.5) - pct(base, 0.5):.3f} ms", flush=True)

        stream(gw_plain, STREAM + " limit 100000")
        rss_small = peak_rss_mb(proc.pid)
        target = compiled(STREAM)
        streams = {"direct": (direct, target), "gateway": (gw_plain, STREAM)}
        if pgb:
            streams["pgbouncer"] = (pgb, target)
        best: dict[str, float] = {}
        for _ in range(2):  # alternate, keep each one's best: the machine is shared
            for name, (dsn, sql) in streams.items():
                count, seconds = stream(dsn, sql)
                assert count == args.stream_rows, (name, count)
                best[name] = max(best.get(name, 0.0), count / seconds)
        rss_big = peak_rss_mb(proc.pid)
        others = [("gateway", best["gateway"])]
        if pgb:
            others.insert(0, ("pgbouncer", best["pgbouncer"]))
        row(f"stream {args.stream_rows} rows, rows/s", best["direct"], *others, unit="r/s")
        print(f"{'  gateway peak RSS':<34} after 100k rows {rss_small:.1f} MB, "
              f"after {args.stream_rows} rows {rss_big:.1f} MB", flush=True)

        direct_logins = logins(direct, args.logins)
        ours_plain = logins(gw_plain, args.logins)
        ours_tls = logins(gw_tls, args.logins)
        others = [("gateway SCRAM", ours_plain), ("gateway SCRAM+TLS", ours_tls)]
        if pgb:
            others.insert(0, ("pgbouncer", logins(pgb, args.logins)))
        row("logins/s (direct = trust auth)", direct_logins, *others, unit="/s")

        kwargs = {"host": "127.0.0.1", "port": port, "user": user, "password": password,
                  "database": "db", "ssl": False}
        t = time.perf_counter()
        done, errors = asyncio.run(concurrent(kwargs, TRIVIAL, args.concurrency, args.duration))
        elapsed = time.perf_counter() - t
        print(f"{args.concurrency} concurrent clients for {args.duration:.0f} s: {done} queries "
              f"({done / elapsed:.0f}/s), {errors} errors; gateway peak RSS "
              f"{peak_rss_mb(proc.pid):.1f} MB", flush=True)
    finally:
        parent.send("stop")
        proc.join(timeout=15)
        if proc.is_alive():
            proc.kill()
        if bouncer:
            bouncer[0].terminate()
            bouncer[0].wait(timeout=10)
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()

