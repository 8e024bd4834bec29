"""Real sources for the connector tests: a private schema on the shared PostgreSQL, a private
database on the shared MariaDB, and SQLite/DuckDB files — each holding the same small set of
tables with primary and foreign keys (one of them composite)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backend.connectors.base import Connector
from backend.connectors.factory import connector_for
from backend.connectors.limits import Limits
from tests.services import PG_TEST_DSN, require_mariadb, require_postgres

FAST = Limits(connect_timeout=3.0, statement_timeout=30.0, pool_max=3)

# The same tables on every engine: types spelled per engine, rows identical.
_DDL = {
    "postgres": """
        CREATE TABLE {s}.parent (id integer PRIMARY KEY, name varchar(50) NOT NULL,
            price numeric(10,2), created_at timestamp, active boolean);
        CREATE TABLE {s}.child (id integer PRIMARY KEY,
            parent_id integer REFERENCES {s}.parent (id), qty integer);
        CREATE TABLE {s}.pair (a integer, b integer, PRIMARY KEY (a, b));
        CREATE TABLE {s}.pair_ref (id integer PRIMARY KEY, a integer, b integer,
            FOREIGN KEY (a, b) REFERENCES {s}.pair (a, b));
        CREATE VIEW {s}.parent_names AS SELECT id, name FROM {s}.parent;
    """,
    "mysql": """
        CREATE TABLE {s}.parent (id int PRIMARY KEY, name varchar(50) NOT NULL,
            price decimal(10,2), created_at datetime, active boolean);
        CREATE TABLE {s}.child (id int PRIMARY KEY, parent_id int, qty int,
            FOREIGN KEY (parent_id) REFERENCES {s}.parent (id));
        CREATE TABLE {s}.pair (a int, b int, PRIMARY KEY (a, b));
        CREATE TABLE {s}.pair_ref (id int PRIMARY KEY, a int, b int,
            FOREIGN KEY (a, b) REFERENCES {s}.pair (a, b));
        CREATE VIEW {s}.parent_names AS SELECT id, name FROM {s}.parent;
    """,
    "sqlite": """
        CREATE TABLE parent (id integer PRIMARY KEY, name varchar(50) NOT NULL,
            price numeric(10,2), created_at timestamp, active boolean);
        CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id),
            qty integer);
        CREATE TABLE pair (a integer, b integer, PRIMARY KEY (a, b));
        CREATE TABLE pair_ref (id integer PRIMARY KEY, a integer, b integer,
            FOREIGN KEY (a, b) REFERENCES pair (a, b));
        CREATE VIEW parent_names AS SELECT id, name FROM parent;
    """,
    "duckdb": """
        CREATE TABLE parent (id integer PRIMARY KEY, name varchar NOT NULL,
            price decimal(10,2), created_at timestamp, active boolean);
        CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id),
            qty integer);
        CREATE TABLE pair (a integer, b integer, PRIMARY KEY (a, b));
        CREATE TABLE pair_ref (id integer PRIMARY KEY, a integer, b integer,
            FOREIGN KEY (a, b) REFERENCES pair (a, b));
        CREATE VIEW parent_names AS SELECT id, name FROM parent;
    """,
}
_ROWS = """
    INSERT INTO {s}parent VALUES (1, 'one', 1.50, '2024-01-02 03:04:05', true),
        (2, 'two', 20.25, '2024-02-03 04:05:06', false), (3, 'three', NULL, NULL, NULL);
    INSERT INTO {s}child VALUES (10, 1, 5), (11, 1, 7), (12, 2, 1);
    INSERT INTO {s}pair VALUES (1, 1), (1, 2);
    INSERT INTO {s}pair_ref VALUES (100, 1, 2);
