"""PostgreSQL wire gateway benchmark (issue #15): the same questions asked of PostgreSQL
directly, through pgbouncer, and through the gateway, in one run.

Run:  .venv/bin/python bench/pg_bench.py [--rows 1000000] [--iterations 2000]
                                         [--seconds 5] [--idle 1000] [--logins 200] [--quick]

Needs the PostgreSQL at 127.0.0.1:5432 (user postgres, trust, database ``test``). pgbouncer
(``apt-get install pgbouncer``) is started on a free loopback port with a generated config
(transaction pooling, trust) when installed; without it its column stays empty. A uniquely
named schema gets a ``facts`` table of ``--rows`` rows (bigint id, varchar name, numeric
amount, timestamp ts), dropped at the end. The gateway runs in processes of its own (one, and
for the throughput figures also two on the same port with SO_REUSEPORT), TLS required as in
production, with a credential whose data source is that PostgreSQL; clients reach it with
``sslmode=require``, PostgreSQL and pgbouncer in plain text (local TLS is off).

Figures, each next to its baseline as a ratio (nothing here is pass/fail):
* point query ``WHERE id = <n>``: added latency p50/p99 (psycopg, one connection per side,
  the sides taking turns so that load from elsewhere falls on all alike);
* aggregate over the whole table (``GROUP BY name``): time ratio;
* streaming every row in text and in binary result format (libpq reads the whole result in C,
  so the client costs as little as it can), with the gateway's peak memory (VmHWM) after a
  small and after the full reads. The baseline is the raw ``SELECT id, name, amount, ts``. The
  engine currently groups a SELECT without aggregates by every dimension (the lead is changing
  that so such a SELECT returns raw rows); the bench prints the SQL the engine sends and, while
  it still has a GROUP BY, also times that SQL directly ("direct compiled"), so the gateway's
  own cost stays visible. Once the engine sends the raw SELECT the two baselines coincide and
  the figure is the raw-streaming one;
* trivial-query throughput (the point query) at 1, 10 and 100 concurrent asyncpg clients for
  ``--seconds`` each, against direct, pgbouncer, one gateway process and two;
* memory per idle connection: gateway RSS growth with ``--idle`` sessions logged in and held;
* logins/s (psycopg connect + close; direct and pgbouncer use trust, the gateway SCRAM + TLS).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

import asyncpg
import psycopg
from psycopg import pq

PG = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres", "password": ""}
PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres"

MODEL = """
cubes:
  - name: facts
    sql_table: {schema}.facts
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: name, sql: name, type: string }}
      - {{ name: amount, sql: amount, type: number }}
      - {{ name: ts, sql: ts, type: time }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: total, sql: amount, type: sum }}
