"""Generated models: Cube's scaffolding rules, checked field by field, and the round trip."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.connectors.base import ColumnInfo, ForeignKey, TableInfo
from backend.semantic.model import Join
from backend.semantic.scaffold import dimension_type, generate_models, member_name, table_columns
from backend.semantic.validate import check_models, load_models


def C(name: str, type_: str) -> ColumnInfo:
    return ColumnInfo(name, type_)


def FK(column: str, table: str, ref: str = "id") -> ForeignKey:
    return ForeignKey((column,), "public", table, (ref,))


# A demo-like e-commerce schema, as the PostgreSQL connector reports it.
SHOP = [
    TableInfo("public", "customers", (
        C("id", "integer"), C("email", "character varying"), C("full_name", "text"),
        C("country", "character"), C("is_active", "boolean"),
        C("created_at", "timestamp without time zone"),
    ), primary_key=("id",)),
    TableInfo("public", "products", (
        C("id", "integer"), C("name", "text"), C("category", "character varying(40)"),
        C("price", "numeric(10,2)"), C("weight_kg", "double precision"),
    ), primary_key=("id",)),
    TableInfo("public", "orders", (
        C("id", "bigint"), C("customer_id", "integer"), C("status", "character varying"),
        C("total", "numeric(12,2)"), C("created_at", "timestamp with time zone"),
        C("shipped_on", "date"),
    ), primary_key=("id",), foreign_keys=(FK("customer_id", "customers"),)),
    TableInfo("public", "order_items", (
        C("id", "bigint"), C("order_id", "bigint"), C("product_id", "integer"),
        C("quantity", "integer"), C("unit_price", "numeric(10,2)"),
    ), primary_key=("id",),
        foreign_keys=(FK("product_id", "products"), FK("order_id", "orders"))),
]


def dim(name: str, type_: str, pk: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"name": name, "sql": name, "type": type_}
    if pk:
        d["primary_key"] = True
    return d


def measure_sum(name: str) -> dict[str, Any]:
    return {"name": name, "sql": name, "type": "sum"}


def join(target: str, column: str) -> dict[str, Any]:
    return {"name": target, "relationship": "many_to_one",
            "sql": f"{{CUBE}}.{column} = {{{target}}}.id"}


COUNT = {"name": "count", "type": "count"}

EXPECTED: dict[str, dict[str, Any]] = {
    "customers.yml": {
        "name": "customers",
        "sql_table": "public.customers",
        "dimensions": [dim("id", "number", pk=True), dim("email", "string"),
                       dim("full_name", "string"), dim("country", "string"),
                       dim("is_active", "boolean"), dim("created_at", "time")],
        "measures": [COUNT],
    },
    "order_items.yml": {
        "name": "order_items",
        "sql_table": "public.order_items",
        "joins": [join("orders", "order_id"), join("products", "product_id")],
        "dimensions": [dim("id", "number", pk=True), dim("order_id", "number"),
                       dim("product_id", "number")],
        "measures": [COUNT, measure_sum("quantity"), measure_sum("unit_price")],
    },
    "orders.yml": {
        "name": "orders",
        "sql_table": "public.orders",
        "joins": [join("customers", "customer_id")],
        "dimensions": [dim("id", "number", pk=True), dim("customer_id", "number"),
                       dim("status", "string"), dim("created_at", "time"),
                       dim("shipped_on", "time")],
        "measures": [COUNT, measure_sum("total")],
    },
    "products.yml": {
        "name": "products",
        "sql_table": "public.products",
        "dimensions": [dim("id", "number", pk=True), dim("name", "string"),
                       dim("category", "string")],
        "measures": [COUNT, measure_sum("price"), measure_sum("weight_kg")],
    },
}


def cubes_of(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, text in files.items():
        (cube,) = yaml.safe_load(text)["cubes"]
        out[name] = cube
    return out


def test_shop_schema_is_scaffolded_field_by_field() -> None:
    files = generate_models(SHOP)
    assert list(files) == sorted(EXPECTED)
    got = cubes_of(files)
    for name, expected in EXPECTED.items():
        assert got[name] == expected, name


def test_generated_file_reads_like_a_hand_written_one() -> None:
    assert generate_models(SHOP)["orders.yml"] == """\
