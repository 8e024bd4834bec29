"""The product as an operator runs it, as plain processes a fault test can break.

One ``serve --only web`` (metadata reached directly) and ``serve --only gateway`` processes
whose metadata connection goes through a ``TcpProxy``, so a test can take the metadata
database away from the gateways and give it back; the data source is a PostgreSQL database
reached through another proxy. Everything listens on free loopback ports; every wait below is
bounded.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pymysql

from tests.system.conftest import ROOT, free_port

SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) {
  __typename ... on AuthPayload { viewer { id teams { id } } } ... on UserError { message } } }"""
MEMBERS = """query($id: ID!) { team(id: $id) { members { id } } }"""
CREATE_SOURCE = """mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) {
  __typename ... on DataSource { id } ... on UserError { code message field } } }"""
SAVE_MODELS = """mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) {
  __typename ... on ModelVersion { id number }
  ... on UserError { code message problems { file line message } } } }"""
CREATE_CREDENTIAL = """mutation($input: CreateSqlCredentialInput!) {
  createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { password credential { id username } }
  ... on UserError { code message } } }"""
ROTATE = """mutation($input: RotateSqlCredentialPasswordInput!) {
  rotateSqlCredentialPassword(input: $input) {
  __typename ... on SqlCredentialSecret { password credential { id username } }
  ... on UserError { code message } } }"""
DELETE = """mutation($input: DeleteSqlCredentialInput!) { deleteSqlCredential(input: $input) {
  __typename ... on SqlCredential { id } ... on UserError { code message } } }"""

FACT_ROWS = 100_000
# ``series`` streams as many rows as a client reads: a long query to cut or abandon midway
# (generate_series in the select list streams; in FROM it would be materialized first).
MODELS = """cubes:
  - name: facts
    sql_table: public.fault_facts
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: bucket, sql: bucket, type: number }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum }
  - name: series
    sql: "SELECT n, md5(n::text) AS label FROM (SELECT generate_series(1, 200000000) AS n) AS s"
    dimensions:
      - { name: n, sql: n, type: number, primary_key: true }
      - { name: label, sql: label, type: string }
    measures:
      - { name: count, type: count }
"""
SECRET_KEY = "fault-harness-secret-" + "k" * 30


