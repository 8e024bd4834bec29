"""The tables MySQL clients see (``gateway.mysql.tables``): exactly what ``SELECT *`` returns,
then segments; no ``__cubeJoinField``; number measures named in the table comment; comments
that say dimension or measure, the model type, title and description."""

from __future__ import annotations

from backend.semantic.model import ALLOW_ALL
from backend.semantic.validate import check_models
from gateway.engine import compile_query
from gateway.engine.types import VirtualTable
from gateway.mysql import metadata
from gateway.mysql.tables import catalog_tables

MODEL = """
cubes:
  - name: orders
    sql_table: main.orders
    description: Customer orders
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string, title: Status, description: Order status }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum, title: Amount }
      - { name: avg_amount, sql: "{amount} / NULLIF({count}, 0)", type: number }
    segments:
      - { name: big, sql: "{CUBE}.id > 10", description: Large ids }
"""


def _tables() -> list[VirtualTable]:
    models, problems = check_models({"orders.yml": MODEL})
    assert not problems, problems
    return catalog_tables(models, ALLOW_ALL, "duckdb")


def test_columns_are_select_star() -> None:
    models, _ = check_models({"orders.yml": MODEL})
    (orders,) = _tables()
    star = compile_query("SELECT * FROM orders", client_dialect="mysql", models=models,
                         access=ALLOW_ALL, target_dialect="duckdb").columns
    names = [c.name for c in orders.columns]
    assert names == [c.name for c in star] and names[-1] == "big"  # segments per row too
    assert [c.type for c in orders.columns] == [c.type for c in star]
    assert "__cubeJoinField" not in names and "avg_amount" not in names
    assert orders.description == ("Customer orders. measures without a per-row value (query "
                                  "them with MEASURE(name) and GROUP BY): avg_amount")
    # every listed column can be selected per row, together
    compile_query(f"SELECT {', '.join(names)} FROM orders", client_dialect="mysql",
                  models=models, access=ALLOW_ALL, target_dialect="duckdb")


def test_comments_say_what_each_column_is() -> None:
    (orders,) = _tables()
    comments = {c.name: c.description for c in orders.columns}
    assert comments == {
        "id": "dimension (number, primary key)",
        "status": "dimension (string). Status. Order status",
        "count": "measure (count)",
        "amount": "measure (sum). Amount",
        "big": "segment (boolean). Large ids",
    }
    state = metadata.SessionState("u", 1, _tables(), "db")
    full = metadata.answer("SHOW FULL COLUMNS FROM orders", state)
    assert isinstance(full, metadata.LocalResult)
    assert [r[-1] for r in full.rows] == list(comments.values())
    schema = metadata.answer("SELECT COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS "
                             "WHERE TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION", state)
    assert isinstance(schema, metadata.LocalResult)
    assert dict(schema.rows) == comments
