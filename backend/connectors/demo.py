"""The demo data set: a generated, deterministic e-commerce shop.

Four tables — customers, products, orders, order_items — with primary and foreign keys,
integer ids, decimal money, varchar categories, two years of timestamps and booleans. The same
seed gives the same rows on every engine (DuckDB, SQLite, PostgreSQL, MySQL/MariaDB), so
results can be compared across engines. Rows are generated once in Python with a seeded
``random.Random`` (money in integer cents, so no float ever decides a value) and then bulk
loaded the fastest way each engine offers: CSV + COPY (DuckDB), ``executemany`` (SQLite),
``COPY`` (PostgreSQL), multi-row INSERT (MySQL).
"""

from __future__ import annotations

import csv
import os
import random
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_ORDER_ITEMS = 300_000
DEFAULT_SEED = 20240101
DEMO_FILE = "demo.duckdb"

TABLES = ("customers", "products", "orders", "order_items")

# (column, neutral kind, nullable); kinds are rendered per engine by _SQL_TYPES.
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "customers": (
        ("id", "id", False),
        ("name", "text", False),
        ("email", "text", False),
        ("city", "text", False),
        ("country", "code", False),
        ("segment", "text", False),
        ("is_vip", "bool", False),
        ("created_at", "timestamp", False),
    ),
    "products": (
        ("id", "id", False),
        ("name", "text", False),
        ("category", "text", False),
        ("brand", "text", False),
        ("price", "money", False),
        ("cost", "money", False),
        ("is_active", "bool", False),
        ("created_at", "timestamp", False),
    ),
    "orders": (
        ("id", "id", False),
        ("customer_id", "id", False),
        ("status", "text", False),
        ("channel", "text", False),
        ("created_at", "timestamp", False),
        ("shipped_at", "timestamp", True),
        ("amount", "money", False),
    ),
    "order_items": (
        ("id", "id", False),
        ("order_id", "id", False),
        ("product_id", "id", False),
        ("quantity", "int", False),
        ("unit_price", "money", False),
        ("discount", "money", False),
    ),
}

FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "orders": (("customer_id", "customers", "id"),),
    "order_items": (("order_id", "orders", "id"), ("product_id", "products", "id")),
}

_SQL_TYPES = {
    "duckdb": {"id": "INTEGER", "int": "INTEGER", "text": "VARCHAR", "code": "VARCHAR",
               "bool": "BOOLEAN", "timestamp": "TIMESTAMP", "money": "DECIMAL(12,2)"},
    "sqlite": {"id": "INTEGER", "int": "INTEGER", "text": "VARCHAR(100)", "code": "CHAR(2)",
               "bool": "BOOLEAN", "timestamp": "TIMESTAMP", "money": "NUMERIC(12,2)"},
    "postgres": {"id": "integer", "int": "integer", "text": "varchar(100)", "code": "char(2)",
                 "bool": "boolean", "timestamp": "timestamp", "money": "numeric(12,2)"},
    "mysql": {"id": "INT", "int": "INT", "text": "VARCHAR(100)", "code": "CHAR(2)",
              "bool": "BOOLEAN", "timestamp": "DATETIME", "money": "DECIMAL(12,2)"},
}  # fmt: skip

_START = datetime(2024, 1, 1)
_SPAN_SECONDS = 2 * 365 * 86400  # orders cover 2024-01-01 .. 2025-12-31

