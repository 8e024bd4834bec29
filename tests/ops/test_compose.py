"""docker-compose.yml is valid Compose and has the production shape: PostgreSQL metadata, one
``--only web`` service and a replicated ``--only gateway`` service.

Validated by the Compose CLI itself (``docker compose config``, or Debian's ``docker-compose``
that .ci/run installs where the plugin is missing); no daemon is needed for ``config``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV = {"METADATA_DB_PASSWORD": "compose-test-pw", "SECRET_KEY": "compose-test-key"}


def compose_cli() -> list[str]:
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if os.environ.get("CI") == "true":
        pytest.fail("no Compose CLI: .ci/run installs Debian's docker-compose")
    pytest.skip("no Compose CLI (docker compose plugin or docker-compose) on this machine")


def config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ENV}
    return subprocess.run([*compose_cli(), "-f", str(ROOT / "docker-compose.yml"), "config"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
                          timeout=60)


def test_compose_file_validates_and_has_the_production_shape() -> None:
    out = config(ENV)
    assert out.returncode == 0, out.stderr
    services: dict[str, Any] = yaml.safe_load(out.stdout)["services"]
    assert services["web"]["command"][:4] == ["metricsql", "serve", "--only", "web"]
    assert services["gateway"]["command"][:4] == ["metricsql", "serve", "--only", "gateway"]
    assert int(services["gateway"]["deploy"]["replicas"]) >= 2
    for name in ("web", "gateway"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://"), name
        assert env["SECRET_KEY"] == ENV["SECRET_KEY"]
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])
    assert services["metadata"]["image"].startswith("postgres:")


def test_compose_refuses_to_start_without_the_secrets() -> None:
    out = config({})
    assert out.returncode != 0
    assert "METADATA_DB_PASSWORD" in out.stderr or "SECRET_KEY" in out.stderr
