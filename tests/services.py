"""Reachability of the real database servers the suite talks to.

On a machine without them the tests that need them skip with a clear reason; under ``CI=true``
a missing service is a failure instead, so a broken CI machine can never pass by skipping.
"""

from __future__ import annotations

import os
import socket

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
MARIADB_HOST, MARIADB_PORT = "127.0.0.1", 3306
PG_ADMIN_DSN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"
PG_TEST_DSN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"
# The loop servers started by tests run on: the production one (uvloop) unless EVENT_LOOP says.
EVENT_LOOP = os.environ.get("EVENT_LOOP", "uvloop")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    """Skip (or, under CI=true, fail) when the service at host:port is not there."""
    if _reachable(host, port):
        return
    reason = f"{name} is not reachable at {host}:{port}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: required services must run)")
    pytest.skip(reason)


def require_postgres() -> None:
    require("PostgreSQL", PG_HOST, PG_PORT)


def require_mariadb() -> None:
    require("MariaDB", MARIADB_HOST, MARIADB_PORT)
