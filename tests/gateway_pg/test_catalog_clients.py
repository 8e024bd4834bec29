"""Real clients' catalog paths over the socket: pgcli (its executor, pgspecial meta-commands and
completion metadata), ADBC (connect, adbc_get_objects, fetch_arrow_table), and the column
descriptions every tool shows (``\\d+``, SQLAlchemy, col_description)."""

from __future__ import annotations

import pytest

from tests.gateway_pg.conftest import ThreadedGateway
from tests.gateway_pg.test_psql import psql


def test_descriptions_say_dimension_or_measure(tgw: ThreadedGateway) -> None:
    out = psql(tgw, r"\d+ orders")
    assert out.returncode == 0, out.stderr
    assert "Dimension (string): Order status" in out.stdout
    assert "Dimension (number, primary key)" in out.stdout
    assert "Measure (sum)" in out.stdout and "Measure (count)" in out.stdout
    out = psql(tgw, "select col_description('orders'::regclass, 5)")
    assert out.returncode == 0, out.stderr
    assert "Measure (sum)" in out.stdout


def test_pgcli_meta_commands_and_completion(tgw: ThreadedGateway) -> None:
    from pgcli.pgexecute import PGExecute
    from pgspecial.main import PGSpecial

    gw = tgw.gw
    executor = PGExecute(database="db", user=gw.user, password=gw.password, host="127.0.0.1",
                         port=gw.port, dsn="", sslmode="require")
    special = PGSpecial()
    try:
        # What pgcli's completion refresher loads on connect.
        assert ("public",) in [tuple(r) for r in [[s] for s in executor.schemata()]]
        assert set(executor.tables()) >= {("public", "orders"), ("public", "secrets")}
        columns = {(t, c) for _, t, c, *_ in executor.table_columns()}
        assert {("orders", "status"), ("orders", "amount"), ("secrets", "code")} <= columns
        assert list(executor.databases()) == ["db"]
        assert executor.search_path() == ["pg_catalog", "public"]
        list(executor.foreignkeys())
        list(executor.datatypes())
        list(executor.views())

        def run(command: str) -> list[tuple[object, ...]]:
            rows: list[tuple[object, ...]] = []
            for result in executor.run(command, pgspecial=special):
                cur, status = result[1], result[3]
                assert status is None or "ERROR" not in str(status), status
                rows.extend(tuple(r) for r in (cur or []))
            return rows

        assert ("public", "orders", "table", gw.user) in run(r"\dt")
        assert any(r[1] == "orders_pkey" for r in run(r"\di"))
        described = run(r"\d orders")
        assert ("status", "text", "") in [tuple(r[:3]) for r in described]
        assert any(r[1] == "orders" for r in run(r"\d"))
    finally:
        executor.conn.close()


def test_adbc_connect_objects_and_arrow(tgw: ThreadedGateway) -> None:
    dbapi = pytest.importorskip("adbc_driver_postgresql.dbapi")
    gw = tgw.gw
    uri = f"postgresql://{gw.user}:{gw.password}@127.0.0.1:{gw.port}/db?sslmode=require"
    with dbapi.connect(uri) as conn:  # the type load (typreceive != 0 ...) runs here
        objects = conn.adbc_get_objects(depth="all").read_all().to_pylist()
        schemas = {s["db_schema_name"]: s for c in objects for s in c["catalog_db_schemas"]}
        tables = {t["table_name"]: t for t in schemas["public"]["db_schema_tables"]}
        assert set(tables) == {"orders", "secrets"}
        cols = [c["column_name"] for c in sorted(tables["orders"]["table_columns"],
                                                 key=lambda c: c["ordinal_position"])]
        assert cols == ["id", "status", "created_at", "count", "amount"]
        schema = conn.adbc_get_table_schema("orders")
        assert schema.names == cols
        with conn.cursor() as cur:
            try:
                cur.execute("SELECT status, COUNT(*) AS n FROM orders GROUP BY status "
                            "ORDER BY status")
                table = cur.fetch_arrow_table()
            except dbapi.Error as exc:
                if "COPY" in str(exc):
                    pytest.xfail("ADBC reads results with COPY (query) TO STDOUT (binary), "
                                 f"which the gateway does not serve yet: {exc}")
                raise
        assert table.column_names == ["status", "n"]
        assert table.to_pylist() == [{"status": "completed", "n": 333},
                                     {"status": "pending", "n": 667}]


@pytest.mark.parametrize("sql, names", [
    ("SELECT c.relname, (SELECT count(*) FROM orders) AS n FROM pg_catalog.pg_class c",
     "pg_class with orders"),
    ("SELECT o.status FROM orders o JOIN pg_catalog.pg_description d ON d.objoid = 16390",
     "pg_description with orders"),
    ("SELECT table_name FROM information_schema.tables WHERE table_name IN "
     "(SELECT status FROM orders)", "tables with orders"),
])
def test_mixed_catalog_and_cube_queries_name_what_is_unsupported(
        tgw: ThreadedGateway, sql: str, names: str) -> None:
    import psycopg

    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.FeatureNotSupported) as err:
            conn.execute(sql)
        assert f"cannot mix catalog relations with model tables: {names}" in str(err.value)
        assert conn.execute("SELECT 1").fetchone() == (1,)  # the session goes on


def test_asyncpg_reads_oid_aliases_in_binary_as_postgresql_does(tgw: ThreadedGateway) -> None:
    """asyncpg asks for every result column in binary: regproc, regclass and regtype values go
    out as OIDs there and asyncpg shows them as PostgreSQL's names."""
    import asyncio

    import asyncpg

    from tests.services import PG_TEST_DSN, require_postgres

    require_postgres()
    query = ("SELECT t.typname, t.typreceive, t.typinput, 'int4'::regtype AS reg_type, "
             "'pg_class'::regclass AS reg_class FROM pg_catalog.pg_type t "
             "WHERE t.oid IN (16, 23, 25) ORDER BY t.oid")

    async def fetch(dsn: str, **options: object) -> list[tuple[object, ...]]:
        conn = await asyncpg.connect(dsn, **options)
        try:
            return [tuple(r) for r in await conn.fetch(query)]
        finally:
            await conn.close()

    ours = asyncio.run(fetch(tgw.gw.url(), ssl="require"))
    theirs = asyncio.run(fetch(PG_TEST_DSN))
    assert ours == theirs
    assert ours[1][:3] == ("int4", "int4recv", "int4in")
