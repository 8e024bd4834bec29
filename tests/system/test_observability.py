"""What an operator sees of a running ``metricsql serve``: /metrics moves with real traffic,
/readyz tells a reachable metadata DB from an unreachable one, /healthz only says "alive"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.system.conftest import ROOT, Server, free_port
from tests.system.test_psql_walkthrough import new_credential


def scrape(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = httpx.get(f"{server.base_url}/metrics", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
          **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def connect(server: Server, cred: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(host="127.0.0.1", port=server.pg_port, dbname="db",
                           user=cred["credential"]["username"], password=cred["password"],
                           sslmode="require", connect_timeout=10, autocommit=True)


def test_metrics_count_a_query_a_failure_and_the_open_session(server: Server) -> None:
    cred = new_credential(server)
    before = scrape(server)
    with connect(server, cred) as conn:
        rows = conn.execute("SELECT status, MEASURE(count) FROM orders GROUP BY 1").fetchall()
        assert rows
        with pytest.raises(psycopg.errors.UndefinedTable):
            conn.execute("SELECT * FROM no_such_cube")
        conn.execute("SELECT relname FROM pg_catalog.pg_class LIMIT 1").fetchall()
        during = scrape(server)
    assert value(during, "metricsql_sessions", protocol="postgres") >= 1
    moved = {
        "engine statements": ("metricsql_statements_total",
                              {"protocol": "postgres", "kind": "engine"}),
        "catalog statements": ("metricsql_statements_total",
                               {"protocol": "postgres", "kind": "catalog"}),
        "latency observations": ("metricsql_statement_duration_seconds_count",
                                 {"protocol": "postgres", "kind": "engine"}),
        "42P01 errors": ("metricsql_errors_total", {"protocol": "postgres", "sqlstate": "42P01"}),
    }
    for what, (name, labels) in moved.items():
        assert value(during, name, **labels) >= value(before, name, **labels) + 1, what
    rows_before = value(before, "metricsql_rows_streamed_total", protocol="postgres")
    assert value(during, "metricsql_rows_streamed_total", protocol="postgres") >= (
        rows_before + len(rows) + 1)
    # The credential's creation reached this process through the change feed.
    assert value(during, "metricsql_feed_events_applied_total") >= 1
    assert value(during, "metricsql_feed_lag_seconds_count") >= 1
    assert value(during, "metricsql_source_pool_connections", source="duckdb") == 0  # no pool
    assert value(during, "process_resident_memory_bytes") > 0
    deadline = time.monotonic() + 10
    while value(scrape(server), "metricsql_sessions", protocol="postgres") >= value(
            during, "metricsql_sessions", protocol="postgres"):
        assert time.monotonic() < deadline, "the closed session is still counted"
        time.sleep(0.1)


def test_a_failed_login_is_counted_by_sqlstate(server: Server) -> None:
    before = value(scrape(server), "metricsql_errors_total", protocol="postgres",
                   sqlstate="28P01")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host="127.0.0.1", port=server.pg_port, dbname="db", user="nosuchuser",
                        password="wrong", sslmode="require", connect_timeout=10)
    assert value(scrape(server), "metricsql_errors_total", protocol="postgres",
                 sqlstate="28P01") == before + 1


def test_ready_when_everything_answers(server: Server) -> None:
    r = httpx.get(f"{server.base_url}/readyz", timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"metadata_db": "ok", "accepting": "ok", "change_feed": "ok",
                                  "postgres_gateway": "ok", "mysql_gateway": "ok"}
    assert r.headers["x-request-id"]


def test_not_ready_while_the_metadata_db_is_unreachable(tmp_path: Any) -> None:
    closed = free_port()  # nothing listens here
    web = free_port()
    env = {**os.environ, "DATA_DIR": str(tmp_path), "WEB_PORT": str(web),
           "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{closed}/metricsql",
           "LOG_FORMAT": "json"}
    log = tmp_path / "web.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--only", "web",
                                 "--no-migrate"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{web}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, log.read_text()[-2000:]
            try:
                alive = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
        assert alive.status_code == 200  # alive: restarting would not bring the DB back
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["checks"]["metadata_db"].startswith("error")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    # JSON logs: every line one object, request lines carry their id.
    import json

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert lines and all({"ts", "level", "logger", "message"} <= set(e) for e in lines)
