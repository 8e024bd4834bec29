"""Parameters the client leaves untyped (psqlODBC, pgjdbc ``stringtype=unspecified``): their
types are inferred from where they are used, reported in ParameterDescription, and their text
values converted — compared with the real PostgreSQL over the same table."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gateway_pg.conftest import ThreadedGateway
from tests.gateway_pg.mirror import (
    Libpq,
    LibpqError,
    direct_dsn,
    mirror_gateway,
    pg_mirror_schema,
)

# statement, text values (as psqlODBC sends them: format 0, type 0)
CASES: list[tuple[str, list[str]]] = [
    ("SELECT count(*) FROM orders WHERE 1 = $1", ["1"]),
    ("SELECT count(*) FROM orders WHERE id < $1", ["5"]),
    ("SELECT count(*) FROM orders WHERE $1 > id", ["5"]),
    ("SELECT count(*) FROM orders WHERE qty = $1", ["2"]),
    ("SELECT count(*) FROM orders WHERE big = $1", ["20000000000"]),
    ("SELECT count(*) FROM orders WHERE price = $1", ["2.50"]),
    ("SELECT count(*) FROM orders WHERE ratio > $1", ["12.5"]),
    ("SELECT count(*) FROM orders WHERE status = $1", ["pending"]),
    ("SELECT count(*) FROM orders WHERE status LIKE $1", ["comp%"]),
    ("SELECT count(*) FROM orders WHERE created_at < $1", ["2024-01-02 00:00:00"]),
    ("SELECT count(*) FROM orders WHERE day <= $1", ["2024-01-05"]),
    ("SELECT count(*) FROM orders WHERE day < $1", ["2024-01-05 10:00:00"]),
    ("SELECT id FROM orders ORDER BY id LIMIT $1 OFFSET $2", ["3", "2"]),
    ("SELECT count(*) FROM orders WHERE id < $1 + 1", ["5"]),
    ("SELECT count(*) FROM orders WHERE id IN ($1, $2)", ["3", "7"]),
    ("SELECT count(*) FROM orders WHERE id BETWEEN $1 AND $2", ["3", "7"]),
    ("SELECT count(*) FROM orders WHERE qty = $1 AND status = $2", ["1", "pending"]),
    ("SELECT status, count(*) FROM orders GROUP BY status HAVING count(*) > $1 "
     "ORDER BY status", ["100"]),
]


@pytest.fixture(scope="module")
def mirror_schema() -> Iterator[str]:
    yield from pg_mirror_schema("params")


@pytest.fixture(scope="module")
def mirror(tls_dir: Path, demo_duckdb: Path, mirror_schema: str) -> Iterator[ThreadedGateway]:
    yield from mirror_gateway(tls_dir, demo_duckdb, mirror_schema)


@pytest.fixture(scope="module")
def ours(mirror: ThreadedGateway) -> Iterator[Libpq]:
    client = Libpq(mirror.gw.dsn())
    yield client
    client.close()


@pytest.fixture(scope="module")
def theirs(mirror_schema: str) -> Iterator[Libpq]:
    client = Libpq(direct_dsn(mirror_schema))
    yield client
    client.close()


@pytest.mark.parametrize(("sql", "values"), CASES, ids=[c[0] for c in CASES])
def test_parameter_description_matches_postgres(
    ours: Libpq, theirs: Libpq, sql: str, values: list[str]
) -> None:
    assert ours.param_types(sql) == theirs.param_types(sql)


@pytest.mark.parametrize(("sql", "values"), CASES, ids=[c[0] for c in CASES])
def test_untyped_text_values_answer_as_postgres(
    ours: Libpq, theirs: Libpq, sql: str, values: list[str]
) -> None:
    our_rows, _ = ours.run(sql, values)
    their_rows, _ = theirs.run(sql, values)
    assert our_rows == their_rows
    assert our_rows


@pytest.mark.parametrize(("sql", "value"), [
    ("SELECT count(*) FROM orders WHERE id < $1", "abc"),
    ("SELECT count(*) FROM orders WHERE day <= $1", "not a date"),
    ("SELECT count(*) FROM orders WHERE qty = $1", "1.5"),
    ("SELECT count(*) FROM orders WHERE qty = $1", "70000"),
    ("SELECT id FROM orders LIMIT $1", "x"),
])
def test_invalid_text_for_the_inferred_type_fails_as_postgres(
    ours: Libpq, theirs: Libpq, sql: str, value: str
) -> None:
    with pytest.raises(LibpqError) as their_err:
        theirs.run(sql, [value])
    with pytest.raises(LibpqError) as our_err:
        ours.run(sql, [value])
    assert our_err.value.sqlstate == their_err.value.sqlstate
    assert "$1" in our_err.value.message  # which parameter was wrong
    ours.run("SELECT 1", [])  # and the connection goes on


def _odbc(connect: str, statements: list[tuple[str, list[str]]]) -> list[object]:
    pyodbc = pytest.importorskip("pyodbc")
    if "PostgreSQL Unicode" not in pyodbc.drivers():
        pytest.skip("psqlODBC (odbc-postgresql) is not installed")
    conn = pyodbc.connect("DRIVER={PostgreSQL Unicode};" + connect, timeout=10)
    out: list[object] = []
    try:
        cur = conn.cursor()
        for sql, values in statements:
            cur.execute(sql.replace("$1", "?").replace("$2", "?"), *values)
            out.append(([tuple(r) for r in cur.fetchall()],
                        [(d[0], d[1]) for d in cur.description]))
    finally:
        conn.close()
    return out


def test_psqlodbc_string_parameters_answer_as_postgres(
    mirror: ThreadedGateway, mirror_schema: str
) -> None:
    """Excel and Power BI in ODBC mode: every value bound as a string, sent untyped."""
    gw = mirror.gw
    ours = _odbc(f"SERVER=127.0.0.1;PORT={gw.port};DATABASE=db;UID={gw.user};"
                 f"PWD={gw.password};SSLmode=require", CASES)
    theirs = _odbc("SERVER=127.0.0.1;PORT=5432;DATABASE=test;UID=postgres;"
                   f"ConnSettings=SET search_path TO {mirror_schema};", CASES)
    assert ours == theirs


JDBC_JAR = Path("/usr/share/java/postgresql.jar")


def test_pgjdbc_stringtype_unspecified_answers_as_postgres(
    mirror: ThreadedGateway, mirror_schema: str, tmp_path: Path
) -> None:
    if not JDBC_JAR.is_file() or shutil.which("javac") is None:
        pytest.skip("pgjdbc (libpostgresql-jdbc-java) or a JDK is not installed")
    src = Path(__file__).parent / "java" / "ParamProbe.java"
    subprocess.run(["javac", "-d", str(tmp_path), str(src)], check=True, timeout=120)
    statements = [sql.replace("$1", "?").replace("$2", "?") + "\t" + "\t".join(values)
                  for sql, values in CASES]

    def probe(url: str, user: str, password: str) -> list[str]:
        out = subprocess.run(
            ["java", "-cp", f"{tmp_path}:{JDBC_JAR}", "ParamProbe", url, user, password],
            input="\n".join(statements), capture_output=True, text=True, timeout=120,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()

    gw = mirror.gw
    ours = probe(f"jdbc:postgresql://127.0.0.1:{gw.port}/db?stringtype=unspecified"
                 "", gw.user, gw.password)
    theirs = probe("jdbc:postgresql://127.0.0.1:5432/test?stringtype=unspecified"
                   f"&currentSchema={mirror_schema}", "postgres", "")
    assert len(ours) == len(CASES)
    for sql, mine, real in zip(CASES, ours, theirs, strict=True):
        assert mine == real, sql
