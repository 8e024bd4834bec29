"""Regenerate the recorded part of the corpus: run real clients against a mirror database on
the real PostgreSQL through ``record.recording_proxy`` and write what they sent.

    .venv/bin/python -m tests.gateway_pg.differential.collect [tool ...]

Each tool's file ``corpus/<tool>.sql`` is rewritten; ``-- expect:`` lines of a statement whose
text is unchanged are kept. Only catalog statements are kept (the gateway's classifier decides;
mixed catalog-and-model statements too). To add a tool: write a driver below (a function
``(dsn, step)`` that uses the client as its users do, calling ``step(label)`` before each
action) and add it to ``DRIVERS``. Statements of tools that cannot run here are written by
hand in their own file, with the source they came from.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from backend.core.errors import AppError
from gateway.catalog import rewrite as catalog_sql
from tests.gateway_pg.differential.corpus import CORPUS_DIR, Case, parse_file, write_file
from tests.gateway_pg.differential.mirror import mirror_database, model_tables
from tests.gateway_pg.differential.record import Recorder, recording_proxy

Step = Callable[[str], None]
HERE = Path(__file__).parent
PSQL_COMMANDS = [r"\d", r"\dt", r"\dt+", r"\d orders", r"\d+ orders", r"\d secrets",
                 r"\di", r"\di+", r"\dv", r"\dm", r"\ds", r"\dn", r"\dn+", r"\l", r"\l+",
                 r"\du", r"\dg", r"\dT", r"\dx", r"\df", r"\dD", r"\dE", r"\dp", r"\dd",
                 r"\dconfig", r"\dC", r"\dc", r"\dO", r"\dy", r"\dRp", r"\dRs", r"\db",
                 r"\des", r"\dew", r"\det", r"\deu", r"\dF", r"\dA", r"\d orders_pkey",
                 r"\d+ secrets", r"\dt public.*", r"\sf", r"\z", r"\drds", r"\dP"]


def psql(dsn: str, step: Step) -> None:
    for command in PSQL_COMMANDS:
        step(command)
        subprocess.run(["psql", dsn, "-X", "-c", command], capture_output=True, timeout=30,
                       env=dict(os.environ, PGCONNECT_TIMEOUT="5"))


def pgcli(dsn: str, step: Step) -> None:
    from pgcli.pgexecute import PGExecute
    from pgspecial.main import PGSpecial

    step("connect")
    executor = PGExecute(dsn=dsn)
    special = PGSpecial()
    for name in ("search_path", "schemata", "tables", "views", "table_columns",
                 "view_columns", "databases", "foreignkeys", "functions", "datatypes",
                 "casing"):
        step(f"completion {name}")
        try:
            list(getattr(executor, name)())
        except Exception as exc:  # pgcli logs and goes on; so do we
            print(f"pgcli {name}: {exc}", file=sys.stderr)
    for command in (r"\dt", r"\d", r"\d orders", r"\d+ orders", r"\di", r"\dn", r"\l",
                    r"\dv", r"\df", r"\dT", r"\du", r"\dx", r"\ds", r"\dm", r"\db"):
        step(command)
        for _ in executor.run(command, pgspecial=special,
                              exception_formatter=lambda e: (None, None, None, str(e))):
            pass
    executor.conn.close()


def sqlalchemy(dsn: str, step: Step) -> None:
    import sqlalchemy as sa

    url = dsn_url(dsn)
    for driver in ("postgresql+psycopg", "postgresql+psycopg2"):
        step(f"{driver.split('+')[1]} connect")
        engine = sa.create_engine(url.replace("postgresql", driver, 1))
        with engine.connect() as conn:
            insp = sa.inspect(conn)
            for name, args in [
                ("get_schema_names", ()), ("get_table_names", ()), ("get_view_names", ()),
                ("get_materialized_view_names", ()), ("get_sequence_names", ()),
                ("get_columns", ("orders",)), ("get_pk_constraint", ("orders",)),
                ("get_foreign_keys", ("orders",)), ("get_indexes", ("orders",)),
                ("get_unique_constraints", ("orders",)),
                ("get_check_constraints", ("orders",)), ("get_table_comment", ("orders",)),
                ("has_table", ("orders",)), ("get_enums", ()), ("get_domains", ()),
            ]:
                step(f"{driver.split('+')[1]} {name}")
                getattr(insp, name)(*args)
            step(f"{driver.split('+')[1]} reflect")
            sa.MetaData().reflect(conn)
        engine.dispose()


def psycopg_types(dsn: str, step: Step) -> None:
    from psycopg.types import TypeInfo
    from psycopg.types.composite import CompositeInfo
    from psycopg.types.enum import EnumInfo
    from psycopg.types.range import RangeInfo

    with psycopg.connect(dsn) as conn:
        for info, name in ((TypeInfo, "numeric"), (TypeInfo, "text[]"),
                           (CompositeInfo, "orders"), (EnumInfo, "status"),
                           (RangeInfo, "int4range")):
            step(f"{info.__name__}.fetch {name}")
            info.fetch(conn, name)


def asyncpg(dsn: str, step: Step) -> None:
    import asyncpg as apg

    async def run() -> None:
        step("connect")
        conn = await apg.connect(dsn_url(dsn))
        step("set_type_codec numeric")
        await conn.set_type_codec("numeric", encoder=str, decoder=str, schema="pg_catalog",
                                  format="text")
        step("introspect regproc result")
        await conn.fetch("SELECT typreceive, typname::regtype FROM pg_type LIMIT 1")
        await conn.close()

    asyncio.run(run())


def adbc(dsn: str, step: Step) -> None:
    import adbc_driver_postgresql.dbapi as dbapi

    step("connect")
    with dbapi.connect(dsn_url(dsn)) as conn:
        step("adbc_get_info")
        conn.adbc_get_info()
        step("adbc_get_table_types")
        conn.adbc_get_table_types()
        for depth in ("catalogs", "db_schemas", "tables", "all"):
            step(f"adbc_get_objects {depth}")
            conn.adbc_get_objects(depth=depth).read_all()
        step("adbc_get_table_schema")
        conn.adbc_get_table_schema("orders")


JDBC_JAR = Path("/usr/share/java/postgresql.jar")


def pgjdbc(dsn: str, step: Step) -> None:
    """pgjdbc's DatabaseMetaData, as DBeaver, DataGrip, Tableau and Metabase use it."""
    parts = dict(p.split("=", 1) for p in dsn.split())
    with tempfile.TemporaryDirectory() as classes:
        subprocess.run(["javac", "-d", classes, str(HERE / "java" / "JdbcCatalog.java")],
                       check=True, timeout=120)
        url = f"jdbc:postgresql://{parts['host']}:{parts['port']}/{parts['dbname']}"
        with subprocess.Popen(["java", "-cp", f"{classes}:{JDBC_JAR}", "JdbcCatalog", url,
                               parts["user"]], stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:  # each step is printed before its calls
                if line.startswith("step "):
                    step(line[5:].strip())
                elif line.startswith("error "):
                    print(f"pgjdbc {line.strip()}", file=sys.stderr)


def psqlodbc(dsn: str, step: Step) -> None:
    """psqlODBC's catalog functions (Excel, Power BI and Tableau in ODBC mode)."""
    import pyodbc

    parts = dict(p.split("=", 1) for p in dsn.split())
    step("connect")
    conn = pyodbc.connect(
        f"DRIVER={{PostgreSQL Unicode}};SERVER={parts['host']};PORT={parts['port']};"
        f"DATABASE={parts['dbname']};UID={parts['user']};SSLmode=disable", timeout=10)
    try:
        cur = conn.cursor()
        calls: tuple[tuple[str, Callable[[], Any]], ...] = (
            ("SQLTables", lambda: cur.tables(schema="public", tableType="TABLE")),
            ("SQLTables views", lambda: cur.tables(schema="public", tableType="VIEW")),
            ("SQLColumns", lambda: cur.columns(table="orders")),
            ("SQLPrimaryKeys", lambda: cur.primaryKeys("orders")),
            ("SQLForeignKeys", lambda: cur.foreignKeys(table="orders")),
            ("SQLStatistics", lambda: cur.statistics("orders")),
            ("SQLGetTypeInfo", lambda: cur.getTypeInfo()),
            ("SQLProcedures", lambda: cur.procedures(schema="public")),
            ("SQLSpecialColumns", lambda: cur.rowIdColumns("orders")),
        )
        for name, call in calls:
            step(name)
            try:
                call().fetchall()
            except pyodbc.Error as exc:
                print(f"psqlodbc {name}: {exc}", file=sys.stderr)
    finally:
        conn.close()


DRIVERS: dict[str, Callable[[str, Step], None]] = {
    "psql": psql, "pgcli": pgcli, "sqlalchemy": sqlalchemy, "psycopg": psycopg_types,
    "asyncpg": asyncpg, "adbc": adbc, "pgjdbc": pgjdbc, "psqlodbc": psqlodbc,
}


def dsn_url(dsn: str) -> str:
    parts = dict(p.split("=", 1) for p in dsn.split())
    return (f"postgresql://{parts['user']}@{parts['host']}:{parts['port']}/{parts['dbname']}"
            f"?sslmode=disable")


def keep(sql: str) -> bool:
    words = re.findall(r"[a-z_]+", sql.lower()[:40])
    if not words or words[0] not in ("select", "with", "show", "values", "table"):
        return False
    if words[0] == "show":
        return True
    try:
        return catalog_sql.is_catalog_query(catalog_sql.parse(sql))
    except AppError:  # mixed catalog and model relations: kept, the gateway must answer it
        return True


def placeholders(sql: str, database: str, oids: dict[int, str]) -> str:
    sql = sql.replace(database, "{database}")
    for oid, name in oids.items():
        sql = re.sub(rf"(?<![\w.]){oid}(?![\w.])", "{oid:" + name + "}", sql)
    return sql


def collect(tool: str, driver: Callable[[str, Step], None]) -> list[Case]:
    tables = model_tables()
    with mirror_database(tables) as mirror, recording_proxy() as (port, recorder):
        with psycopg.connect(mirror.dsn) as conn:
            oids = {int(o): str(n) for o, n in conn.execute(
                "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public'").fetchall()}
        labelled: list[tuple[str, int]] = []
        rec: Recorder = recorder

        def step(label: str) -> None:
            labelled.append((label, len(rec.statements)))

        driver(f"host=127.0.0.1 port={port} dbname={mirror.name} user=postgres "
               "sslmode=disable", step)
        statements = list(rec.statements)
    cases: list[Case] = []
    seen: set[str] = set()
    bounds = [*labelled, ("end", len(statements))]
    for (label, start), (_, end) in itertools.pairwise(bounds):
        n = 0
        for sql in statements[start:end]:
            text = placeholders(sql, mirror.name, oids)
            if text in seen or not keep(sql):
                continue
            seen.add(text)
            n += 1
            cases.append(Case(tool, f"{label} ({n})" if n > 1 else label, text))
    return cases


def main(tools: list[str]) -> None:
    for tool in tools or list(DRIVERS):
        path = CORPUS_DIR / f"{tool}.sql"
        old = {c.sql: c.expect for c in parse_file(path)} if path.exists() else {}
        cases = [Case(c.tool, c.name, c.sql, old.get(c.sql, ())) for c in
                 collect(tool, DRIVERS[tool])]
        write_file(path, cases)
        print(f"{tool}: {len(cases)} statements -> {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