cubes:
  - name: orders
    sql_table: public.orders

    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id"

    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: customer_id
        sql: customer_id
        type: number
      - name: status
        sql: status
        type: string
      - name: created_at
        sql: created_at
        type: time
      - name: shipped_on
        sql: shipped_on
        type: time

    measures:
      - name: count
        type: count
      - name: total
        sql: total
        type: sum
"""


def test_round_trip_scaffold_load_validate() -> None:
    files = generate_models(SHOP)
    models = load_models(files, columns=table_columns(SHOP))
    assert sorted(models.cubes) == ["customers", "order_items", "orders", "products"]
    items = models.get("order_items")
    assert items is not None and items.sql_table == "public.order_items"
    assert [d.name for d in items.primary_keys] == ["id"]
    assert [dataclasses.replace(j, position=None) for j in items.joins] == [
        Join("orders", "many_to_one", "{CUBE}.order_id = {orders}.id"),
        Join("products", "many_to_one", "{CUBE}.product_id = {products}.id"),
    ]
    assert [(m.name, m.type, m.sql) for m in items.measures] == [
        ("count", "count", None), ("quantity", "sum", "quantity"),
        ("unit_price", "sum", "unit_price"),
    ]
    assert items.position is not None and items.position.file == "order_items.yml"


def test_id_columns_give_the_same_joins_without_declared_foreign_keys() -> None:
    # The demo data set (DuckDB/SQLite) declares no foreign keys: ``<x>_id`` names the table.
    bare = [dataclasses.replace(t, foreign_keys=()) for t in SHOP]
    assert generate_models(bare) == generate_models(SHOP)


def test_output_is_deterministic_and_progress_is_reported_per_table() -> None:
    shuffled = SHOP[:]
    random.Random(7).shuffle(shuffled)
    calls: list[tuple[int, int, str]] = []
    files = generate_models(shuffled, on_progress=lambda *a: calls.append(a))
    assert files == generate_models(SHOP)
    assert calls == [(1, 4, "public.customers"), (2, 4, "public.order_items"),
                     (3, 4, "public.orders"), (4, 4, "public.products")]


def test_id_column_heuristics() -> None:
    tables = [
        TableInfo("s", "categories", (C("id", "int"), C("parent_id", "int")), ("id",)),
        TableInfo("s", "boxes", (C("id", "int"),), ("id",)),
        TableInfo("s", "person", (C("id", "int"),), ()),  # ``id`` taken as the key
        TableInfo("s", "tags", (C("code", "text"), C("label", "text")), ()),  # no key at all
        TableInfo("s", "items", (
            C("id", "int"), C("category_id", "int"), C("box_id", "int"), C("person_id", "int"),
            C("tag_id", "int"), C("warehouse_id", "int"), C("parent_id", "int"),
            C("weight", "real"),
        ), ("id",)),
    ]
    cube = cubes_of(generate_models(tables))["items.yml"]
    assert cube["joins"] == [
        {"name": "categories", "relationship": "many_to_one",
         "sql": "{CUBE}.category_id = {categories}.id"},          # x → xies
        {"name": "boxes", "relationship": "many_to_one", "sql": "{CUBE}.box_id = {boxes}.id"},
        {"name": "person", "relationship": "many_to_one", "sql": "{CUBE}.person_id = {person}.id"},
    ]
    # tags has no key to join on, warehouse is not selected: still key-like dimensions, not sums
    assert [d["name"] for d in cube["dimensions"]] == [
        "id", "category_id", "box_id", "person_id", "tag_id", "warehouse_id", "parent_id"
    ]
    assert [m["name"] for m in cube["measures"]] == ["count", "weight"]
    categories = cubes_of(generate_models(tables))["categories.yml"]
    assert "joins" not in categories  # a self-reference is not a join
    person = cubes_of(generate_models(tables))["person.yml"]
    assert person["dimensions"] == [dim("id", "number", pk=True)]


def test_composite_and_unselected_foreign_keys() -> None:
    tables = [
        TableInfo("public", "shipments", (C("order_no", "int"), C("line_no", "int"),
                                          C("carrier", "text")), ("order_no", "line_no")),
        TableInfo("public", "scans", (
            C("order_no", "int"), C("line_no", "int"), C("site", "int"), C("seconds", "int"),
        ), (), foreign_keys=(
            ForeignKey(("order_no", "line_no"), "public", "shipments", ("order_no", "line_no")),
            ForeignKey(("site",), "public", "sites", ("id",)),
        )),
    ]
    files = generate_models(tables)
    scans = cubes_of(files)["scans.yml"]
    assert scans["joins"] == [{
        "name": "shipments", "relationship": "many_to_one",
        "sql": "{CUBE}.order_no = {shipments}.order_no AND {CUBE}.line_no = {shipments}.line_no",
    }]
    # foreign-key columns are dimensions even when their table is not selected
    assert [d["name"] for d in scans["dimensions"]] == ["order_no", "line_no", "site"]
    assert [m["name"] for m in scans["measures"]] == ["count", "seconds"]
    shipments = cubes_of(files)["shipments.yml"]
    assert [d.get("primary_key", False) for d in shipments["dimensions"]] == [True, True, False]
    load_models(files, columns=table_columns(tables))


def test_awkward_names_are_sanitised_quoted_and_deduplicated() -> None:
    tables = [
        TableInfo("Sales", "Order Lines", (
            C("ID", "integer"), C("Count", "integer"), C("order", "text"), C("unitPrice", "money"),
            C("user", "text"), C("2nd", "text"), C("a-b", "text"), C("a_b", "text"),
            C('say "hi"', "text"), C("naïve", "text"), C("tab\there", "text"),
        ), ("ID",)),
        TableInfo("archive", "order lines", (C("id", "int"),), ("id",)),
        TableInfo("public", "true", (C("yes", "boolean"),), ()),
    ]
    files = generate_models(tables)
    assert sorted(files) == ["archive_order_lines.yml", "sales_order_lines.yml", "true.yml"]
    cube = cubes_of(files)["sales_order_lines.yml"]
    assert cube["sql_table"] == '"Sales"."Order Lines"'
    assert [(d["name"], d["sql"]) for d in cube["dimensions"]] == [
        ("id", '"ID"'), ("order", '"order"'), ("unit_price", '"unitPrice"'), ("user", '"user"'),
        ("_2nd", '"2nd"'), ("a_b", '"a-b"'), ("a_b_2", "a_b"), ("say_hi", '"say ""hi"""'),
        ("na_ve", '"naïve"'), ("tab_here", '"tab\there"'),
    ]
    assert cube["measures"] == [COUNT, {"name": "count_2", "sql": '"Count"', "type": "sum"}]
    assert cubes_of(files)["true.yml"]["name"] == "true"  # quoted, so YAML keeps it a string
    load_models(files, columns=table_columns(tables))


