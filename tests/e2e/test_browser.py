"""The browser end to end: a real server, Debian's headless Chromium, a real psycopg login.

Starts ``metricsql serve`` on free loopback ports with a fresh DATA_DIR, then runs
``frontend/e2e/flow.mjs`` (playwright-core), which signs up, walks the onboarding with the
demo data, copies the credentials, and calls ``tests.e2e.sql_login`` to connect with them
before and after editing, rotating and deleting the credential in Settings > SQL API.
Screenshots land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SERVER = ROOT / ".venv" / "bin" / "metricsql"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Generous bounds for start-up (the demo data is generated on first start) and the whole
# flow on a 2-core machine; they only stop a hung run, they measure nothing.
STARTUP_LIMIT_S = 180.0
FLOW_LIMIT_S = 600.0

pytestmark = pytest.mark.slow


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    if not SERVER.exists():
        _missing(f"{SERVER} is not installed")
    if not (FRONTEND / "dist" / "index.html").exists():
        _missing("frontend/dist is not built (cd frontend && npm run build)")
    web_port = _free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "BIND_HOST": "127.0.0.1",
        "PUBLIC_HOST": "127.0.0.1",
        "WEB_PORT": str(web_port),
        "PG_PORT": str(_free_port()),
        "MYSQL_PORT": str(_free_port()),
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(SERVER), "serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{web_port}"
        try:
            deadline = time.monotonic() + STARTUP_LIMIT_S
            while not _healthy(f"{base}/healthz"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not become healthy:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.25)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            sys.stdout.write(f"--- server log (tail) ---\n{log_path.read_text()[-3000:]}\n")


@pytest.fixture
def shop_sqlite(tmp_path: Path) -> Path:
    """A second data source for the flow to move the credential to.

    It lives in DATA_DIR: the server opens data-source files only inside allowed folders.
    """
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "data" / "shop.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL)")
        conn.executemany(
            "INSERT INTO products (name, price) VALUES (?, ?)", [("lamp", 20.0), ("desk", 150.0)]
        )
    return path


def test_signup_onboarding_credentials_lifecycle(server: str, shop_sqlite: Path) -> None:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not (FRONTEND / "node_modules" / "playwright-core").exists():
        _missing("frontend/node_modules is not installed (cd frontend && npm ci)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    env = {
        **os.environ,
        "E2E_BASE_URL": server,
        "E2E_SQL_CHECK": f"{sys.executable} -m tests.e2e.sql_login",
        "E2E_SQL_CHECK_CWD": str(ROOT),
        "E2E_SQLITE_PATH": str(shop_sqlite),
        "E2E_SCREENSHOTS": str(SCREENSHOTS),
        "CHROMIUM_PATH": str(CHROMIUM),
    }
    result = subprocess.run(
        ["node", "e2e/flow.mjs"],
        cwd=FRONTEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=FLOW_LIMIT_S,
        check=False,
    )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"browser flow failed:\n{output}"
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 10


def test_teams_wizard_reloads_console_and_invited_member(server: str) -> None:
    """frontend/e2e/teams.mjs: the wizard reloaded at every step, one demo source, the query
    console, the invited member's path to their own credential, the team switcher."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not (FRONTEND / "node_modules" / "playwright-core").exists():
        _missing("frontend/node_modules is not installed (cd frontend && npm ci)")
    shots = SCREENSHOTS / "teams"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    env = {
        **os.environ,
        "E2E_BASE_URL": server,
        "E2E_SQL_CHECK": f"{sys.executable} -m tests.e2e.sql_login",
        "E2E_SQL_CHECK_CWD": str(ROOT),
        "E2E_SCREENSHOTS": str(SCREENSHOTS),
        "CHROMIUM_PATH": str(CHROMIUM),
    }
    result = subprocess.run(["node", "e2e/teams.mjs"], cwd=FRONTEND, env=env,
                            capture_output=True, text=True, timeout=FLOW_LIMIT_S, check=False)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"browser flow failed:\n{output}"
    names = {p.stem for p in shots.glob("*.png")}
    # Every screen at desktop and at 390 px.
    assert len([n for n in names if n.endswith("-phone")]) >= 8, sorted(names)