_FIRST = (
    "Ada", "Alan", "Ana", "Ben", "Chen", "Clara", "David", "Elena", "Emma", "Farah", "Hugo",
    "Ines", "Ivan", "Jonas", "Julia", "Kai", "Lena", "Leo", "Lucia", "Maja", "Marco", "Mia",
    "Nina", "Noah", "Omar", "Paula", "Priya", "Ravi", "Sara", "Tom", "Yara", "Zoe",
)  # fmt: skip
_LAST = (
    "Adler", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova",
    "Jensen", "Kim", "Lopez", "Moreau", "Nowak", "Okafor", "Patel", "Quinn", "Rossi",
    "Schmidt", "Tanaka", "Urban", "Vogel", "Weber", "Young", "Zhang",
)  # fmt: skip
# (city, country, weight)
_CITIES = (
    ("New York", "US", 9), ("San Francisco", "US", 6), ("Chicago", "US", 4),
    ("Toronto", "CA", 3), ("London", "GB", 7), ("Manchester", "GB", 2),
    ("Berlin", "DE", 6), ("Munich", "DE", 3), ("Paris", "FR", 5), ("Lyon", "FR", 2),
    ("Madrid", "ES", 3), ("Milan", "IT", 3), ("Amsterdam", "NL", 3), ("Stockholm", "SE", 2),
    ("Warsaw", "PL", 2), ("Tokyo", "JP", 4), ("Sydney", "AU", 3), ("São Paulo", "BR", 3),
    ("Mumbai", "IN", 3), ("Singapore", "SG", 2),
)  # fmt: skip
_CATEGORIES = {
    "Electronics": ("Headphones", "Charger", "Speaker", "Keyboard", "Monitor", "Webcam"),
    "Books": ("Novel", "Cookbook", "Atlas", "Biography", "Guide"),
    "Home": ("Lamp", "Rug", "Vase", "Cushion", "Clock"),
    "Kitchen": ("Kettle", "Knife Set", "Pan", "Grinder", "Mug"),
    "Sports": ("Yoga Mat", "Dumbbell", "Bottle", "Racket", "Helmet"),
    "Toys": ("Puzzle", "Robot", "Blocks", "Kite", "Board Game"),
    "Beauty": ("Serum", "Brush", "Soap", "Lotion"),
    "Garden": ("Planter", "Hose", "Shears", "Seeds"),
}
_BRANDS = ("Acme", "Northwind", "Globex", "Initech", "Umbrella", "Soylent", "Hooli", "Vandelay")
_STATUSES = (("completed", 70), ("shipped", 10), ("processing", 5), ("canceled", 8),
             ("returned", 7))  # fmt: skip
_CHANNELS = (("web", 55), ("mobile", 35), ("store", 10))
_SEGMENTS = (("consumer", 80), ("business", 20))


@dataclass(frozen=True)
class DemoData:
    """Rows per table, in table order; money in integer cents, timestamps as datetimes."""

    rows: dict[str, list[tuple[Any, ...]]]

    def money_columns(self, table: str) -> list[int]:
        return [i for i, c in enumerate(COLUMNS[table]) if c[1] == "money"]