"""


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


@dataclass
class Source:
    engine: str  # postgres | mysql | sqlite | duckdb
    type: str  # the data source type
    params: dict[str, object]
    schema: str  # where the test tables live

    def connector(self, limits: Limits = FAST) -> Connector:
        return connector_for(self.type, self.params, limits=limits)


def _unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pg_source() -> Iterator[Source]:
    require_postgres()
    import psycopg

    schema = _unique("conn_test")
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        for stmt in statements(_DDL["postgres"].format(s=schema)):
            conn.execute(stmt)
        for stmt in statements(_ROWS.format(s=schema + ".")):
            conn.execute(stmt)
    try:
        yield Source(
            "postgres",
            "POSTGRES",
            {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres"},
            schema,
        )
    finally:
        with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _mysql_admin() -> Any:
    import pymysql

    return pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", autocommit=True)


@pytest.fixture
def mysql_source() -> Iterator[Source]:
    require_mariadb()
    database = _unique("conn_test")
    conn = _mysql_admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {database}")
        for stmt in statements(_DDL["mysql"].format(s=database)):
            cur.execute(stmt)
        for stmt in statements(_ROWS.format(s=database + ".")):
            cur.execute(stmt)
    try:
        yield Source(
            "mysql",
            "MYSQL",
            {"host": "127.0.0.1", "port": 3306, "database": database, "user": "root"},
            database,
        )
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {database}")
        conn.close()


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Source:
    path = tmp_path / "source.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(_DDL["sqlite"] + _ROWS.format(s=""))
    conn.commit()
    conn.close()
    return Source("sqlite", "SQLITE", {"path": str(path)}, "main")


@pytest.fixture
def duckdb_source(tmp_path: Path) -> Source:
    import duckdb

    path = tmp_path / "source.duckdb"
    conn = duckdb.connect(str(path))
    for stmt in statements(_DDL["duckdb"] + _ROWS.format(s="")):
        conn.execute(stmt)
    conn.close()
    return Source("duckdb", "DUCKDB", {"path": str(path)}, "main")


@pytest.fixture(params=["postgres", "mysql", "sqlite", "duckdb"])
def source(request: pytest.FixtureRequest) -> Source:
    fixture = "pg_source" if request.param == "postgres" else f"{request.param}_source"
    value: Source = request.getfixturevalue(fixture)
    return value


@pytest.fixture
async def connector(source: Source) -> AsyncIterator[Connector]:
    conn = source.connector()
    try:
        yield conn
    finally:
        await conn.close()


# --- network failure helpers ---------------------------------------------------------------------


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts TCP connections and never says a word."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


# --- a private PostgreSQL cluster with password authentication ---------------------------------


@dataclass
class PasswordServer:
    port: int
    user: str
    password: str


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for version in ("17", "16", "15", "14", "13"):
        candidate = f"/usr/lib/postgresql/{version}/bin/{name}"
        if os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def pg_password_server() -> Iterator[PasswordServer]:
    """The shared server trusts every local login, so a wrong password can only be shown on a
    server of our own: initdb with scram-sha-256, on a free loopback port."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("initdb/pg_ctl are needed for the password test (CI=true)")
        pytest.skip("initdb/pg_ctl not installed")
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
    workdir = Path(tempfile.mkdtemp(prefix="pgpw-"))
    password = "correct-horse-battery"
    pwfile = workdir / "pw"
    pwfile.write_text(password)
    data = workdir / "data"
    _self_signed_pair(workdir)
    if as_user:
        for owned in (workdir, *workdir.iterdir()):
            shutil.chown(owned, "postgres")
    port = closed_port()
    try:
        subprocess.run(
            [*as_user, initdb, "-D", str(data), "-U", "owner", "--auth=scram-sha-256",
             f"--pwfile={pwfile}", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-w", "-l", str(workdir / "log"), "-o",
             f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
             f"-c ssl=on -c ssl_cert_file={workdir}/cert.pem -c ssl_key_file={workdir}/key.pem",
             "start"],
            check=True, capture_output=True,
        )  # fmt: skip
        yield PasswordServer(port, "owner", password)
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _self_signed_pair(directory: Path) -> None:
    """A throw-away TLS key and self-signed certificate for the private server."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file = directory / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