"""

POINT = "select name from facts where id = %s"  # psycopg binds %s as $1
AGGREGATE = "select name, count, total from facts group by 1"
STREAM = "select id, name, amount, ts from facts"
RAW_STREAM = "SELECT id, name, amount, ts FROM {schema}.facts"


# --- the gateway, in processes of its own ---------------------------------------------------------


def _serve(model: str, user: str, password: str, port: int, tls_dir: str,
           pipe: Connection, root: str | None = None) -> None:
    if root is not None:  # another checkout's gateway (--before): its modules come first
        sys.path.insert(0, root)
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
        cert, key = ensure_self_signed(Path(tls_dir))
        config = PgGatewayConfig(port=port, ssl_context=server_context(cert, key),
                                 require_tls=True, max_connections=5000,
                                 login_max_failures=10**9,
                                 login_max_failures_per_address=10**9)
        server = PgServer(config, Grants(), SessionServices(), reuse_port=True)
        await server.start()
        pipe.send(server.port)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, pipe.recv)  # any message: stop
        await server.stop()

    try:
        from backend import eventloop
    except ImportError:  # a --before checkout older than the EVENT_LOOP setting
        asyncio.run(main())
        return
    eventloop.run(main(), os.environ.get("EVENT_LOOP", "uvloop"))  # as `serve` runs it


class Gateways:
    """``count`` gateway processes listening on one port (SO_REUSEPORT)."""

    def __init__(self, model: str, user: str, password: str, count: int,
                 root: str | None = None):
        self.port = free_port()
        self.tls_dir = tempfile.mkdtemp(prefix="pgbench-tls-")
        ctx = mp.get_context("spawn")
        self.procs: list[Any] = []
        self.pipes: list[Connection] = []
        for _ in range(count):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, daemon=True,
                               args=(model, user, password, self.port, self.tls_dir, child,
                                     root))
            proc.start()
            self.procs.append(proc)
            self.pipes.append(parent)
            while not parent.poll(0.2):
                if not proc.is_alive():
                    self.stop()
                    raise RuntimeError("a gateway process failed to start")
            parent.recv()

    @property
    def pids(self) -> list[int]:
        return [int(p.pid) for p in self.procs]

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send("stop")
        for proc in self.procs:
            proc.join(timeout=15)
            if proc.is_alive():
                proc.kill()


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM:")


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS:")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- pgbouncer ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_pgbouncer() -> tuple[subprocess.Popen[bytes], int] | None:
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
        f"pool_mode = transaction\nmax_client_conn = 5000\ndefault_pool_size = 20\n"
        f"logfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n"
    )
    os.chmod(d, 0o777)
    for f in d.iterdir():
        os.chmod(f, 0o666)
    cmd = [exe, str(d / "pgbouncer.ini")]
    if os.geteuid() == 0:
        cmd[1:1] = ["-u", "postgres"]  # pgbouncer refuses to run as root
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    return None


# --- the data -------------------------------------------------------------------------------------


def load(schema: str, rows: int) -> None:
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(
            f"CREATE TABLE {schema}.facts (id bigint PRIMARY KEY, name varchar(40) NOT NULL, "
            "amount numeric(12, 2) NOT NULL, ts timestamp NOT NULL)"
        )
        conn.execute(
            f"INSERT INTO {schema}.facts SELECT g, 'customer ' || (g % 1000), "
            "round((g % 100000) / 7.0, 2), timestamp '2024-01-01' + g * interval '1 second' "
            f"FROM generate_series(1, {rows}) g"
        )
        conn.execute(f"ANALYZE {schema}.facts")


# --- measurements ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def latencies(targets: dict[str, tuple[str, Any]], n: int) -> dict[str, list[float]]:
    """name -> (dsn, sql or a function of i giving (sql, params)); the targets take turns."""
    # No server-side prepared statements on the client side: pgbouncer's transaction mode
    # cannot keep them, and the gateway's own statement cache is what is measured.
    conns = {name: psycopg.connect(dsn, autocommit=True, prepare_threshold=None)
             for name, (dsn, _) in targets.items()}
    out: dict[str, list[float]] = {name: [] for name in targets}
    warm = min(50, n)
    try:
        for i in range(n + warm):
            for name, (_, sql) in targets.items():
                text, params = sql(i) if callable(sql) else (sql, None)
                t = time.perf_counter()
                conns[name].execute(text, params).fetchall()
                if i >= warm:
                    out[name].append(time.perf_counter() - t)
    finally:
        for conn in conns.values():
            conn.close()
    return out


def stream(dsn: str, sql: str, binary: bool) -> tuple[int, float]:
    """Rows and seconds for the whole result, read by libpq (no Python per row)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        pgconn = conn.pgconn
        t = time.perf_counter()
        pgconn.send_query_params(sql.encode(), None, result_format=pq.Format.BINARY
                                 if binary else pq.Format.TEXT)
        rows = 0
        while True:
            while pgconn.is_busy():
                pgconn.consume_input()  # blocking socket: waits for data
            res = pgconn.get_result()
            if res is None:
                break
            if res.status == pq.ExecStatus.TUPLES_OK:
                rows += res.ntuples
            elif res.status != pq.ExecStatus.COMMAND_OK:
                raise RuntimeError(res.error_message.decode())
        return rows, time.perf_counter() - t


