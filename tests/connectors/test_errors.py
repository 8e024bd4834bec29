"""Each way a connection can fail gives an error a person can act on — and never the password.
Failures before any database server answers all read the same ("unreachable")."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend.connectors.factory import connector_for
from backend.connectors.limits import Limits
from backend.core.errors import (
    DataSourceError,
    SourceAuthFailed,
    SourceDatabaseMissing,
    SourceUnreachable,
)
from tests.connectors.conftest import FAST, PasswordServer, closed_port
from tests.services import require_mariadb, require_postgres

SECRET = "s3cret-Pa55word-xyz"
DEFAULT_PORTS = {"POSTGRES": 5432, "MYSQL": 3306}
USERS = {"POSTGRES": "postgres", "MYSQL": "root"}
DATABASES = {"POSTGRES": "test", "MYSQL": "test"}
SERVERS = ["POSTGRES", "MYSQL"]


def _require(type_: str) -> None:
    (require_postgres if type_ == "POSTGRES" else require_mariadb)()


def _params(type_: str, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": DEFAULT_PORTS[type_],
        "database": DATABASES[type_],
        "user": USERS[type_],
        "password": SECRET,
    }
    params.update(overrides)
    return params


async def _check_fails(type_: str, params: dict[str, Any], limits: Limits = FAST) -> Exception:
    connector = connector_for(type_, params, limits=limits)
    try:
        with pytest.raises(DataSourceError) as info:
            await connector.check()
    finally:
        await connector.close()
    error = info.value
    assert SECRET not in str(error)
    assert SECRET not in (error.hint or "")
    assert SECRET not in repr(error.args)
    return error


@pytest.fixture
async def chatty_port() -> AsyncIterator[int]:
    """A loopback port where something that is no database answers and hangs up."""

    async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("type_", SERVERS)
async def test_every_failure_to_reach_a_server_reads_the_same(
    type_: str, silent_port: int, chatty_port: int
) -> None:
    """Refused, filtered (silent), timed out, not a database, no such host, denied by the
    network policy: one answer, so checkConnection is no port scanner."""
    limits = Limits(connect_timeout=0.5, statement_timeout=5)
    cases = {
        "refused": _params(type_, port=closed_port()),
        "silent": _params(type_, port=silent_port),
        "not a database": _params(type_, port=chatty_port),
        "unknown host": _params(type_, host="no-such-host.invalid"),
        "cloud metadata": _params(type_, host="169.254.169.254", port=80),
    }
    answers = set()
    for case, params in cases.items():
        error = await _check_fails(type_, params, limits)
        assert type(error) is SourceUnreachable, (case, error)
        where = f"{params['host']}:{params['port']}"
        assert where in str(error), case
        answers.add((str(error).replace(where, "<where>"), error.hint, error.field,
                     error.code, error.sqlstate))
    assert len(answers) == 1, answers
    assert next(iter(answers))[4] == "08001"


@pytest.mark.parametrize("type_", SERVERS)
async def test_missing_database(type_: str) -> None:
    _require(type_)
    name = f"missing_{uuid.uuid4().hex[:8]}"
    params = _params(type_, database=name)
    if type_ == "MYSQL":
        params["password"] = ""  # root has no password; with one, auth fails first
    connector = connector_for(type_, params, limits=FAST)
    try:
        with pytest.raises(SourceDatabaseMissing) as info:
            await connector.check()
    finally:
        await connector.close()
    assert name in str(info.value)
    assert info.value.field == "database"


async def test_mysql_wrong_password() -> None:
    require_mariadb()
    import pymysql

    user = f"conn_pw_{uuid.uuid4().hex[:8]}"
    admin = pymysql.connect(host="127.0.0.1", user="root", password="", autocommit=True)
    with admin.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'right-password'")
        cur.execute(f"GRANT SELECT ON test.* TO '{user}'@'%'")
    try:
        error = await _check_fails("MYSQL", _params("MYSQL", user=user, password=SECRET))
        assert type(error) is SourceAuthFailed
        assert user in str(error)
        connector = connector_for(
            "MYSQL", _params("MYSQL", user=user, password="right-password"), limits=FAST
        )
        try:
            await connector.check()  # the same user with the right password gets in
        finally:
            await connector.close()
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP USER '{user}'@'%'")
        admin.close()


async def test_postgres_wrong_password(pg_password_server: PasswordServer) -> None:
    server = pg_password_server
    params = _params(
        "POSTGRES", port=server.port, user=server.user, database="postgres", password=SECRET
    )
    error = await _check_fails("POSTGRES", params)
    assert type(error) is SourceAuthFailed
    assert "password authentication failed" in str(error)
    assert error.field == "password"
    params["password"] = server.password
    connector = connector_for("POSTGRES", params, limits=FAST)
    try:
        await connector.check()
        # ...and its missing database is told apart from a wrong password.
        missing = connector_for("POSTGRES", {**params, "database": "nope"}, limits=FAST)
        with pytest.raises(SourceDatabaseMissing):
            await missing.check()
        await missing.close()
    finally:
        await connector.close()


@pytest.mark.parametrize("type_", ["SQLITE", "DUCKDB"])
async def test_missing_file(type_: str, tmp_path: Any) -> None:
    connector = connector_for(type_, {"path": str(tmp_path / "nope.db")})
    try:
        with pytest.raises(SourceDatabaseMissing) as info:
            await connector.check()
    finally:
        await connector.close()
    assert "nope.db" in str(info.value)
    assert "does not exist" in str(info.value)


@pytest.mark.parametrize("type_", ["SQLITE", "DUCKDB"])
async def test_file_of_another_kind(type_: str, tmp_path: Any) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just some words\n" * 100)
    connector = connector_for(type_, {"path": str(path)})
    try:
        with pytest.raises(DataSourceError) as info:
            await connector.check()
    finally:
        await connector.close()
    assert type(info.value) is DataSourceError
    assert "is not a" in str(info.value)


@pytest.mark.parametrize("type_", SERVERS)
@pytest.mark.parametrize("mode", ["require", "verify-full", True])
async def test_tls_required_but_not_offered(type_: str, mode: object) -> None:
    """The shared servers run without TLS: asking for it must fail, never fall back."""
    _require(type_)
    params = _params(type_, ssl=mode, password="")
    error = await _check_fails(type_, params)
    assert type(error) is DataSourceError
    assert error.field == "ssl"
    assert "does not accept TLS" in str(error)


async def test_postgres_tls_modes(pg_password_server: PasswordServer) -> None:
    server = pg_password_server
    params = _params(
        "POSTGRES",
        port=server.port,
        user=server.user,
        database="postgres",
        password=server.password,
    )
    encrypted = connector_for("POSTGRES", {**params, "ssl": "require"}, limits=FAST)
    try:
        await encrypted.check()
        result = await encrypted.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        try:
            rows = [row async for batch in result.rows() for row in batch]
        finally:
            await result.close()
        assert rows == [(True,)]
    finally:
        await encrypted.close()
    # A self-signed certificate cannot be verified.
    error = await _check_fails("POSTGRES", {**params, "ssl": "verify-full"})
    assert type(error) is DataSourceError
    assert error.field == "ssl"
    assert "could not be verified" in str(error)
