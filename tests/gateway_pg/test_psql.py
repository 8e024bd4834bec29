"""psql, the reference client: connection, TLS modes, meta-commands, settings, errors."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway


def psql(
    tgw: ThreadedGateway, *commands: str, password: str | None = None,
    conninfo: str = "sslmode=require", user: str | None = None,
) -> subprocess.CompletedProcess[str]:
    gw = tgw.gw
    args = ["psql", f"host=127.0.0.1 port={gw.port} user={user or gw.user} dbname=db {conninfo}",
            "-X", "-v", "ON_ERROR_STOP=1"]
    for c in commands:
        args += ["-c", c]
    env = dict(os.environ, PGPASSWORD=password if password is not None else gw.password,
               PGCONNECT_TIMEOUT="10")
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)


def test_meta_commands(tgw: ThreadedGateway) -> None:
    out = psql(tgw, r"\dt", r"\d orders", r"\dn", r"\l", r"\conninfo")
    assert out.returncode == 0, out.stderr
    assert "public | orders  | table" in out.stdout
    assert "public | secrets | table" in out.stdout
    assert 'Table "public.orders"' in out.stdout
    assert "created_at | timestamp without time zone" in out.stdout
    assert '"orders_pkey" PRIMARY KEY, btree (id)' in out.stdout
    assert " db   |" in out.stdout
    assert "SSL connection (protocol: TLSv1." in out.stdout


def test_version_settings_and_transactions(tgw: ThreadedGateway) -> None:
    out = psql(tgw, "select version()", "set application_name = 'report'",
               "show application_name", "begin", "select 1 as one", "commit",
               "show transaction isolation level", "select current_setting('DateStyle')",
               "reset all", "discard all")
    assert out.returncode == 0, out.stderr
    assert "PostgreSQL 15.4" in out.stdout
    assert "report" in out.stdout
    assert "read committed" in out.stdout
    assert "ISO, MDY" in out.stdout


def test_several_statements_in_one_query(tgw: ThreadedGateway) -> None:
    out = psql(tgw, "select 1 as a; select 'two' as b; show server_version")
    assert out.returncode == 0, out.stderr
    assert "two" in out.stdout and "15.4" in out.stdout


def test_verify_full_against_the_generated_ca(tgw: ThreadedGateway) -> None:
    ca = tgw.gw.tls_dir / "server.crt"
    out = psql(tgw, "select 1", conninfo=f"sslmode=verify-full sslrootcert={ca}")
    assert out.returncode == 0, out.stderr
    # The certificate names localhost and 127.0.0.1, nothing else.
    bad = psql(tgw, "select 1", conninfo=f"sslmode=verify-full sslrootcert={ca} "
                                        "hostaddr=127.0.0.1 host=example.com")
    assert bad.returncode != 0 and "does not match host name" in bad.stderr


def test_wrong_password_and_unknown_user_look_the_same(tgw: ThreadedGateway) -> None:
    wrong = psql(tgw, "select 1", password="not-the-password")
    unknown = psql(tgw, "select 1", user="nobody_here")
    assert wrong.returncode != 0 and unknown.returncode != 0
    assert 'FATAL:  password authentication failed for user "' in wrong.stderr
    assert wrong.stderr.replace(tgw.gw.user, "X") == unknown.stderr.replace("nobody_here", "X")


def test_errors_keep_the_session_usable(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    env = dict(os.environ, PGPASSWORD=gw.password)
    script = ("select * from pg_catalog.pg_nothing;\nselect 42 as answer;\n"
              "insert into orders values (1);\n")
    out = subprocess.run(
        ["psql", f"host=127.0.0.1 port={gw.port} user={gw.user} dbname=db sslmode=require", "-X"],
        input=script, capture_output=True, text=True, env=env, timeout=60,
    )
    assert 'relation "pg_catalog.pg_nothing" does not exist' in out.stderr
    assert "42" in out.stdout
    assert "read-only" in out.stderr


def test_wrong_database_is_refused(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    env = dict(os.environ, PGPASSWORD=gw.password)
    out = subprocess.run(
        ["psql", f"host=127.0.0.1 port={gw.port} user={gw.user} dbname=postgres sslmode=require",
         "-c", "select 1"], capture_output=True, text=True, env=env, timeout=60,
    )
    assert out.returncode != 0 and 'database "postgres" does not exist' in out.stderr


@pytest.fixture(scope="module")
def cleartext(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb, allow_cleartext_password=True, require_tls=True)
    yield t
    t.close()


def test_cleartext_password_only_over_tls(cleartext: ThreadedGateway) -> None:
    gw = cleartext.gw
    ok = psql(cleartext, "select 'in' as x")
    assert ok.returncode == 0, ok.stderr
    # A client that insists on SCRAM sees that cleartext was asked for (libpq >= 16).
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(gw.dsn(require_auth="scram-sha-256"))
    plain = psql(cleartext, "select 1", conninfo="sslmode=disable")
    assert plain.returncode != 0 and "requires TLS" in plain.stderr
    wrong = psql(cleartext, "select 1", password="nope")
    assert "password authentication failed" in wrong.stderr


def test_scram_without_tls_when_allowed(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn("disable", require_auth="scram-sha-256")) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        assert conn.pgconn.ssl_in_use is False
