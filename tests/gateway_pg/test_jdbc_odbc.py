"""pgjdbc (Debian libpostgresql-jdbc-java) and psqlODBC via pyodbc (the Excel/Power BI path)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gateway_pg.conftest import ThreadedGateway

JDBC_JAR = Path("/usr/share/java/postgresql.jar")
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def probe_classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not JDBC_JAR.is_file() or shutil.which("javac") is None:
        pytest.skip("pgjdbc (libpostgresql-jdbc-java) or a JDK is not installed")
    out = tmp_path_factory.mktemp("java")
    subprocess.run(["javac", "-d", str(out), str(HERE / "java" / "MetaProbe.java")],
                   check=True, timeout=120)
    return out


def test_pgjdbc_metadata_and_prepared_statement(tgw: ThreadedGateway, probe_classes: Path) -> None:
    gw = tgw.gw
    out = subprocess.run(
        ["java", "-cp", f"{probe_classes}:{JDBC_JAR}", "MetaProbe",
         f"jdbc:postgresql://127.0.0.1:{gw.port}/db", gw.user, gw.password],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "product=PostgreSQL 15.4" in lines
    assert "table=orders remarks=Customer orders" in lines
    assert "table=secrets remarks=null" in lines
    assert [ln for ln in lines if ln.startswith("column=")] == [
        "column=id:int8:-5", "column=status:text:12", "column=created_at:timestamp:93",
        "column=count:int8:-5", "column=amount:numeric:2",
    ]
    assert "pk=id" in lines
    assert "schema=public" in lines
    assert "prepared=int4" in lines
    assert any(ln.startswith("fetched=") and int(ln.split("=")[1]) >= 8 for ln in lines)


def test_psqlodbc_through_pyodbc(tgw: ThreadedGateway) -> None:
    pyodbc = pytest.importorskip("pyodbc")
    if "PostgreSQL Unicode" not in pyodbc.drivers():
        pytest.skip("psqlODBC (odbc-postgresql) is not installed")
    gw = tgw.gw
    conn = pyodbc.connect(
        f"DRIVER={{PostgreSQL Unicode}};SERVER=127.0.0.1;PORT={gw.port};DATABASE=db;"
        f"UID={gw.user};PWD={gw.password};SSLmode=require", timeout=10,
    )
    try:
        cur = conn.cursor()
        tables = [r.table_name for r in cur.tables(schema="public", tableType="TABLE")]
        assert tables == ["orders", "secrets"]
        cols = [(r.column_name, r.type_name) for r in cur.columns(table="orders")]
        assert cols[0] == ("id", "int8") and ("status", "text") in cols
        assert [r.column_name for r in cur.primaryKeys("orders")] == ["id"]
        cur.execute("select typname from pg_type where oid = ?", 25)
        assert cur.fetchone()[0] == "text"
    finally:
        conn.close()