def test_mysql_quotes_with_backticks() -> None:
    tables = [TableInfo("shop", "Orders", (C("Key", "int"), C("PlacedAt", "datetime"),
                                           C("odd`name", "text")), ("Key",))]
    files = generate_models(tables, dialect="mysql")
    cube = cubes_of(files)["orders.yml"]
    assert cube["sql_table"] == "shop.Orders"
    assert [d["sql"] for d in cube["dimensions"]] == ["`Key`", "PlacedAt", "`odd``name`"]
    load_models(files, columns=table_columns(tables))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        *[(t, "number") for t in (
            "integer", "int", "int4", "bigint", "smallint", "tinyint(1)", "mediumint",
            "int unsigned", "hugeint", "ubigint", "numeric(10,2)", "decimal", "real",
            "double precision", "double", "float", "float8", "serial", "bigserial",
        )],
        *[(t, "time") for t in (
            "date", "timestamp", "timestamp without time zone", "timestamp with time zone",
            "timestamptz", "datetime", "datetime(6)", "time", "time with time zone",
            "timestamp_ns",
        )],
        *[(t, "boolean") for t in ("boolean", "bool")],
        *[(t, "string") for t in (
            "text", "varchar", "character varying(20)", "uuid", "json", "jsonb", "interval",
            "integer[]", "bytea", "money", "enum('a','b')", "blob", "",
        )],
    ],
)
def test_dimension_type_mapping(source: str, expected: str) -> None:
    assert dimension_type(source) == expected


