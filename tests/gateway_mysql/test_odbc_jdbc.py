"""MariaDB ODBC (through pyodbc) and MariaDB Connector/J (Debian packages), over TLS."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import Gateway

CONNECTOR_J = Path("/usr/share/java/mariadb-java-client.jar")
PROBE = Path(__file__).parent / "java" / "ConnectorJProbe.java"


def _odbc_driver() -> str | None:
    try:
        import pyodbc
    except ImportError:
        return None
    return next((d for d in pyodbc.drivers() if d.startswith("MariaDB")), None)


@pytest.mark.skipif(_odbc_driver() is None, reason="odbc-mariadb (and pyodbc) not installed")
def test_odbc_queries_parameters_and_catalog(gw: Gateway) -> None:
    import pyodbc

    conn = pyodbc.connect(
        f"DRIVER={{{_odbc_driver()}}};SERVER=127.0.0.1;PORT={gw.port};DATABASE=db;"
        f"UID={gw.user};PWD={gw.password};FORCETLS=1;SSLVERIFY=0", timeout=10)
    try:
        cur = conn.cursor()
        rows = cur.execute("SELECT COUNT(*) FROM orders WHERE status = ?", "pending").fetchall()
        assert [int(r[0]) for r in rows] == [667]
        hostile = cur.execute("SELECT COUNT(*) FROM orders WHERE status = ?",
                              "pending' OR '1'='1").fetchall()
        assert [int(r[0] or 0) for r in hostile] in ([], [0])
        assert [t.table_name for t in cur.tables()] == ["orders", "secrets"]
        described = list(cur.columns(table="orders"))
        columns = [(c.column_name, c.ordinal_position) for c in described]
        assert columns[:2] == [("id", 1), ("status", 2)]
        assert "__cubeJoinField" not in [c for c, _ in columns]
        assert described[1].remarks == "dimension (string). Order status"
        # A number bound as text (what Excel and Power BI do) is compared as a number.
        assert cur.execute("SELECT COUNT(*) FROM orders WHERE id <= ?", "10").fetchone()[0] == 10
    finally:
        conn.close()


@pytest.mark.skipif(shutil.which("java") is None or not CONNECTOR_J.exists(),
                    reason="default-jdk-headless and libmariadb-java not installed")
def test_connector_j_metadata_and_prepared_statement(gw: Gateway) -> None:
    url = (f"jdbc:mariadb://127.0.0.1:{gw.port}/db?useSsl=true&trustServerCertificate=true"
           "&useServerPrepStmts=true")
    done = subprocess.run(["java", "-cp", str(CONNECTOR_J), str(PROBE), url, gw.user,
                           gw.password], capture_output=True, text=True, timeout=180,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert found["tables"] == "orders,secrets,"
    assert found["columns"].startswith("id:1,status:2,created_at:3,")
    assert found["pending"] == "667"
    assert found["hostile"] == "0"
    assert "__cubeJoinField" not in found["columns"]
    assert found["status_remarks"] == "dimension (string). Order status"
    assert found["text_number"] == "10"