@dataclass
class Proc:
    name: str
    args: list[str]
    env: dict[str, str]
    web_port: int
    pg_port: int
    mysql_port: int
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    @property
    def ops_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self, wait: str | None = "/readyz", timeout: float = 60) -> Proc:
        """Start on the same ports as before (clients reconnect to where they were)."""
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "backend.cli", "serve", *self.args],
                cwd=ROOT,
                env={
                    **self.env,
                    "WEB_PORT": str(self.web_port),
                    "PG_PORT": str(self.pg_port),
                    "MYSQL_PORT": str(self.mysql_port),
                },
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if wait is not None:
            self.wait_for(wait, 200, timeout)
        return self

    def wait_for(self, path: str, status: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.popen is not None
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.tail()}")
            try:
                if httpx.get(self.ops_url + path, timeout=2).status_code == status:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {path} never answered {status}:\n{self.tail()}")
            time.sleep(0.1)

    def kill9(self) -> None:
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def metrics(self) -> str:
        return httpx.get(self.ops_url + "/metrics", timeout=10).text

    def metric(self, name: str, labels: str = "") -> float:
        """One sample of this process's /metrics (0 when absent)."""
        pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else "") + r" (\S+)"
        found = re.search(r"^" + pattern + r"$", self.metrics(), re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def metric_total(self, name: str) -> float:
        """The sum of every sample of ``name`` whatever its labels."""
        found = re.findall(
            r"^" + re.escape(name) + r"(?:\{[^}]*\})? (\S+)$", self.metrics(), re.MULTILINE
        )
        return sum(float(v) for v in found)

    def sockets_to(self, port: int) -> int:
        """TCP sockets this process holds whose remote end is 127.0.0.1:``port``."""
        inodes = set()
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        count = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as rows:
                for row in list(rows)[1:]:
                    fields = row.split()
                    if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                        count += 1
        return count

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS")

    def tail(self, n: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-n:]


def wait_until(
    what: str, check: Callable[[], bool], timeout: float = 15, interval: float = 0.05
) -> float:
    """Poll ``check`` until true; return the seconds it took (fail after ``timeout``)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(interval)
    return time.monotonic() - start


@dataclass
class Credential:
    id: str
    username: str
    password: str

    def pg(self, port: int, **extra: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=port,
            dbname="db",
            user=self.username,
            password=self.password,
            sslmode="require",
            connect_timeout=5,
            autocommit=True,
            **extra,
        )

    def mysql(self, port: int) -> pymysql.Connection[Any]:
        return pymysql.connect(
            host="127.0.0.1",
            port=port,
            user=self.username,
            password=self.password,
            database="db",
            ssl=_no_verify(),
            connect_timeout=10,
            read_timeout=30,
        )


def _no_verify() -> ssl.SSLContext:
    """TLS to the gateway's self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class Account:
    http: httpx.Client
    team_id: str
    member_id: str
    source_id: str

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        r = self.http.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = r.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def create_credential(self) -> Credential:
        r = self.gql(
            CREATE_CREDENTIAL, input={"memberId": self.member_id, "dataSourceId": self.source_id}
        )
        secret = r["createSqlCredential"]
        assert secret["__typename"] == "SqlCredentialSecret", secret
        return Credential(
            secret["credential"]["id"], secret["credential"]["username"], secret["password"]
        )

    def rotate(self, cred: Credential) -> Credential:
        secret = self.gql(ROTATE, input={"id": cred.id})["rotateSqlCredentialPassword"]
        assert secret["__typename"] == "SqlCredentialSecret", secret
        return Credential(cred.id, cred.username, secret["password"])

    def delete(self, cred: Credential) -> None:
        r = self.gql(DELETE, input={"id": cred.id})["deleteSqlCredential"]
        assert r["__typename"] == "SqlCredential", r


@dataclass
class Stack:
    root: Path
    meta_db: str
    data_db: str
    meta_proxy: Any  # TcpProxy: the gateways' road to the metadata database
    source_proxy: Any  # TcpProxy: the gateways' road to the data source
    env: dict[str, str]
    web: Proc
    gateways: list[Proc] = field(default_factory=list)

    @property
    def gateway(self) -> Proc:
        return self.gateways[0]

    def add_gateway(self, name: str, **env: str) -> Proc:
        proc = Proc(
            name,
            ["--only", "gateway", "--no-migrate"],
            {**self.env, "DATABASE_URL": self.meta_url(self.meta_proxy.port), **env},
            free_port(),
            free_port(),
            free_port(),
            self.root / f"{name}.log",
        )
        self.gateways.append(proc)
        return proc.start()

    def meta_url(self, port: int) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{self.meta_db}"

    def account(self, source: dict[str, Any] | None = None, models: str = MODELS) -> Account:
        """A new user with a data source and models: by default the PostgreSQL data source
        through the source proxy; ``source`` gives another one (type and params)."""
        if source is None:
            source = {
                "type": "POSTGRES",
                "params": {
                    "host": "127.0.0.1",
                    "port": self.source_proxy.port,
                    "database": self.data_db,
                    "user": "postgres",
                    "password": "unused",
                    "ssl": False,
                },
            }
        http = httpx.Client(
            base_url=self.web.ops_url, headers={"Origin": self.web.ops_url}, timeout=30
        )
        acct = Account(http, "", "", "")
        r = acct.gql(
            SIGN_UP,
            input={
                "email": f"f-{uuid.uuid4().hex[:8]}@example.com",
                "password": "fault-harness-password",
                "displayName": "Fault",
            },
        )
        acct.team_id = r["signUp"]["viewer"]["teams"][0]["id"]
        acct.member_id = acct.gql(MEMBERS, id=acct.team_id)["team"]["members"][0]["id"]
        ds = acct.gql(CREATE_SOURCE, input={"teamId": acct.team_id, "name": "warehouse", **source})[
            "createDataSource"
        ]
        assert ds["__typename"] == "DataSource", ds
        acct.source_id = ds["id"]
        version = acct.gql(
            SAVE_MODELS,
            input={
                "dataSourceId": acct.source_id,
                "files": [{"name": "warehouse.yml", "code": models}],
            },
        )["createModelVersion"]
        assert version["__typename"] == "ModelVersion", version
        return acct

    def outbox_max_id(self) -> int:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.meta_db}") as conn:
            row = conn.execute("SELECT coalesce(max(id), 0) FROM credential_events").fetchone()
            assert row is not None
            return int(row[0])

    def source_queries(self, like: str) -> int:
        """Queries running on the data source (the real PostgreSQL) whose text has ``like``:
        executing, or suspended in their transaction between two fetches of a cursor."""
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:5432/{self.data_db}", autocommit=True
        ) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state <> 'idle'"
                " AND query ILIKE %s AND pid <> pg_backend_pid()",
                (self.data_db, f"%{like}%"),
            ).fetchone()
            assert row is not None
            return int(row[0])


def fault_env(root: Path, meta_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATA_DIR": str(root),
        "DATABASE_URL": meta_url,
        "SECRET_KEY": SECRET_KEY,
        "DEMO_ORDER_ITEMS": "1000",
        "SHUTDOWN_GRACE_SECONDS": "1",
        "FEED_POLL_INTERVAL_MS": "50",
        "LOG_FORMAT": "json",
        "SOURCE_NETWORK_ALLOW": "loopback",
        "CLIENT_SEND_TIMEOUT_SECONDS": "2",
        "GATEWAY_PROCESSES": "1",
    }  # one process per gateway: kill -9 and RSS mean it


def make_data_database(name: str) -> None:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}", autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE fault_facts AS SELECT g AS id, g % 10 AS bucket, "
            f"(g % 97)::numeric AS amount FROM generate_series(1, {FACT_ROWS}) AS g"
        )
        conn.execute("ALTER TABLE fault_facts ADD PRIMARY KEY (id)")
        conn.execute("ANALYZE fault_facts")