def sizes(order_items: int) -> dict[str, int]:
    """Row counts for a target number of order items (orders average three items)."""
    if order_items < 1:
        raise ValueError("order_items must be positive")
    return {
        "customers": max(10, order_items // 30),
        "products": max(10, min(500, order_items // 600)),
        "order_items": order_items,
    }


def generate(*, order_items: int = DEFAULT_ORDER_ITEMS, seed: int = DEFAULT_SEED) -> DemoData:
    """The whole data set in memory (a few seconds and ~100 MB for the default size)."""
    rng = random.Random(seed)
    n = sizes(order_items)

    city_choices = list(range(len(_CITIES)))
    city_weights = [c[2] for c in _CITIES]
    customers = []
    cities = rng.choices(city_choices, city_weights, k=n["customers"])
    segments = rng.choices(*_split(_SEGMENTS), k=n["customers"])
    for i in range(1, n["customers"] + 1):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        city, country, _ = _CITIES[cities[i - 1]]
        signed_up = datetime(2023, 1, 1) + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        customers.append(
            (
                i,
                f"{first} {last}",
                f"{first}.{last}.{i}@example.com".lower(),
                city,
                country,
                segments[i - 1],
                rng.random() < 0.08,
                signed_up,
            )
        )

    products = []
    categories = list(_CATEGORIES)
    for i in range(1, n["products"] + 1):
        category = categories[(i - 1) % len(categories)]
        kind = rng.choice(_CATEGORIES[category])
        brand = rng.choice(_BRANDS)
        price = round(10 ** rng.uniform(2.7, 5.0))  # $5 .. $1000, most of them cheap
        price = price - price % 100 + 99  # shop prices end in .99
        cost = price * rng.randrange(35, 75) // 100
        created = datetime(2023, 1, 1) + timedelta(seconds=rng.randrange(365 * 86400))
        products.append(
            (i, f"{brand} {kind} {i}", category, brand, price, cost, rng.random() < 0.9, created)
        )

    # Orders: times skewed towards the end of the period (a growing shop), ids in time order.
    statuses, status_weights = _split(_STATUSES)
    channels, channel_weights = _split(_CHANNELS)
    orders: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    remaining = n["order_items"]
    times: list[int] = []
    while remaining > 0:
        count = min(remaining, rng.randint(1, 5))
        remaining -= count
        times.append(count)
    moments = sorted(int(_SPAN_SECONDS * rng.random() ** 0.75) for _ in times)
    order_statuses = rng.choices(statuses, status_weights, k=len(times))
    order_channels = rng.choices(channels, channel_weights, k=len(times))
    # Popular products sell more: a Zipf-like weight per product.
    product_weights = [1.0 / (rank**0.8) for rank in range(1, n["products"] + 1)]
    product_ids = rng.choices(range(1, n["products"] + 1), product_weights, k=n["order_items"])
    item_id = 0
    for order_id, (count, moment, status, channel) in enumerate(
        zip(times, moments, order_statuses, order_channels, strict=True), start=1
    ):
        created = _START + timedelta(seconds=moment)
        shipped = (
            created + timedelta(seconds=rng.randrange(3600, 7 * 86400))
            if status in ("completed", "shipped", "returned")
            else None
        )
        amount = 0
        for _ in range(count):
            item_id += 1
            product_id = product_ids[item_id - 1]
            unit_price = products[product_id - 1][4]
            quantity = 1 if rng.random() < 0.7 else rng.randint(2, 4)
            discount = (
                0 if rng.random() < 0.8 else unit_price * quantity * rng.randint(5, 20) // 100
            )
            amount += unit_price * quantity - discount
            items.append((item_id, order_id, product_id, quantity, unit_price, discount))
        customer_id = rng.randint(1, n["customers"])
        orders.append((order_id, customer_id, status, channel, created, shipped, amount))

    return DemoData(
        {"customers": customers, "products": products, "orders": orders, "order_items": items}
    )


def _split(options: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """Choices and their weights."""
    return [o[0] for o in options], [o[1] for o in options]


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _typed_rows(data: DemoData, table: str) -> Iterator[tuple[Any, ...]]:
    """Rows with money as Decimal: what a driver that knows the column types wants."""
    money = data.money_columns(table)
    for row in data.rows[table]:
        values = list(row)
        for i in money:
            values[i] = _money(values[i])
        yield tuple(values)


def ddl(dialect: str, table: str, *, schema: str | None = None) -> str:
    """CREATE TABLE for one demo table in an engine's types, with its keys."""
    types = _SQL_TYPES[dialect]
    quote = "`" if dialect == "mysql" else '"'

    def name(t: str) -> str:
        return f"{quote}{schema}{quote}.{quote}{t}{quote}" if schema else f"{quote}{t}{quote}"

    parts = [
        f"{quote}{col}{quote} {types[kind]}{'' if nullable else ' NOT NULL'}"
        for col, kind, nullable in COLUMNS[table]
    ]
    parts.append(f"PRIMARY KEY ({quote}id{quote})")
    for col, ref_table, ref_col in FOREIGN_KEYS.get(table, ()):
        parts.append(
            f"FOREIGN KEY ({quote}{col}{quote}) REFERENCES {name(ref_table)} "
            f"({quote}{ref_col}{quote})"
        )
    return f"CREATE TABLE {name(table)} (\n  " + ",\n  ".join(parts) + "\n)"


# --- embedded files ------------------------------------------------------------------------------


def write_duckdb(
    path: str | os.PathLike[str],
    *,
    order_items: int = DEFAULT_ORDER_ITEMS,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Create (or replace) a DuckDB file holding the demo data set."""
    import duckdb

    target = Path(path)
    _remove_database_file(target)
    data = generate(order_items=order_items, seed=seed)
    con = duckdb.connect(str(target))
    try:
        with tempfile.TemporaryDirectory(prefix="demo-csv-") as tmp:
            for table in TABLES:
                con.execute(ddl("duckdb", table))
                csv_path = Path(tmp) / f"{table}.csv"
                _write_csv(csv_path, data, table)
                con.execute(
                    f"COPY \"{table}\" FROM '{csv_path}' (FORMAT csv, HEADER false, NULL '')"
                )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target


def _write_csv(path: Path, data: DemoData, table: str) -> None:
    money = set(data.money_columns(table))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in data.rows[table]:
            writer.writerow(
                [
                    ""
                    if v is None
                    else f"{v // 100}.{v % 100:02d}"
                    if i in money
                    else v.strftime("%Y-%m-%d %H:%M:%S")
                    if isinstance(v, datetime)
                    else ("true" if v else "false")
                    if isinstance(v, bool)
                    else v
                    for i, v in enumerate(row)
                ]
            )


def write_sqlite(
    path: str | os.PathLike[str],
    *,
    order_items: int = DEFAULT_ORDER_ITEMS,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Create (or replace) a SQLite file holding the demo data set.

    Money is stored as text like ``12.34``, which NUMERIC affinity turns into a number;
    timestamps as ``YYYY-MM-DD HH:MM:SS`` text; booleans as 0/1.
    """
    target = Path(path)
    _remove_database_file(target)
    data = generate(order_items=order_items, seed=seed)
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("BEGIN")
        for table in TABLES:
            con.execute(ddl("sqlite", table))
            money = set(data.money_columns(table))
            marks = ", ".join("?" * len(COLUMNS[table]))
            con.executemany(
                f'INSERT INTO "{table}" VALUES ({marks})',
                (
                    tuple(
                        f"{v // 100}.{v % 100:02d}"
                        if i in money
                        else v.strftime("%Y-%m-%d %H:%M:%S")
                        if isinstance(v, datetime)
                        else v
                        for i, v in enumerate(row)
                    )
                    for row in data.rows[table]
                ),
            )
        con.execute("COMMIT")
    finally:
        con.close()
    return target


def _remove_database_file(path: Path) -> None:
    for suffix in ("", ".wal", "-journal", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


_ensure_lock = threading.Lock()


def ensure_demo(
    data_dir: str | os.PathLike[str],
    *,
    order_items: int = DEFAULT_ORDER_ITEMS,
    seed: int = DEFAULT_SEED,
) -> Path:
    """``<data_dir>/demo.duckdb``, generated on first call. The file is written under a
    temporary name and renamed into place, so no reader ever sees a half-written file; an
    existing file is kept as it is, whatever size it was made with."""
    directory = Path(data_dir)
    target = directory / DEMO_FILE
    with _ensure_lock:
        if target.is_file():
            return target
        directory.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".demo-", suffix=".duckdb", dir=directory)
        os.close(handle)
        temp = Path(temp_name)
        try:
            write_duckdb(temp, order_items=order_items, seed=seed)
            os.replace(temp, target)
        finally:
            _remove_database_file(temp)
    return target


# --- database servers ----------------------------------------------------------------------------


async def load_postgres(
    dsn: str,
    schema: str,
    *,
    order_items: int = DEFAULT_ORDER_ITEMS,
    seed: int = DEFAULT_SEED,
) -> None:
    """Create the demo tables in ``schema`` (created if missing; demo tables replaced)."""
    import asyncpg

    data = generate(order_items=order_items, seed=seed)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            quoted = '"' + schema.replace('"', '""') + '"'
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
            for table in reversed(TABLES):
                await conn.execute(f'DROP TABLE IF EXISTS {quoted}."{table}"')
            for table in TABLES:
                await conn.execute(ddl("postgres", table, schema=schema))
                await conn.copy_records_to_table(
                    table, records=_typed_rows(data, table), schema_name=schema
                )
    finally:
        await conn.close()


async def load_mysql(
    host: str,
    port: int,
    user: str,
    password: str,
    database: str,
    *,
    order_items: int = DEFAULT_ORDER_ITEMS,
    seed: int = DEFAULT_SEED,
) -> None:
    """Create the demo tables in an existing MySQL/MariaDB database (demo tables replaced)."""
    import aiomysql

    data = generate(order_items=order_items, seed=seed)
    conn = await aiomysql.connect(
        host=host, port=port, user=user, password=password, db=database, charset="utf8mb4"
    )
    try:
        async with conn.cursor() as cur:
            await cur.execute("SET SESSION sql_notes = 0")  # "unknown table" notes on DROP
            for table in reversed(TABLES):
                await cur.execute(f"DROP TABLE IF EXISTS `{table}`")
            for table in TABLES:
                await cur.execute(ddl("mysql", table) + " ENGINE=InnoDB")
                marks = ", ".join(["%s"] * len(COLUMNS[table]))
                rows = list(_typed_rows(data, table))
                for start in range(0, len(rows), 5000):
                    # PyMySQL turns this into one multi-row INSERT per chunk.
                    await cur.executemany(
                        f"INSERT INTO `{table}` VALUES ({marks})", rows[start : start + 5000]
                    )
        await conn.commit()
    finally:
        conn.close()
