"""Latency of the web tier and the PostgreSQL gateway while the largest allowed inputs are
validated by other clients, against a quiet run in the same run.

Run:  .venv/bin/python bench/web_limits_bench.py [--seconds 15] [--attackers 4]

Starts ``metricsql serve`` (web, both gateways and the feed in one process, SQLite metadata,
a small demo data set) on free loopback ports, signs up, adds the demo data source and a SQL
credential. Then, for a quiet phase and a loaded phase of the same length, two probes run:
``GET /healthz`` over HTTP and ``SELECT 1`` through psycopg over TLS to the PostgreSQL
gateway. In the loaded phase ``--attackers`` logged-in clients each validate, in a loop, the
largest inputs the limits allow: a model file just under YAML_MAX_FILE_BYTES, a merge-key bomb
(refused by YAML_MAX_NODES) and a GraphQL document at GRAPHQL_MAX_TOKENS. Prints p50/p99 of
both probes per phase and the loaded/quiet ratios. Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) {
  __typename ... on AuthPayload { viewer { teams { id } } } ... on UserError { message } } }"""
DEMO = """mutation($input: CreateDemoDataSourceInput!) { createDemoDataSource(input: $input) {
  __typename ... on DataSource { id } ... on UserError { code message } } }"""
MEMBERS = """query($id: ID!) { team(id: $id) { members { id } } }"""
CREDENTIAL = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { password credential { username } }
  ... on UserError { code message } } }"""
VALIDATE = """query($files: [ModelFileInput!]!) { validateModels(files: $files) { line } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def largest_model(limit_bytes: int) -> str:
    head = "cubes:\n  - name: big\n    sql_table: main.big\n    dimensions:\n"
    line = "      - {{ name: d{i}, sql: c{i}, type: number }}\n"
    parts, size, i = [head], len(head), 0
    while size + len(line.format(i=i)) + 10 < limit_bytes:
        parts.append(line.format(i=i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)


def merge_bomb(levels: int) -> str:
    lines = ["a0: &a0 {x: 1}"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}]\n  y{i}: 1")
    lines.append(f"cubes:\n  - name: c\n    sql_table: t\n    <<: *a{levels}")
    return "\n".join(lines) + "\n"


def token_document(tokens: int) -> str:
    return "{ viewer { " + "id " * (tokens - 6) + "} }"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def probe_http(base: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=60) as c:
        while not stop.is_set():
            t = time.perf_counter()
            c.get("/healthz")
            out.append(time.perf_counter() - t)
            time.sleep(0.02)


def probe_pg(conninfo: str, sql: str, stop: threading.Event, out: list[float]) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        while not stop.is_set():
            t = time.perf_counter()
            conn.execute(sql).fetchall()
            out.append(time.perf_counter() - t)
            time.sleep(0.02)


def attack(base: str, stop: threading.Event, counts: dict[str, int]) -> None:
    model = largest_model(1_000_000)
    bomb = merge_bomb(24)
    doc = token_document(5000)
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as c:
        c.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
            "email": f"a-{uuid.uuid4().hex[:8]}@example.com", "password": "attacker-password",
            "displayName": "A"}}})
        while not stop.is_set():
            for files in ([{"name": "big.yml", "code": model}],
                          [{"name": "bomb.yml", "code": bomb}]):
                r = c.post("/graphql", json={"query": VALIDATE, "variables": {"files": files}})
                key = "refused" if "errors" in r.json() else "validated"
                counts[key] = counts.get(key, 0) + 1
            c.post("/graphql", json={"query": doc})
            counts["documents"] = counts.get("documents", 0) + 1


def phase(base: str, conninfo: str, sql: str, seconds: float, attackers: int
          ) -> dict[str, Any]:
    stop = threading.Event()
    http_samples: list[float] = []
    pg_samples: list[float] = []
    counts: dict[str, int] = {}
    threads = [threading.Thread(target=probe_http, args=(base, stop, http_samples)),
               threading.Thread(target=probe_pg, args=(conninfo, sql, stop, pg_samples))]
    threads += [threading.Thread(target=attack, args=(base, stop, counts))
                for _ in range(attackers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return {"healthz": percentiles(http_samples), "select1": percentiles(pg_samples),
            "n": (len(http_samples), len(pg_samples)), "counts": counts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--attackers", type=int, default=4)
    ap.add_argument("--sql", default="SELECT 1", help="the gateway probe's statement")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="limits-bench-"))
    web, pg, my = free_port(), free_port(), free_port()
    env = {**os.environ, "DATA_DIR": str(data), "WEB_PORT": str(web), "PG_PORT": str(pg),
           "MYSQL_PORT": str(my), "DEMO_ORDER_ITEMS": "5000", "LOG_LEVEL": "WARNING"}
    log = open(data / "serve.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{web}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"server did not start:\n{(data / 'serve.log').read_text()}")
            time.sleep(0.2)
        with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as c:
            r = c.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
                "email": "bench@example.com", "password": "bench-password-1",
                "displayName": "Bench"}}}).json()
            team = r["data"]["signUp"]["viewer"]["teams"][0]["id"]
            ds = c.post("/graphql", json={"query": DEMO, "variables": {"input": {
                "teamId": team}}}).json()["data"]["createDemoDataSource"]
            member = c.post("/graphql", json={"query": MEMBERS, "variables": {"id": team}}
                            ).json()["data"]["team"]["members"][0]["id"]
            cred = c.post("/graphql", json={"query": CREDENTIAL, "variables": {"input": {
                "memberId": member, "dataSourceId": ds["id"]}}}).json()
            cred = cred["data"]["createSqlCredential"]
        conninfo = (f"host=127.0.0.1 port={pg} dbname=db "
                    f"user={cred['credential']['username']} password={cred['password']} "
                    "sslmode=require")
        time.sleep(1.0)  # the credential reaches the gateway through the change feed
        quiet = phase(base, conninfo, args.sql, args.seconds, 0)
        loaded = phase(base, conninfo, args.sql, args.seconds, args.attackers)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"{'probe':10} {'quiet p50':>10} {'p99':>8} {'loaded p50':>11} {'p99':>8} "
          f"{'x p50':>6} {'x p99':>6}   (ms; {args.attackers} attackers, {args.seconds:g} s)")
    print(f"gateway probe: {args.sql}")
    for name in ("healthz", "select1"):
        (qp50, qp99), (lp50, lp99) = quiet[name], loaded[name]
        print(f"{name:10} {qp50:10.2f} {qp99:8.2f} {lp50:11.2f} {lp99:8.2f} "
              f"{lp50 / qp50:6.2f} {lp99 / qp99:6.2f}")
    print(f"samples quiet {quiet['n']}, loaded {loaded['n']}; attack requests {loaded['counts']}")


if __name__ == "__main__":
    main()