_SOURCE_TYPES = ["integer", "bigint", "numeric(10,2)", "text", "varchar", "boolean",
                 "timestamp", "date", "uuid", "double precision"]
_names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


@st.composite
def _schemas(draw: st.DrawFn) -> list[TableInfo]:
    table_names = draw(st.lists(_names, min_size=1, max_size=4, unique_by=str.lower))
    tables = []
    for name in table_names:
        columns = draw(st.lists(st.tuples(_names, st.sampled_from(_SOURCE_TYPES)),
                                max_size=6, unique_by=lambda c: c[0].lower()))
        column_infos = tuple(ColumnInfo(n, t) for n, t in columns)
        with_key: bool = draw(st.booleans())
        pk = (column_infos[0].name,) if column_infos and with_key else ()
        other = draw(st.sampled_from(table_names))
        add_reference: bool = draw(st.booleans())
        if add_reference and all(c.name.lower() != f"{other}_id".lower() for c in column_infos):
            column_infos += (ColumnInfo(f"{other}_id", "integer"),)  # may become a join
        tables.append(TableInfo(draw(st.sampled_from(["public", "Other"])), name,
                                column_infos, pk))
    return tables


@settings(max_examples=60, deadline=None, database=None)
@given(_schemas(), st.sampled_from(["postgres", "mysql", "duckdb"]))
def test_any_schema_scaffolds_to_models_that_validate(
    tables: list[TableInfo], dialect: str
) -> None:
    files = generate_models(tables, dialect=dialect)
    models, problems = check_models(files, columns=table_columns(tables))
    assert problems == []
    assert len(models) == len(tables)
    assert all(member_name(c.name) for t in tables for c in t.columns)


def test_tables_differing_only_in_case_stay_apart() -> None:
    tables = [
        TableInfo("public", "Orders", (C("id", "int"), C("legacy_total", "int")), ("id",)),
        TableInfo("public", "orders", (C("id", "int"), C("total", "int")), ("id",),
                  foreign_keys=(ForeignKey(("id",), "public", "Orders", ("id",)),)),
    ]
    files = generate_models(tables)
    cubes = cubes_of(files)
    assert cubes["public_orders.yml"]["sql_table"] == 'public."Orders"'
    assert cubes["public_orders_2.yml"]["sql_table"] == "public.orders"
    assert cubes["public_orders_2.yml"]["joins"] == [{
        "name": "public_orders", "relationship": "many_to_one",
        "sql": "{CUBE}.id = {public_orders}.id",
    }]
    # each cube's columns are checked against its own table
    assert check_models(files, columns=table_columns(tables))[1] == []


def test_members_never_shadow_a_joined_cube() -> None:
    # ``{count}`` in a join would mean the measure ``count``: the measure steps aside instead.
    tables = [
        TableInfo("public", "count", (C("id", "int"),), ("id",)),
        TableInfo("public", "visits", (C("id", "int"), C("count_id", "int"), C("count", "int")),
                  ("id",)),
    ]
    files = generate_models(tables)
    visits = cubes_of(files)["visits.yml"]
    assert visits["joins"] == [{"name": "count", "relationship": "many_to_one",
                                "sql": "{CUBE}.count_id = {count}.id"}]
    assert visits["measures"] == [{"name": "count_2", "type": "count"},
                                  {"name": "count_3", "sql": "count", "type": "sum"}]
    load_models(files, columns=table_columns(tables))
