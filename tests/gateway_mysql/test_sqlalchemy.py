"""SQLAlchemy's MySQL reflection (SHOW FULL TABLES, SHOW CREATE TABLE) and pandas."""

from __future__ import annotations

import ssl

import pandas as pd
import pytest
import sqlalchemy as sa

from .conftest import Gateway


@pytest.mark.parametrize("driver", ["pymysql", "mysqlconnector"])
def test_reflection_and_pandas(gw: Gateway, driver: str) -> None:
    url = f"mysql+{driver}://{gw.user}:{gw.password}@127.0.0.1:{gw.port}/db"
    if driver == "pymysql":
        ctx = ssl.create_default_context(cafile=str(gw.tls_dir / "server.crt"))
        ctx.check_hostname = False
        args: dict[str, object] = {"ssl": ctx}
    else:
        args = {"ssl_verify_cert": False}
    engine = sa.create_engine(url, connect_args=args, poolclass=sa.pool.NullPool)
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_table_names() == ["orders", "secrets"]
        columns = {c["name"]: c for c in inspector.get_columns("orders")}
        assert isinstance(columns["created_at"]["type"], sa.DateTime)
        assert isinstance(columns["count"]["type"], sa.BigInteger)
        assert columns["status"]["comment"] == "Order status"
        orders = sa.Table("orders", sa.MetaData(), autoload_with=engine)
        query = sa.select(orders.c.status, orders.c["count"]).group_by(orders.c.status) \
            .order_by(orders.c.status)
        frame = pd.read_sql(query, engine)
    finally:
        engine.dispose()
    assert frame["status"].tolist() == ["completed", "pending"]
    assert frame["count"].astype(int).tolist() == [333, 667]
