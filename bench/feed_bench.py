"""How fast a committed credential change reaches the gateways' map.

For each metadata engine (PostgreSQL with LISTEN/NOTIFY, SQLite with polling) this creates a
throw-away metadata DB, starts a ``FeedSubscriber``, then commits N changes one at a time —
alternately deleting a credential and rotating another's password — and times from the moment
``commit()`` returns to the moment the subscriber's listener hears of that username (the map
is updated just before listeners run). A random pause of up to one polling interval before
each change keeps the changes out of step with the poll. Prints p50/p95/p99/max next to the
polling interval, and the target (p99 < 100 ms on PostgreSQL, < 500 ms on SQLite).

    .venv/bin/python bench/feed_bench.py [--changes 200] [--engines sqlite,postgres]
        [--poll-ms 100] [--population 0] [--pg-admin postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.db import make_engine, make_sessionmaker, migrate
from backend.core.grants import CredentialGrant
from backend.core.models import DataSource, Member, Team, User
from backend.core.services import credentials as svc
from backend.core.services.authz import Actor
from backend.core.services.feed import FeedSubscriber

SECRET_KEY = "feed-bench-secret-key"
TARGET_MS = {"postgres": 100.0, "sqlite": 500.0}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def measure(url: str, changes: int, poll_s: float, population: int
                  ) -> tuple[list[float], list[float]]:
    engine = make_engine(url)
    maker = make_sessionmaker(engine)
    async with maker() as db:
        team = Team(name="bench")
        user = User(email=f"{uuid.uuid4().hex[:8]}@bench.test", display_name="b",
                    password_hash="x")
        db.add_all([team, user])
        await db.flush()
        member = Member(team_id=team.id, user_id=user.id, role="owner")
        ds = DataSource(team_id=team.id, name="ds", type="SQLITE", params={"path": "/tmp/b.db"})
        db.add_all([member, ds])
        await db.commit()
    actor = Actor(user.id)
    creds = []
    async with maker() as db:
        for _ in range(changes // 2 + 2):
            creds.append((await svc.create_credential(db, actor, member.id, ds.id)).view
                         .credential)
        # Bystanders: the map's size should not matter, as a change reloads only its scope.
        for _ in range(population):
            await svc.create_credential(db, actor, member.id, ds.id)
        await db.commit()

    heard: dict[str, float] = {}
    wake = asyncio.Event()

    def listener(username: str, _grant: CredentialGrant | None) -> None:
        heard[username] = time.perf_counter()
        wake.set()

    sub = FeedSubscriber(engine, SECRET_KEY, poll_interval=poll_s)
    sub.add_listener(listener)
    await sub.start()
    latencies: list[float] = []
    commits: list[float] = []
    try:
        to_delete = creds[: changes // 2 + 1]
        to_rotate = creds[changes // 2 + 1:]
        for i in range(changes):
            await asyncio.sleep(random.uniform(0, poll_s))
            async with maker() as db:
                if i % 2 == 0:
                    cred = to_delete.pop()
                    await svc.delete_credential(db, actor, cred.id)
                else:
                    cred = to_rotate[0]
                    await svc.rotate_password(db, actor, cred.id)
                heard.pop(cred.username, None)
                started = time.perf_counter()
                await db.commit()
                committed = time.perf_counter()
            while cred.username not in heard:
                wake.clear()
                await asyncio.wait_for(wake.wait(), 30)
            commits.append(committed - started)
            # The listener can run while commit() is still returning; count that as 0.
            latencies.append(max(0.0, heard[cred.username] - committed))
    finally:
        await sub.stop()
        await engine.dispose()
    return latencies, commits


def report(name: str, latencies: list[float], commits: list[float], poll_ms: float,
           wake: str, population: int) -> bool:
    ms = [x * 1000 for x in latencies]
    p50, p95, p99 = (percentile(ms, p) for p in (50, 95, 99))
    target = TARGET_MS[name]
    ok = p99 < target
    print(f"{name:8s} wake={wake:14s} map={population:>5d}+ n={len(ms)} "
          f"p50={p50:7.2f} ms  p95={p95:7.2f} ms  "
          f"p99={p99:7.2f} ms  max={max(ms):7.2f} ms  mean={statistics.mean(ms):7.2f} ms | "
          f"poll interval {poll_ms:.0f} ms (p99/poll = {p99 / poll_ms:.2f}) | "
          f"commit p50 {percentile([c * 1000 for c in commits], 50):.2f} ms | "
          f"target p99 < {target:.0f} ms: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--poll-ms", type=float, default=100.0,
                        help="FEED_POLL_INTERVAL_MS (default 100, the setting's default)")
    parser.add_argument("--population", type=int, default=0,
                        help="extra credentials in the map that the changes do not touch")
    parser.add_argument("--pg-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    poll_s = args.poll_ms / 1000
    all_ok = True
    for name in args.engines.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{tmp}/metadata.db"
                migrate(url)
                lat, com = asyncio.run(measure(url, args.changes, poll_s, args.population))
            all_ok &= report(name, lat, com, args.poll_ms, "poll", args.population)
        elif name == "postgres":
            import psycopg

            db_name = f"msql_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{db_name}"')
            try:
                base = args.pg_admin.rsplit("/", 1)[0].replace("postgresql://",
                                                               "postgresql+asyncpg://", 1)
                url = f"{base}/{db_name}"
                migrate(url)
                lat, com = asyncio.run(measure(url, args.changes, poll_s, args.population))
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            all_ok &= report(name, lat, com, args.poll_ms, "LISTEN/NOTIFY", args.population)
        else:
            parser.error(f"unknown engine {name!r}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
