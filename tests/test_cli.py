"""The console command: migrate, create-user and export-schema, run as a user would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from backend.core.db import make_engine, make_sessionmaker
from backend.core.services import accounts

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_migrate_then_create_user_who_can_log_in(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    assert (tmp_path / "metadata.db").exists()
    key = tmp_path / "secret.key"
    assert key.exists() and key.stat().st_mode & 0o077 == 0  # owner-only
    made = run(["create-user", "--email", "Cli@Example.com", "--name", "Cli",
                "--password", "a long cli password"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert "cli@example.com" in made.stdout

    async def log_in() -> str:
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'metadata.db'}")
        try:
            async with make_sessionmaker(engine)() as db:
                user, _ = await accounts.log_in(
                    db, accounts.LoginLimits(), email="cli@example.com",
                    password="a long cli password", client_addr=None, ttl_hours=1)
                return user.display_name
        finally:
            await engine.dispose()

    assert asyncio.run(log_in()) == "Cli"
    again = run(["create-user", "--email", "cli@example.com", "--password", "another password"],
                tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    weak = run(["create-user", "--email", "x@example.com", "--password", "short"], tmp_path)
    assert weak.returncode == 2 and "at least" in weak.stderr


def test_export_schema_matches_the_committed_sdl(tmp_path: Path) -> None:
    out = run(["export-schema"], tmp_path)
    assert out.returncode == 0
    assert out.stdout == (ROOT / "schema.graphql").read_text()


def test_unknown_subcommand_is_a_usage_error(tmp_path: Path) -> None:
    out = run(["frobnicate"], tmp_path)
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_a_malformed_setting_is_named_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "EVENT_LOOP": "twisted"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "EVENT_LOOP must be uvloop or asyncio" in done.stderr
    assert "Traceback" not in done.stderr


def test_servers_run_on_the_configured_event_loop() -> None:
    from backend import eventloop

    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert eventloop.run(loop_module(), "uvloop").startswith("uvloop")
    assert eventloop.run(loop_module(), "asyncio").startswith("asyncio")


async def test_the_suite_runs_on_the_production_loop() -> None:
    # tests/conftest.py: the async tests exercise the loop `serve` runs on.
    expected = "asyncio" if os.environ.get("EVENT_LOOP") == "asyncio" else "uvloop"
    assert type(asyncio.get_running_loop()).__module__.startswith(expected)
