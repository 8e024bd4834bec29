"""Loading Cube-compatible YAML: values, Cube's alternative spellings, and source positions."""

from __future__ import annotations

from backend.semantic.loader import parse_models
from backend.semantic.model import Dimension, Join, Measure, Segment, SourcePosition

# The example of DESIGN.md, verbatim.
ORDERS = """\
cubes:
  - name: orders
    sql_table: public.orders          # or sql: SELECT ...
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id"
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string }
      - { name: created_at, sql: created_at, type: time }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum }
      - { name: avg_amount, sql: "{amount} / NULLIF({count}, 0)", type: number }
    segments:
      - { name: completed, sql: "{CUBE}.status = 'completed'" }
"""

CUSTOMERS = """\
# customers, written the way Cube's JavaScript-era models spell things
cubes:
  - name: customers
    sqlTable: public.customers
    title: Customers
    description: People who ordered
    dimensions:
      - name: id
        sql: id
        type: number
        primaryKey: true
      - name: email
        sql: email
        type: string
        shown: false
"""


def test_design_example_loads_with_values_and_lines() -> None:
    models, problems = parse_models({"orders.yml": ORDERS})
    assert problems == []
    orders = models.get("orders")
    assert orders is not None

    def at(line: int) -> SourcePosition:
        return SourcePosition("orders.yml", line)

    assert orders.position == at(2)
    assert orders.sql_table == "public.orders" and orders.sql is None
    assert orders.joins == (
        Join("customers", "many_to_one", "{CUBE}.customer_id = {customers}.id", at(5)),
    )
    assert orders.dimensions == (
        Dimension("id", "id", "number", primary_key=True, position=at(9)),
        Dimension("status", "status", "string", position=at(10)),
        Dimension("created_at", "created_at", "time", position=at(11)),
    )
    assert orders.measures == (
        Measure("count", "count", None, position=at(13)),
        Measure("amount", "sum", "amount", position=at(14)),
        Measure("avg_amount", "number", "{amount} / NULLIF({count}, 0)", position=at(15)),
    )
    assert orders.segments == (
        Segment("completed", "{CUBE}.status = 'completed'", position=at(17)),
    )
    assert [d.name for d in orders.primary_keys] == ["id"]


def test_several_files_keep_their_own_file_and_line() -> None:
    models, problems = parse_models({"orders.yml": ORDERS, "customers.yaml": CUSTOMERS})
    assert problems == []
    assert list(models.cubes) == ["customers", "orders"]  # files are read in name order
    customers = models.get("customers")
    assert customers is not None
    assert customers.position == SourcePosition("customers.yaml", 3)
    assert customers.sql_table == "public.customers"
    assert (customers.title, customers.description) == ("Customers", "People who ordered")
    pk, email = customers.dimensions
    assert pk.primary_key and pk.position == SourcePosition("customers.yaml", 8)
    assert not email.public and email.position == SourcePosition("customers.yaml", 12)


def test_cube_spellings_relationship_aliases_filters_and_keyed_members() -> None:
    text = """\
defaults: &hidden
  public: false
cubes:
  - name: a
    sql: SELECT * FROM t
    shown: false
    joins:
      - { name: b, relationship: belongs_to, sql: "{CUBE}.b_id = {b}.id" }
      - { name: c, relationship: hasMany, sql: "{CUBE}.id = {c}.a_id" }
      - { name: d, relationship: has_one, sql: "{CUBE}.id = {d}.a_id" }
      - { name: e, relationship: manyToOne, sql: "{CUBE}.e_id = {e}.id" }
    measures:
      paid_count:
        type: count
        filters:
          - sql: "{CUBE}.paid"
          - sql: "{CUBE}.amount > 0"
      secret:
        <<: *hidden
        sql: x
        type: max
    dimensions:
      Mixed_Case: { sql: x, type: string, public: true, shown: false }
"""
    models, problems = parse_models({"a.yml": text})
    # ``defaults`` is not a Cube field: the only problem, and the anchor still works.
    assert [(p.line, p.message) for p in problems] == [(1, "unknown top-level field defaults "
                                                        "(expected cubes)")]
    a = models.get("a")
    assert a is not None
    assert a.sql == "SELECT * FROM t" and a.sql_table is None and not a.public
    assert [(j.name, j.relationship) for j in a.joins] == [
        ("b", "many_to_one"), ("c", "one_to_many"), ("d", "one_to_one"), ("e", "many_to_one")
    ]
    paid, secret = a.measures
    assert paid.name == "paid_count" and paid.position == SourcePosition("a.yml", 13)
    assert paid.filters == ("{CUBE}.paid", "{CUBE}.amount > 0")
    assert (secret.name, secret.public, secret.sql, secret.type) == ("secret", False, "x", "max")
    # keyed members keep their name as written; ``public`` wins over ``shown``
    assert a.dimensions[0].name == "Mixed_Case" and a.dimensions[0].public


def test_empty_files_define_nothing() -> None:
    models, problems = parse_models({"empty.yml": "", "comment.yml": "# nothing yet\n",
                                     "blank.yml": "cubes:\n"})
    assert problems == [] and len(models) == 0


def test_ignored_cube_features_load_and_unsupported_ones_are_reported() -> None:
    text = """\
cubes:
  - name: a
    sql_table: t
    data_source: default
    refresh_key: { every: 1 hour }
    pre_aggregations: []
    meta: { owner: me }
    extends: base
    dimensions:
      - { name: d, sql: d, type: string, format: id, meta: {} }
      - { name: c, type: string, case: { when: [] } }
      - { name: s, sql: s, type: number, sub_query: true }
    measures:
      - { name: m, sql: m, type: sum, drill_members: [d], format: currency }
      - { name: r, sql: m, type: sum, rolling_window: { trailing: 7 day } }
      - { name: u, sql: m, type: sum, colour: red }
views:
  - name: v
"""
    _, problems = parse_models({"a.yml": text})
    assert [(p.line, p.member, p.message) for p in problems] == [
        (8, None, "extends is not supported; copy the members into this cube"),
        (11, "c", "case dimensions are not supported; write a CASE expression in sql"),
        (12, "s", "sub_query dimensions are not supported"),
        (15, "r", "rolling_window measures are not supported"),
        (16, "u", "unknown field colour"),
        (17, None, "views are not supported; query the cubes directly"),
    ]
