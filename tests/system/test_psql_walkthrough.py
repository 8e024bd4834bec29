"""The README's path, for real: sign up, demo data, a credential, then psql and psycopg.

Everything goes through the running ``metricsql serve`` process: GraphQL over HTTP, the
PostgreSQL gateway over TLS, the change feed ending sessions when a credential goes away.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from typing import Any

import pytest

from tests.system.conftest import Server

SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) {
  __typename ... on AuthPayload { viewer { id teams { id } } } ... on UserError { message } } }"""
DEMO = """mutation($input: CreateDemoDataSourceInput!) { createDemoDataSource(input: $input) {
  __typename ... on DataSource { id models { files { name } } } ... on UserError { code message }
} }"""
MEMBERS = """query($id: ID!) { team(id: $id) { members { id } } }"""
CREATE = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { password credential { id username
    connection { postgres { host port database username command } } } }
  ... on UserError { code message } } }"""
DELETE = """mutation($input: DeleteSqlCredentialInput!) { deleteSqlCredential(input: $input) {
  __typename ... on UserError { code message } } }"""


@pytest.fixture(scope="module")
def credential(server: Server) -> dict[str, Any]:
    return new_credential(server)


@pytest.fixture
def fresh_credential(server: Server) -> dict[str, Any]:
    return new_credential(server)


def new_credential(server: Server) -> dict[str, Any]:
    """Sign up, add the demo data with its models, and create a credential for oneself."""
    with server.client() as http:
        r = server.gql(http, SIGN_UP, input={"email": f"w-{uuid.uuid4().hex[:6]}@example.com",
                                            "password": "walkthrough-password",
                                            "displayName": "Walker"})
        team_id = r["signUp"]["viewer"]["teams"][0]["id"]
        ds = server.gql(http, DEMO, input={"teamId": team_id})["createDemoDataSource"]
        assert ds["__typename"] == "DataSource", ds
        assert {"orders.yml", "order_items.yml"} <= {f["name"] for f in ds["models"]["files"]}
        member = server.gql(http, MEMBERS, id=team_id)["team"]["members"][0]["id"]
        cred = server.gql(http, CREATE, input={"memberId": member,
                                               "dataSourceId": ds["id"]})["createSqlCredential"]
        assert cred["__typename"] == "SqlCredentialSecret", cred
        return {"http_cookies": dict(http.cookies), "team_id": team_id, **cred}


def test_psql_command_from_the_dialog_runs_a_query(server: Server,
                                                   credential: dict[str, Any]) -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql (postgresql-client) is not installed")
    info = credential["credential"]["connection"]["postgres"]
    host, user = info["host"], info["username"]
    assert info["command"] == (f'psql "host={host} port={server.pg_port} dbname=db '
                               f'user={user} sslmode=require"')
    # The command as shown, with only the password added (no PGSSLMODE from the caller).
    env = {**os.environ, "PGPASSWORD": credential["password"]}
    command = shlex.split(info["command"])
    out = subprocess.run(
        [*command, "-At", "-c",
         "SELECT status, MEASURE(count) FROM orders GROUP BY 1 ORDER BY 1"],
        env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [line.split("|") for line in out.stdout.strip().splitlines()]
    assert rows and all(int(count) > 0 for _, count in rows)
    listing = subprocess.run([*command, "-At", "-c", r"\dt"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert "orders" in listing.stdout


def test_psql_command_with_a_wrong_password_reports_only_that(
        server: Server, credential: dict[str, Any]) -> None:
    """libpq's default sslmode=prefer retries a failed login in plaintext, so a wrong password
    printed a second error about TLS; the command's own sslmode=require leaves one error."""
    if shutil.which("psql") is None:
        pytest.skip("psql (postgresql-client) is not installed")
    info = credential["credential"]["connection"]["postgres"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    out = subprocess.run([*shlex.split(info["command"]), "-At", "-c", "SELECT 1"],
                         env={**env, "PGPASSWORD": "not-the-password"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "password authentication failed" in out.stderr, out.stderr
    assert "TLS" not in out.stderr and "sslmode" not in out.stderr, out.stderr


def test_deleting_the_credential_ends_its_session(server: Server,
                                                  credential: dict[str, Any]) -> None:
    import psycopg

    username = credential["credential"]["username"]
    conninfo = (f"host=127.0.0.1 port={server.pg_port} dbname=db user={username} "
                f"password={credential['password']} sslmode=require")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        total = conn.execute("SELECT MEASURE(count) FROM orders").fetchone()
        assert total is not None and total[0] > 0
        with server.client() as http:
            http.cookies.update(credential["http_cookies"])
            r = server.gql(http, DELETE, input={"id": credential["credential"]["id"]})
            assert r["deleteSqlCredential"]["__typename"] == "SqlCredential", r
        deadline = time.monotonic() + 10
        with pytest.raises(psycopg.OperationalError):
            while time.monotonic() < deadline:
                conn.execute("SELECT 1")
                time.sleep(0.05)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(conninfo)


def test_mysql_command_from_the_dialog_runs_a_query(server: Server, tmp_path: Any) -> None:
    if shutil.which("mysql") is None:
        pytest.skip("the mysql client (mariadb-client) is not installed")
    with server.client() as http:
        r = server.gql(http, SIGN_UP, input={"email": f"m-{uuid.uuid4().hex[:6]}@example.com",
                                            "password": "walkthrough-password",
                                            "displayName": "Maria"})
        team_id = r["signUp"]["viewer"]["teams"][0]["id"]
        ds = server.gql(http, DEMO, input={"teamId": team_id})["createDemoDataSource"]
        member = server.gql(http, MEMBERS, id=team_id)["team"]["members"][0]["id"]
        cred = server.gql(http, CREATE_MYSQL, input={"memberId": member,
                                                     "dataSourceId": ds["id"]})
    secret = cred["createSqlCredential"]
    info = secret["credential"]["connection"]["mysql"]
    assert info["command"] == (f"mysql -h {info['host']} -P {server.mysql_port} "
                               f"-u {info['username']} -p --ssl db")
    # The dialog's command with -p prompts; the same flags with the password from the
    # environment run unattended (TLS comes from the command's own --ssl).
    args = [a for a in info["command"].split() if a != "-p"]
    out = subprocess.run(
        [*args, "--batch", "-e", "SELECT status, MEASURE(count) FROM orders GROUP BY 1"],
        env={**os.environ, "MYSQL_PWD": secret["password"]}, capture_output=True, text=True,
        timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].split("\t")[0] == "status" and len(lines) > 2


CREATE_MYSQL = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { password credential { id username
    connection { mysql { host port database username command } } } }
  ... on UserError { code message } } }"""


AUDIT = """query($t: ID!) { auditEvents(teamId: $t) { action target detail clientAddr } }"""


def test_logins_are_audited_with_protocol_and_address(
    server: Server, fresh_credential: dict[str, Any]
) -> None:
    credential = fresh_credential
    import psycopg

    username = credential["credential"]["username"]
    base = f"host=127.0.0.1 port={server.pg_port} dbname=db user={username} sslmode=require"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(base + " password=wrong-password")
    with psycopg.connect(base + f" password={credential['password']}") as conn:
        conn.execute("SELECT 1")
    with server.client() as http:
        http.cookies.update(credential["http_cookies"])
        deadline = time.monotonic() + 10
        while True:  # the audit is written off the login path, shortly after
            events = server.gql(http, AUDIT, t=credential["team_id"])["auditEvents"]
            logins = [e for e in events if e["target"] == username
                      and e["action"].startswith("sql.login")]
            if len(logins) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    actions = {e["action"] for e in logins}
    assert {"sql.login_failed", "sql.login_succeeded"} <= actions, logins
    assert all(e["clientAddr"] == "127.0.0.1" and e["detail"]["protocol"] == "postgres"
               for e in logins)


def test_plaintext_logins_are_refused_by_default(server: Server,
                                                  fresh_credential: dict[str, Any]) -> None:
    import psycopg

    username = fresh_credential["credential"]["username"]
    conninfo = (f"host=127.0.0.1 port={server.pg_port} dbname=db user={username} "
                f"password={fresh_credential['password']}")
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(conninfo + " sslmode=disable")
    assert "SSL" in str(refused.value) or "TLS" in str(refused.value)
    with psycopg.connect(conninfo + " sslmode=require") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
