"""Login throttling and credential changes, on a gateway of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from backend.core.ratelimit import FailureLimiter

from .conftest import ThreadedGateway
from .rawclient import RawClient
from .test_pymysql import connect


@pytest.fixture
def strict(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb,
                        limiter=FailureLimiter(max_failures=2, window_seconds=600))
    yield t
    t.close()


def test_failed_logins_are_throttled(strict: ThreadedGateway) -> None:
    gw = strict.gw
    for _ in range(2):
        with pytest.raises(pymysql.err.OperationalError) as info:
            connect(gw, password="guess")
        assert info.value.args[0] == 1045
    # Now even the right password is refused before it is checked.
    with pytest.raises(pymysql.err.OperationalError) as info:
        connect(gw)
    assert "Too many failed logins" in info.value.args[1]
    actions = [a for a, detail in strict.events if detail.get("username") == gw.user]
    assert actions == ["login_failed", "login_failed", "login_rate_limited"]


def test_logins_are_audited(strict: ThreadedGateway) -> None:
    gw = strict.gw
    connect(gw).close()
    (event,) = [d for a, d in strict.events if a == "login"]
    assert event["username"] == gw.user and event["protocol"] == "mysql"
    assert event["credential_id"] == "cred-" + gw.user
    assert gw.grants.syncs >= 1  # the credential cache was brought up to date at login


def test_rotated_password_ends_open_sessions(strict: ThreadedGateway) -> None:
    gw = strict.gw
    conn = connect(gw)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        user, _ = strict.add_user()
        gw.grants.grants[gw.user] = gw.grants.grants[user]  # a different verifier
        with pytest.raises(pymysql.err.MySQLError) as info, conn.cursor() as cur:
            cur.execute("SELECT 1")
        assert info.value.args[0] == 1927
    finally:
        conn.close()


def test_connection_limit_and_login_timeout(tls_dir: Path, demo_duckdb: Path) -> None:
    t = ThreadedGateway(tls_dir, demo_duckdb, max_connections=1, login_timeout=0.5)
    try:
        first = connect(t.gw)
        try:
            with pytest.raises(pymysql.err.OperationalError) as info:
                connect(t.gw)
            assert info.value.args[0] == 1040
        finally:
            first.close()
        idle = RawClient(t.gw.port)  # receives the handshake, then says nothing
        try:
            assert idle.read_all_until_closed() == []  # dropped by the login timeout
        finally:
            idle.close()
    finally:
        t.close()
