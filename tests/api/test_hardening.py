"""Hardening of the web tier (issue 12, finding 6): file modes, cookies, headers, logs."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.core.db import make_engine, migrate
from backend.core.settings import load_settings
from tests.api.conftest import LOG_IN, PASSWORD, SIGN_UP, unique_email
from tests.api.live import LiveServer, gql, serve


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_metadata_and_secret_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask: files would be 0644 without care
    try:
        data = tmp_path / "var"
        settings = load_settings({"DATA_DIR": str(data)})
        migrate(settings.database_url)

        async def touch() -> None:
            engine = make_engine(settings.database_url)
            async with engine.begin() as conn:
                await conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
            await engine.dispose()

        asyncio.run(touch())
        from gateway.tls import context_from_settings

        context_from_settings(settings)
    finally:
        os.umask(old)
    assert mode(data) == 0o700
    assert mode(data / "metadata.db") == 0o600
    assert mode(data / "secret.key") == 0o600
    assert mode(data / "tls" / "server.key") == 0o600
    for extra in ("metadata.db-wal", "metadata.db-shm"):
        if (data / extra).exists():
            assert mode(data / extra) == 0o600, extra


def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "secret.key").write_text("k" * 40)
    os.chmod(data / "secret.key", 0o644)
    (data / "metadata.db").write_bytes(b"")
    os.chmod(data / "metadata.db", 0o644)
    settings = load_settings({"DATA_DIR": str(data)})
    migrate(settings.database_url)
    assert (mode(data), mode(data / "secret.key"), mode(data / "metadata.db")) == (
        0o700, 0o600, 0o600)


@pytest.fixture
def https_server(metadata_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    yield from serve(metadata_url, tmp_path, PUBLIC_URL="https://metrics.example.com")


def _set_cookies(headers: list[tuple[str, str]]) -> list[str]:
    return [v for k, v in headers if k.lower() == "set-cookie"]


def test_cookies_are_secure_when_the_public_url_is_https(https_server: LiveServer) -> None:
    with https_server.client() as c:
        r = c.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
            "email": unique_email(), "password": PASSWORD, "displayName": "Ann"}}})
        cookies = _set_cookies(r.headers.multi_items())
        assert r.headers["strict-transport-security"] == "max-age=31536000"
    assert {c.split("=", 1)[0] for c in cookies} == {"msql_session", "msql_device"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_cookies_are_not_secure_on_plain_http(metadata_url: str, tmp_path: Path) -> None:
    for server in serve(metadata_url, tmp_path):
        with server.client() as c:
            r = c.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
                "email": unique_email(), "password": PASSWORD, "displayName": "Ann"}}})
            cookies = _set_cookies(r.headers.multi_items())
            assert "strict-transport-security" not in r.headers
        assert cookies and all("Secure" not in c for c in cookies)


def test_security_headers_on_every_answer(https_server: LiveServer) -> None:
    with https_server.client() as c:
        answers = (c.get("/"), c.get("/healthz"),
                   c.post("/graphql", json={"query": "{ __typename }"}),
                   c.post("/graphql", json={"query": "{ __typename }"},
                          headers={"Origin": "https://evil.example"}))
        for r in answers:
            assert r.headers["content-security-policy"].startswith("default-src 'self'; "
                                                                   "script-src 'self';")
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"


def test_no_password_token_or_statement_in_logs_at_info(
    metadata_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "a-very-secret-password-" + unique_email()
    with caplog.at_level(logging.INFO):
        for server in serve(metadata_url, tmp_path):
            with server.client() as c:
                email = unique_email()
                gql(c, SIGN_UP, input={"email": email, "password": secret, "displayName": "A"})
                token = c.cookies.get("msql_session")
                gql(c, LOG_IN, input={"email": email, "password": secret + "x"})
                gql(c, LOG_IN, input={"email": email, "password": secret})
                gql(c, "{ viewer { id } }")
    text = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert token and token not in text
    assert secret not in text
    assert "FROM users" not in text and "token_hash" not in text  # no statement text
