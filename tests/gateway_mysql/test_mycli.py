"""mycli, for real (issue 14): its start-up and completion metadata, ``\\s``, ``\\dt``, and
``-e`` from the command line.

mycli pins an older sqlglot than the engine, so it lives in its own virtualenv
(``.venv-mycli``, ``make mycli``, locked in ``tools/mycli.lock``); ``tools/mycli_probe.py`` runs
there and drives mycli's own ``SQLExecute``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import Gateway

ROOT = Path(__file__).resolve().parents[2]
MYCLI_VENV = Path(os.environ.get("MYCLI_VENV", ROOT / ".venv-mycli"))
PROBE = Path(__file__).parent / "tools" / "mycli_probe.py"


def _require_mycli() -> None:
    if (MYCLI_VENV / "bin" / "mycli").exists():
        return
    reason = f"mycli is not installed in {MYCLI_VENV} (run `make mycli`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _env(tmp_path: Path) -> dict[str, str]:
    # A HOME of its own: no ~/.myclirc, history or login path of the machine's user.
    return {**os.environ, "HOME": str(tmp_path), "TERM": "dumb"}


@pytest.fixture
def probe(gw: Gateway, tmp_path: Path) -> dict[str, Any]:
    _require_mycli()
    done = subprocess.run(
        [str(MYCLI_VENV / "bin" / "python"), str(PROBE), "127.0.0.1", str(gw.port), gw.user,
         gw.password, str(gw.tls_dir / "server.crt")],
        capture_output=True, text=True, timeout=60, env=_env(tmp_path), check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_completion_metadata(probe: dict[str, Any]) -> None:
    assert probe["server_info"] == "MySQL 8.0.36"
    assert probe["databases"] == [["information_schema"], ["db"]]
    assert probe["tables"] == [["orders"], ["secrets"]]
    assert probe["table_columns"] == [
        ["orders", "id"], ["orders", "status"], ["orders", "created_at"], ["orders", "count"],
        ["orders", "amount"], ["secrets", "id"], ["secrets", "code"], ["secrets", "count"]]
    assert probe["indexed_columns"] == [["orders", "id"], ["secrets", "id"]]
    assert probe["functions"] == probe["procedures"] == probe["foreign_keys"] == []
    assert ["utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", "4"] in probe["character_sets"]
    assert probe["collations"][0][:3] == ["utf8mb4_general_ci", "utf8mb4", "45"]
    # mysql.user / mysql.help_topic: refused as MySQL refuses a plain user (mycli carries on).
    assert probe["users"] == [] and probe["show_candidates"] == []
    assert len(probe["now"]) == 1


def test_status_command(probe: dict[str, Any]) -> None:
    (status,) = probe["\\s"]
    settings = dict(status["rows"])
    assert settings["Protocol version:"] == "10"
    assert settings["Server version:"] == "8.0.36-metricsql metricsql SQL API"
    assert settings["Current database:"] == "db"
    assert settings["SSL:"].startswith("Cipher in use is ")
    assert settings["SSL/TLS version:"].startswith("TLSv1.")
    assert settings["Server characterset:"] == "utf8mb4"
    assert settings["Uptime:"].endswith("sec") or "min" in settings["Uptime:"]


def test_list_and_describe(probe: dict[str, Any]) -> None:
    assert probe["\\dt"][0]["rows"] == [["orders"], ["secrets"]]
    (described,) = probe["\\dt orders"]  # SHOW FIELDS FROM orders
    assert described["header"] == ["Field", "Type", "Null", "Key", "Default", "Extra"]
    assert [r[0] for r in described["rows"]] == ["id", "status", "created_at", "count", "amount"]
    assert probe["\\l"][0]["rows"] == [["information_schema"], ["db"]]
    query = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"
    assert probe[query][0]["rows"] == [["completed", "333"], ["pending", "667"]]


def test_execute_from_the_command_line(gw: Gateway, tmp_path: Path) -> None:
    _require_mycli()
    done = subprocess.run(
        [str(MYCLI_VENV / "bin" / "mycli"), "--myclirc", os.devnull, "-h", "127.0.0.1",
         "-P", str(gw.port), "-u", gw.user, "-p", gw.password, "--ssl-mode", "on",
         "--ssl-ca", str(gw.tls_dir / "server.crt"), "-D", "db", "--csv",
         "-e", "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"],
        capture_output=True, text=True, timeout=60, env=_env(tmp_path), stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['"status","n"', '"completed","333"', '"pending","667"']
