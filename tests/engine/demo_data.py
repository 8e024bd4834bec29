"""A small deterministic shop data set for executing compiled queries on real engines.

The product's demo data (backend/connectors/demo.py, exercised in test_demo_scaffold.py) has
no NULLs and no childless rows; the corpus needs the awkward cases the engine must get right —
NULL cities, orders without a customer, orders without items, nullable notes — so it makes
its own few thousand rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

TABLES = ("customers", "products", "orders", "order_items")

# Column definitions per table; types written once in a neutral form, rendered per engine.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "customers": [
        ("id", "int"), ("name", "text"), ("city", "text"), ("country", "text"),
        ("signed_up_at", "timestamp"), ("vip", "bool"),
    ],
    "products": [("id", "int"), ("name", "text"), ("category", "text"), ("price", "money")],
    "orders": [
        ("id", "int"), ("customer_id", "int"), ("status", "text"), ("created_at", "timestamp"),
        ("amount", "money"), ("note", "text"),
    ],
    "order_items": [
        ("id", "int"), ("order_id", "int"), ("product_id", "int"), ("quantity", "int"),
        ("unit_price", "money"),
    ],
}

_TYPES = {
    "postgres": {"int": "integer", "text": "varchar(64)", "timestamp": "timestamp",
                 "bool": "boolean", "money": "numeric(12,2)"},
    "mysql": {"int": "integer", "text": "varchar(64)", "timestamp": "datetime",
              "bool": "boolean", "money": "decimal(12,2)"},
    "duckdb": {"int": "integer", "text": "varchar", "timestamp": "timestamp",
               "bool": "boolean", "money": "decimal(12,2)"},
}

CITIES = [("Berlin", "DE"), ("Hamburg", "DE"), ("Paris", "FR"), ("Lyon", "FR"),
          ("Madrid", "ES"), (None, "ES"), ("Rome", "IT")]
STATUSES = ["completed", "completed", "completed", "shipped", "processing", "canceled"]
CATEGORIES = ["books", "games", "garden", "kitchen", "toys"]


@dataclass(frozen=True)
class DemoData:
    rows: dict[str, list[tuple[Any, ...]]]


def generate(customers: int = 120, products: int = 30, orders: int = 900,
             seed: int = 7) -> DemoData:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1)
    customer_rows = []
    for i in range(1, customers + 1):
        city, country = CITIES[rng.randrange(len(CITIES))]
        signed_up = start + timedelta(seconds=rng.randrange(0, 700 * 86400))
        customer_rows.append((i, f"customer {i}", city, country, signed_up, rng.random() < 0.2))
    product_rows = [
        (i, f"product {i}", CATEGORIES[i % len(CATEGORIES)],
         Decimal(rng.randrange(199, 9999)) / 100)
        for i in range(1, products + 1)
    ]
    order_rows = []
    item_rows = []
    item_id = 0
    for i in range(1, orders + 1):
        customer = None if i % 97 == 0 else rng.randrange(1, customers + 1)
        created = start + timedelta(seconds=rng.randrange(0, 730 * 86400))
        status = STATUSES[rng.randrange(len(STATUSES))]
        amount = Decimal(rng.randrange(500, 60000)) / 100
        note = None if rng.random() < 0.7 else f"note {rng.randrange(5)}"
        order_rows.append((i, customer, status, created, amount, note))
        for _ in range(0 if i % 41 == 0 else rng.randrange(1, 6)):
            item_id += 1
            product = product_rows[rng.randrange(products)]
            item_rows.append((item_id, i, product[0], rng.randrange(1, 5), product[3]))
    return DemoData(
        {"customers": customer_rows, "products": product_rows, "orders": order_rows,
         "order_items": item_rows}
    )


def create_statements(engine: str, schema_prefix: str) -> list[str]:
    types = _TYPES[engine]
    statements = []
    for table in TABLES:
        columns = ", ".join(f"{name} {types[kind]}" for name, kind in COLUMNS[table])
        statements.append(
            f"CREATE TABLE {schema_prefix}{table} ({columns}, PRIMARY KEY (id))"
        )
    return statements


def insert_statement(table: str, schema_prefix: str, style: str) -> str:
    marks = ", ".join([style] * len(COLUMNS[table]))
    return f"INSERT INTO {schema_prefix}{table} VALUES ({marks})"
