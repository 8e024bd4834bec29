"""Soak: the product under hours-like load for a bounded time, with credentials churning.

Starts its own stack on free loopback ports (one ``serve --only web``, one ``serve --only
gateway`` process, PostgreSQL metadata and a PostgreSQL data source on the machine's server,
in fresh databases dropped at the end), then for ``--duration`` seconds:

* holds ``--held`` idle connections (half on the PostgreSQL wire, half on the MySQL wire) and
  checks every one of them still answers at the end;
* runs ``--active`` clients (half per wire) in a loop of mixed statements — point lookups,
  aggregates, streams of 20,000 rows, catalog queries — each result checked, reconnecting
  now and then (logins under load);
* every ``--churn-every`` seconds creates a credential, opens sessions with it on both wires,
  then rotates or deletes it, and checks each of those sessions ended within 10 s;
* samples the gateway's RSS every second.

It prints unexpected errors (must be 0), revoked sessions that did not end (must be 0),
statement counts and latency per kind, and the gateway's RSS at start, peak and end. Not part
of the test suite; every loop is bounded by the duration. Example::

    .venv/bin/python bench/soak.py --duration 180 --held 1000 --active 100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import ssl
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiomysql  # noqa: E402
import asyncpg  # noqa: E402

from tests.faults.stack import FACT_ROWS, Credential, Proc, Stack, fault_env  # noqa: E402
from tests.faults.stack import make_data_database as make_data  # noqa: E402
from tests.system.conftest import free_port  # noqa: E402

STREAM_ROWS = 20_000
CATALOG_PG = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
              "ORDER BY 1")
CATALOG_MY = "SHOW TABLES"


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class Report:
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    revoked_sessions: int = 0
    revoked_not_ended: int = 0
    logins: int = 0

    def error(self, where: str, exc: BaseException) -> None:
        key = f"{where}: {type(exc).__name__}"
        self.errors[key] += 1
        if len(self.samples) < 20:
            self.samples.append(f"{key}: {str(exc)[:200]}")


# --- clients ---------------------------------------------------------------------------------


class PgClient:
    protocol = "postgres"

    def __init__(self, port: int, cred: Credential):
        self.port, self.cred = port, cred
        self.conn: asyncpg.Connection | None = None

    async def connect(self) -> None:
        self.conn = await asyncpg.connect(host="127.0.0.1", port=self.port,
                                          user=self.cred.username, password=self.cred.password,
                                          database="db", ssl=_tls(), timeout=30,
                                          statement_cache_size=0)

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        assert self.conn is not None
        return [tuple(r) for r in await self.conn.fetch(sql, timeout=60)]

    async def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.conn.close(), 5)
            self.conn = None


class MyClient:
    protocol = "mysql"

    def __init__(self, port: int, cred: Credential):
        self.port, self.cred = port, cred
        self.conn: Any = None

    async def connect(self) -> None:
        self.conn = await aiomysql.connect(host="127.0.0.1", port=self.port,
                                           user=self.cred.username,
                                           password=self.cred.password, db="db", ssl=_tls(),
                                           connect_timeout=30, autocommit=True)

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        async with self.conn.cursor() as cur:
            await asyncio.wait_for(cur.execute(sql), 60)
            return [tuple(r) for r in await cur.fetchall()]

    async def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


Client = PgClient | MyClient


def _client(protocol: str, gw: Proc, cred: Credential) -> Client:
    return PgClient(gw.pg_port, cred) if protocol == "postgres" else MyClient(gw.mysql_port, cred)


async def _statement(client: Client, kind: str, rng: random.Random) -> None:
    """Run one statement of ``kind`` and check its answer."""
    if kind == "point":
        key = rng.randint(1, FACT_ROWS)
        rows = await client.rows(
            f"SELECT bucket, MEASURE(amount) FROM facts WHERE id = {key} GROUP BY 1")
        assert len(rows) == 1 and int(rows[0][0]) == key % 10, rows
    elif kind == "aggregate":
        rows = await client.rows("SELECT bucket, MEASURE(count) FROM facts GROUP BY 1 "
                                 "ORDER BY 1")
        assert [int(c) for _, c in rows] == [FACT_ROWS // 10] * 10, rows
    elif kind == "stream":
        rows = await client.rows(f"SELECT n, label FROM series LIMIT {STREAM_ROWS}")
        assert len(rows) == STREAM_ROWS and int(rows[-1][0]) == STREAM_ROWS
    else:
        sql = CATALOG_PG if client.protocol == "postgres" else CATALOG_MY
        names = {str(r[0]) for r in await client.rows(sql)}
        assert {"facts", "series"} <= names, names


KINDS = ["point"] * 6 + ["aggregate"] * 2 + ["stream", "catalog"]
if os.environ.get("SOAK_KINDS"):  # narrowing the mix, to find what a figure comes from
    KINDS = os.environ["SOAK_KINDS"].split(",")


async def active_client(i: int, gw: Proc, creds: list[Credential], deadline: float,
                        report: Report) -> None:
    rng = random.Random(i)
    protocol = "postgres" if i % 2 == 0 else "mysql"
    client = _client(protocol, gw, creds[i % len(creds)])
    done = 0
    while time.monotonic() < deadline:
        try:
            if client.conn is None:
                await client.connect()
                report.logins += 1
            kind = rng.choice(KINDS)
            started = time.monotonic()
            await _statement(client, kind, rng)
            report.latency[f"{protocol} {kind}"].append(time.monotonic() - started)
            done += 1
            if done % 200 == 0:  # a login now and then, under load
                await client.close()
        except Exception as exc:
            report.error(f"active {protocol}", exc)
            await client.close()
            await asyncio.sleep(0.5)
    await client.close()


async def hold(gw: Proc, creds: list[Credential], n: int, report: Report) -> list[Client]:
    held: list[Client] = []
    for i in range(n):
        client = _client("postgres" if i % 2 == 0 else "mysql", gw, creds[i % len(creds)])
        try:
            await client.connect()
            held.append(client)
        except Exception as exc:
            report.error("hold connect", exc)
    return held


async def check_held(held: list[Client], report: Report) -> int:
    ok = 0
    for client in held:
        try:
            assert (await client.rows("SELECT 1"))[0][0] in (1, "1")
            ok += 1
        except Exception as exc:
            report.error(f"held {client.protocol}", exc)
    return ok


async def _ended(client: Client) -> bool:
    try:
        await client.rows("SELECT 1")
        return False
    except Exception:
        return True


async def churn(stack: Stack, gw: Proc, deadline: float, every: float, report: Report) -> None:
    acct = await asyncio.to_thread(stack.account)
    step = 0
    while time.monotonic() < deadline:
        step += 1
        try:
            cred = await asyncio.to_thread(acct.create_credential)
            sessions = [_client(p, gw, cred) for p in ("postgres", "mysql") * 2]
            for s in sessions:
                await s.connect()
                await _statement(s, "point", random.Random(step))
            if step % 2:
                await asyncio.to_thread(acct.rotate, cred)
            else:
                await asyncio.to_thread(acct.delete, cred)
            report.revoked_sessions += len(sessions)
            limit = time.monotonic() + 10
            pending = list(sessions)
            while pending and time.monotonic() < limit:
                pending = [s for s in pending if not await _ended(s)]
                if pending:
                    await asyncio.sleep(0.1)
            report.revoked_not_ended += len(pending)
            for s in pending:
                report.samples.append(f"not ended: {s.protocol} session of {cred.username} "
                                      f"after {'rotate' if step % 2 else 'delete'}")
            for s in sessions:
                await s.close()
        except Exception as exc:
            report.error("churn", exc)
        await asyncio.sleep(max(0.0, min(every, deadline - time.monotonic())))


async def sample_rss(gw: Proc, stop: asyncio.Event, out: list[int]) -> None:
    while not stop.is_set():
        with contextlib.suppress(Exception):
            out.append(gw.rss_bytes())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


# --- the run ---------------------------------------------------------------------------------


def _mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


async def run(args: argparse.Namespace, stack: Stack) -> int:
    gw = stack.gateway
    report = Report()
    acct = await asyncio.to_thread(stack.account)
    creds = [await asyncio.to_thread(acct.create_credential) for _ in range(10)]
    rss: list[int] = []
    start_rss = gw.rss_bytes()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(gw, stop, rss))
    t0 = time.monotonic()
    held = await hold(gw, creds, args.held, report)
    held_rss = gw.rss_bytes()
    print(f"held {len(held)} connections in {time.monotonic() - t0:.1f}s; "
          f"gateway RSS {_mib(start_rss)} -> {_mib(held_rss)}", flush=True)
    deadline = time.monotonic() + args.duration
    tasks = [asyncio.create_task(active_client(i, gw, creds, deadline, report))
             for i in range(args.active)]
    tasks.append(asyncio.create_task(churn(stack, gw, deadline, args.churn_every, report)))
    while time.monotonic() < deadline:
        await asyncio.sleep(min(10, max(0.1, deadline - time.monotonic())))
        total = sum(len(v) for v in report.latency.values())
        print(f"  t={time.monotonic() - t0:5.0f}s statements={total} "
              f"errors={sum(report.errors.values())} rss={_mib(rss[-1] if rss else 0)}",
              flush=True)
    await asyncio.gather(*tasks)
    alive = await check_held(held, report)
    load_end_rss = gw.rss_bytes()
    for client in held:
        await client.close()
    await asyncio.sleep(3)
    end_rss = gw.rss_bytes()
    stop.set()
    await sampler

    elapsed = args.duration
    print(f"\nsoak: {args.duration:.0f}s, {args.held} held + {args.active} active connections "
          f"(half PostgreSQL wire, half MySQL wire), one gateway process")
    print(f"{'statement':<22}{'count':>8}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for key in sorted(report.latency):
        values = sorted(report.latency[key])
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"{key:<22}{len(values):>8}{len(values) / elapsed:>8.1f}"
              f"{statistics.median(values) * 1000:>9.1f}{p99 * 1000:>9.1f}")
    print(f"logins under load: {report.logins}")
    print(f"held connections alive at the end: {alive}/{len(held)} (asked {args.held})")
    print(f"revoked sessions: {report.revoked_sessions}, not ended within 10 s: "
          f"{report.revoked_not_ended}")
    print(f"gateway RSS: start {_mib(start_rss)}, with held connections {_mib(held_rss)}, "
          f"peak {_mib(max(rss, default=0))}, end of load {_mib(load_end_rss)}, "
          f"after closing all {_mib(end_rss)}")
    unexpected = sum(report.errors.values())
    print(f"unexpected errors: {unexpected}")
    for key, count in report.errors.most_common():
        print(f"  {count:6d}  {key}")
    for sample in report.samples:
        print(f"    {sample}")
    return 0 if unexpected == 0 and report.revoked_not_ended == 0 else 1


class ProxyProcess:
    """A ``TcpProxy`` (never cut here) in a process of its own: inside this one, its thread
    would wait for the GIL behind a thousand client connections, and a slow forwarder looks
    like a data source or metadata DB that does not answer (the first 600 s run counted 27
    such "unreachable" errors)."""

    def __init__(self, target_port: int):
        code = ("import sys; from tests.faults.proxy import TcpProxy; "
                f"p = TcpProxy({target_port}).start(); print(p.port, flush=True); "
                "sys.stdin.read(); p.close()")
        self._popen = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._popen.stdout is not None
        self.port = int(self._popen.stdout.readline())

    def close(self) -> None:
        assert self._popen.stdin is not None
        self._popen.stdin.close()  # the proxy closes and exits
        try:
            self._popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._popen.kill()
            self._popen.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of load")
    parser.add_argument("--held", type=int, default=1000, help="idle connections held")
    parser.add_argument("--active", type=int, default=100, help="clients running statements")
    parser.add_argument("--churn-every", type=float, default=5.0,
                        help="seconds between credential create+rotate/delete rounds")
    args = parser.parse_args()

    import tempfile

    from tests.conftest import _create_pg_database, _drop_pg_database

    meta_db, meta_url = _create_pg_database()
    data_db, _ = _create_pg_database()
    root = Path(tempfile.mkdtemp(prefix="metricsql-soak-"))
    # The data source must not be the metadata database's address: reach it through a
    # plain forwarder (never cut here).
    source = ProxyProcess(5432)
    meta = ProxyProcess(5432)
    env = {**fault_env(root, meta_url), "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING",
           "MAX_CONNECTIONS": str(2 * (args.held + args.active) + 100),
           "CLIENT_SEND_TIMEOUT_SECONDS": "120"}
    web = Proc("web", ["--only", "web", "--no-migrate"], env, free_port(), free_port(),
               free_port(), root / "web.log")
    stack = Stack(root, meta_db, data_db, meta, source, env, web)
    try:
        make_data(data_db)
        subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=120)
        web.start()
        stack.add_gateway("gateway")
        return asyncio.run(run(args, stack))
    finally:
        for proc in [*stack.gateways, web]:
            proc.stop()
        source.close()
        meta.close()
        _drop_pg_database(meta_db)
        _drop_pg_database(data_db)
        print(f"logs: {root}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