def logins(dsn: str, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        psycopg.connect(dsn).close()
    return n / (time.perf_counter() - t)


async def throughput(kwargs: dict[str, Any], clients: int, seconds: float, rows: int
                     ) -> tuple[float, int]:
    """Point queries per second from ``clients`` connections, all logged in before the clock
    starts (logins are measured on their own); connections that fail to open are counted as
    errors and left out."""
    sql = (POINT if kwargs.get("semantic") else kwargs["direct_sql"]).replace("%s", "$1")
    connect = {k: v for k, v in kwargs.items() if k not in ("semantic", "direct_sql")}
    # statement_cache_size=0: unnamed statements, which pgbouncer's transaction pooling can
    # carry (the same for every side).
    opened = await asyncio.gather(
        *(asyncpg.connect(**connect, statement_cache_size=0) for _ in range(clients)),
        return_exceptions=True)
    conns = [c for c in opened if isinstance(c, asyncpg.Connection)]
    failed = [c for c in opened if not isinstance(c, asyncpg.Connection)]
    if failed:
        print(f"  {len(failed)} connections failed: {failed[0]!r}", flush=True)
    done = errors = 0
    stop = time.monotonic() + seconds

    async def client(conn: asyncpg.Connection, c: int) -> None:
        nonlocal done, errors
        i = c
        while time.monotonic() < stop:
            i += 7919
            try:
                await conn.fetch(sql, 1 + i % rows)
                done += 1
            except Exception as exc:
                errors += 1
                if errors == 1:
                    print(f"  first error: {exc!r}", flush=True)

    await asyncio.gather(*(client(conn, c) for c, conn in enumerate(conns)))
    for conn in conns:
        await conn.close()
    return done / seconds, errors + len(failed)


async def hold_idle(kwargs: dict[str, Any], n: int, pid: int) -> tuple[float, float, int]:
    """RSS of the gateway before and with n logged-in idle sessions, and how many opened."""
    before = rss_mb(pid)
    conns: list[asyncpg.Connection] = []
    sem = asyncio.Semaphore(20)

    async def one() -> None:
        async with sem:
            with_conn = await asyncpg.connect(**kwargs, statement_cache_size=0)
            conns.append(with_conn)

    results = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
    await asyncio.sleep(1.0)
    held = rss_mb(pid)
    for conn in conns:
        await conn.close()
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        print(f"  {len(failures)} idle connections failed: {failures[0]!r}", flush=True)
    return before, held, len(conns)


def row(label: str, base: float, *others: tuple[str, float], unit: str = "ms") -> None:
    """One measurement; each ratio is value / direct."""
    parts = [f"{label:<36} direct {base:11.3f} {unit}"]
    for name, value in others:
        ratio = value / base if base else 0
        parts.append(f"{name} {value:11.3f} {unit} ({ratio:.2f}x)")
    print("  ".join(parts), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--logins", type=int, default=200)
    ap.add_argument("--stream-runs", type=int, default=2)
    ap.add_argument("--before", metavar="CHECKOUT",
                    help="also measure a gateway run from another checkout (e.g. a git worktree "
                         "of an older commit), interleaved with this one")
    ap.add_argument("--only", default="latency,aggregate,stream,throughput,idle,logins",
                    help="comma-separated subset of the figures")
    ap.add_argument("--quick", action="store_true",
                    help="100k rows, 300 iterations, 2 s throughput runs, 200 idle, 30 logins")
    args = ap.parse_args()
    if args.quick:
        args.rows, args.iterations, args.seconds, args.idle, args.logins = (
            100_000, 300, 2.0, 200, 30)
    only = set(args.only.split(","))

    schema = "pgbench_" + secrets.token_hex(4)
    print(f"loading {args.rows} rows into test.{schema}.facts ...", flush=True)
    load(schema, args.rows)
    model = MODEL.format(schema=schema)
    user, password = "bench_" + secrets.token_hex(3), secrets.token_urlsafe(16)
    one: Gateways | None = None
    two: Gateways | None = None
    before: Gateways | None = None
    bouncer = None
    try:
        one = Gateways(model, user, password, 1)
        pid = one.pids[0]
        if args.before:
            before = Gateways(model, user, password, 1, root=args.before)
        bouncer = start_pgbouncer()
        gw = (f"host=127.0.0.1 port={one.port} dbname=db user={user} password={password} "
              "sslmode=require")
        gw_before = (gw.replace(f"port={one.port}", f"port={before.port}")
                     if before is not None else None)
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

        print(f"\ngateway pid {pid} on port {one.port} (TLS required), rss after start "
              f"{rss_mb(pid):.1f} MB; pgbouncer "
              f"{'on port ' + str(bouncer[1]) if bouncer else 'not installed'}\n", flush=True)

        def sides(gateway_sql: Any, direct_sql: Any) -> dict[str, tuple[str, Any]]:
            out: dict[str, tuple[str, Any]] = {"direct": (direct, direct_sql)}
            if pgb:
                out["pgbouncer"] = (pgb, direct_sql)
            if gw_before:
                out["gateway before"] = (gw_before, gateway_sql)
            out["gateway"] = (gw, gateway_sql)
            return out

        def others(values: dict[str, float]) -> list[tuple[str, float]]:
            return [(k, v) for k, v in values.items() if k != "direct"]

        if "latency" in only:
            point_sql = compiled(POINT.replace("%s", "1")).replace("= 1", "= %s")
            print(f"point query: engine sends {point_sql}", flush=True)
            n = args.rows
            cpu = cpu_seconds(pid)
            got = latencies(sides(lambda i: (POINT, (1 + i * 7919 % n,)),
                                  lambda i: (point_sql, (1 + i * 7919 % n,))),
                            args.iterations)
            cpu = cpu_seconds(pid) - cpu
            for q in (0.5, 0.99):
                values = {k: pct(v, q) for k, v in got.items()}
                row(f"point query p{int(q * 100)}", values["direct"], *others(values))
                added = {k: v - values["direct"] for k, v in values.items() if k != "direct"}
                print(f"{'  added latency':<36} " + ", ".join(
                    f"{k} +{v:.3f} ms" for k, v in added.items()), flush=True)
            print(f"{'  gateway CPU per point query':<36} "
                  f"{cpu / (args.iterations + 50) * 1000:.3f} ms", flush=True)

        if "aggregate" in only:
            agg_sql = compiled(AGGREGATE)
            got = latencies(sides(AGGREGATE, agg_sql), max(10, args.iterations // 100))
            values = {k: pct(v, 0.5) for k, v in got.items()}
            row("aggregate over all rows p50", values["direct"], *others(values))

        if "stream" in only:
            stream_sql = compiled(STREAM)
            raw_sql = RAW_STREAM.format(schema=schema)
            grouped = "GROUP BY" in stream_sql.upper()
            print(f"\nstream: engine sends {stream_sql}"
                  + ("\n  (still grouped: the raw-row engine change has not landed, so the "
                     "gateway figure is not yet raw streaming; 'direct compiled' times the "
                     "grouped SQL)" if grouped else "\n  (raw rows)"), flush=True)
            stream(gw, STREAM + " limit 10000", False)
            rss_small = peak_rss_mb(pid)
            for binary in (False, True):
                targets = {"direct": (direct, raw_sql)}
                if grouped:
                    targets["direct compiled"] = (direct, stream_sql)
                if pgb:
                    targets["pgbouncer"] = (pgb, raw_sql)
                if gw_before:
                    targets["gateway before"] = (gw_before, STREAM)
                targets["gateway"] = (gw, STREAM)
                best: dict[str, float] = {}
                gw_cpu = 0.0
                for _ in range(args.stream_runs):  # alternate; keep each side's best
                    for name, (dsn, sql) in targets.items():
                        cpu = cpu_seconds(pid)
                        count, seconds = stream(dsn, sql, binary)
                        if name == "gateway":
                            gw_cpu += cpu_seconds(pid) - cpu
                        assert count == args.rows, (name, count)
                        best[name] = max(best.get(name, 0.0), count / seconds)
                fmt = "binary" if binary else "text"
                row(f"stream {args.rows} rows {fmt}, rows/s", best["direct"], *others(best),
                    unit="r/s")
                print(f"{'  gateway CPU per row':<36} "
                      f"{gw_cpu / (args.stream_runs * args.rows) * 1e6:.2f} us", flush=True)
            print(f"{'  gateway peak RSS (VmHWM)':<36} after 10k rows {rss_small:.1f} MB, after "
                  f"the full reads {peak_rss_mb(pid):.1f} MB", flush=True)

        if "throughput" in only:
            direct_point = compiled(POINT.replace("%s", "1")).replace("= 1", "= %s")
            base_kwargs = {"host": "127.0.0.1", "ssl": False, "direct_sql": direct_point}
            tls = ssl.create_default_context()
            tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
            two = Gateways(model, user, password, 2)
            clients_of: dict[str, dict[str, Any]] = {
                "direct": {**base_kwargs, "port": 5432, "user": "postgres", "database": "test"}}
            if bouncer:
                clients_of["pgbouncer"] = {**base_kwargs, "port": bouncer[1], "user": "postgres",
                                        "database": "test"}
            runs = [("gateway x1", one), ("gateway x2", two)]
            if before is not None:
                runs.insert(0, ("before x1", before))
            for name, gws in runs:
                clients_of[name] = {"host": "127.0.0.1", "port": gws.port, "user": user,
                                 "password": password, "database": "db", "ssl": tls,
                                 "semantic": True}
            print(f"\npoint-query throughput, {args.seconds:g} s per run "
                  "(asyncpg clients in one process)", flush=True)
            for clients in (1, 10, 100):
                rates: dict[str, float] = {}
                for name, client_kwargs in clients_of.items():
                    rate, errors = asyncio.run(throughput(client_kwargs, clients, args.seconds,
                                                          args.rows))
                    rates[name] = rate
                    if errors:
                        print(f"  {name}: {errors} errors", flush=True)
                row(f"{clients:>3} clients, queries/s", rates["direct"], *others(rates),
                    unit="q/s")
            two.stop()
            two = None

        if "idle" in only:
            tls = ssl.create_default_context()
            tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
            idle_runs = [("gateway", one)] + ([("gateway before", before)] if before else [])
            for name, gws in idle_runs:
                idle_kwargs = {"host": "127.0.0.1", "port": gws.port, "user": user,
                               "password": password, "database": "db", "ssl": tls}
                rss_before, held, opened = asyncio.run(
                    hold_idle(idle_kwargs, args.idle, gws.pids[0]))
                print(f"\nidle sessions, {name}: {opened} held; RSS {rss_before:.1f} MB -> "
                      f"{held:.1f} MB "
                      f"= {(held - rss_before) * 1024 / max(1, opened):.1f} KB per connection",
                      flush=True)

        if "logins" in only:
            values = {"direct": logins(direct, args.logins)}
            if pgb:
                values["pgbouncer"] = logins(pgb, args.logins)
            values["gateway SCRAM+TLS"] = logins(gw, args.logins)
            row("logins/s (direct, pgbouncer: trust)", values["direct"], *others(values),
                unit="/s")
    finally:
        if one is not None:
            one.stop()
        if before is not None:
            before.stop()
        if two is not None:
            two.stop()
        if bouncer:
            bouncer[0].terminate()
            bouncer[0].wait(timeout=10)
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
