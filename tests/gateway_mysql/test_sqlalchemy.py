"""SQLAlchemy's MySQL reflection (SHOW FULL TABLES, SHOW CREATE TABLE) and pandas (issue 14).

Reflect-then-select is how BI tools and notebooks read a table: every reflected column is
selected by name, so the catalog must list only columns a query can return (not
``__cubeJoinField``), and the list must be what ``SELECT *`` returns.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from .conftest import Gateway


def _engine(gw: Gateway, driver: str) -> sa.Engine:
    url = f"mysql+{driver}://{gw.user}:{gw.password}@127.0.0.1:{gw.port}/db"
    if driver == "pymysql":
        ctx = ssl.create_default_context(cafile=str(gw.tls_dir / "server.crt"))
        ctx.check_hostname = False
        args: dict[str, object] = {"ssl": ctx}
    else:
        args = {"ssl_verify_cert": False}
    return sa.create_engine(url, connect_args=args, poolclass=sa.pool.NullPool)


@pytest.fixture(params=["pymysql", "mysqlconnector"])
def engine(gw: Gateway, request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    e = _engine(gw, request.param)
    yield e
    e.dispose()


def test_reflection_and_pandas(engine: sa.Engine) -> None:
    inspector = sa.inspect(engine)
    assert inspector.get_table_names() == ["orders", "secrets"]
    columns = {c["name"]: c for c in inspector.get_columns("orders")}
    assert isinstance(columns["created_at"]["type"], sa.DateTime)
    assert isinstance(columns["count"]["type"], sa.Integer)
    assert columns["status"]["comment"] == "dimension (string). Order status"
    assert columns["amount"]["comment"] == "measure (sum)"
    assert inspector.get_pk_constraint("orders")["constrained_columns"] == ["id"]
    orders = sa.Table("orders", sa.MetaData(), autoload_with=engine)
    query = sa.select(orders.c.status, sa.func.sum(orders.c["count"]).label("n")) \
        .group_by(orders.c.status).order_by(orders.c.status)
    frame = pd.read_sql(query, engine)
    assert frame["status"].tolist() == ["completed", "pending"]
    assert frame["n"].astype(int).tolist() == [333, 667]


def test_reflect_then_select_every_table(engine: sa.Engine) -> None:
    """MetaData.reflect + select(table): what failed on ``__cubeJoinField``."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    assert sorted(meta.tables) == ["orders", "secrets"]
    for table in meta.tables.values():
        assert "__cubeJoinField" not in table.c
        with engine.connect() as conn:
            result = conn.execute(sa.select(table).limit(3))
            assert list(result.keys()) == [c.name for c in table.c]
            assert len(result.fetchall()) >= 1


def test_read_sql_table_matches_select_star(engine: sa.Engine) -> None:
    frame = pd.read_sql_table("orders", engine)
    assert len(frame) == 1000
    with engine.connect() as conn:
        star = conn.exec_driver_sql("SELECT * FROM orders LIMIT 1")
        star_names = list(star.keys())
        described = [r[0] for r in conn.exec_driver_sql("DESCRIBE orders")]
        shown = [r[0] for r in conn.exec_driver_sql("SHOW COLUMNS FROM orders")]
        schema = [r[0] for r in conn.exec_driver_sql(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'db' "
            "AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION")]
    assert list(frame.columns) == star_names == described == shown == schema
    assert star_names == ["id", "status", "created_at", "count", "amount"]
    assert sorted(frame["id"].astype(int))[:3] == [1, 2, 3]


def test_join_field_still_joins(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT o.status FROM orders o JOIN secrets s "
            "ON o.__cubeJoinField = s.__cubeJoinField GROUP BY 1 ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["completed", "pending"]
