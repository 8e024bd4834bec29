"""The test models: an e-commerce shop (customers, products, orders, order items), loaded
through the real loader from YAML, with the tables under a schema chosen per data source."""

from __future__ import annotations

from functools import cache

from backend.semantic.model import AccessPolicy, ModelSet
from backend.semantic.validate import load_models

MODEL_YAML = """
cubes:
  - name: orders
    sql_table: "{schema}orders"
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{{CUBE}}.customer_id = {{customers}}.id"
      - name: order_items
        relationship: one_to_many
        sql: "{{CUBE}}.id = {{order_items}}.order_id"
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
      - {{name: customer_id, sql: customer_id, type: number}}
      - {{name: status, sql: status, type: string}}
      - {{name: created_at, sql: created_at, type: time}}
      - {{name: amount_value, sql: amount, type: number}}
      - {{name: note, sql: note, type: string}}
      - {{name: secret_note, sql: note, type: string, public: false}}
    measures:
      - {{name: count, type: count}}
      - {{name: amount, sql: amount, type: sum}}
      - {{name: avg_amount, sql: amount, type: avg}}
      - {{name: min_amount, sql: amount, type: min}}
      - {{name: max_amount, sql: amount, type: max}}
      - {{name: customers_count, sql: customer_id, type: count_distinct}}
      - {{name: customers_approx, sql: customer_id, type: count_distinct_approx}}
      - name: completed_count
        type: count
        filters: [{{sql: "{{CUBE}}.status = 'completed'"}}]
      - name: completed_amount
        sql: amount
        type: sum
        filters: [{{sql: "{{CUBE}}.status = 'completed'"}}]
      - {{name: average_order, sql: "{{amount}} / NULLIF({{count}}, 0)", type: number}}
      - name: completed_share
        sql: "1.0 * {{completed_count}} / NULLIF({{count}}, 0)"
        type: number
    segments:
      - {{name: completed, sql: "{{CUBE}}.status = 'completed'"}}
      - {{name: large, sql: "{{CUBE}}.amount >= 300"}}

  - name: customers
    sql_table: "{schema}customers"
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
      - {{name: name, sql: name, type: string}}
      - {{name: city, sql: city, type: string}}
      - {{name: country, sql: country, type: string}}
      - {{name: signed_up_at, sql: signed_up_at, type: time}}
      - {{name: vip, sql: vip, type: boolean}}
    measures:
      - {{name: count, type: count}}
      - {{name: cities, sql: city, type: count_distinct}}
    segments:
      - {{name: german, sql: "{{CUBE}}.country = 'DE'"}}

  - name: order_items
    sql_table: "{schema}order_items"
    joins:
      - name: orders
        relationship: many_to_one
        sql: "{{CUBE}}.order_id = {{orders}}.id"
      - name: products
        relationship: many_to_one
        sql: "{{CUBE}}.product_id = {{products}}.id"
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
      - {{name: order_id, sql: order_id, type: number}}
      - {{name: product_id, sql: product_id, type: number}}
      - {{name: quantity_value, sql: quantity, type: number}}
      - {{name: customer_country, sql: "{{customers.country}}", type: string}}
    measures:
      - {{name: count, type: count}}
      - {{name: quantity, sql: quantity, type: sum}}
      - {{name: revenue, sql: "{{CUBE}}.quantity * {{CUBE}}.unit_price", type: sum}}

  - name: products
    sql_table: "{schema}products"
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
      - {{name: name, sql: name, type: string}}
      - {{name: category, sql: category, type: string}}
      - {{name: price, sql: price, type: number}}
    measures:
      - {{name: count, type: count}}
      - {{name: avg_price, sql: price, type: avg}}

  - name: big_orders
    sql: "SELECT id, status, amount FROM {schema}orders WHERE amount >= 300"
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
      - {{name: status, sql: status, type: string}}
    measures:
      - {{name: count, type: count}}
      - {{name: amount, sql: amount, type: sum}}

  - name: internal_audit
    sql_table: "{schema}orders"
    public: false
    dimensions:
      - {{name: id, sql: id, type: number, primary_key: true}}
    measures:
      - {{name: count, type: count}}
"""


@cache
def demo_models(schema: str = "demo") -> ModelSet:
    """The models over tables in ``schema`` (empty string: unqualified table names)."""
    prefix = f"{schema}." if schema else ""
    return load_models({"shop.yml": MODEL_YAML.format(schema=prefix)})


# A credential that may see orders (but not orders.note nor the approximate count) and
# customers.city/country only.
RESTRICTED = AccessPolicy(
    frozenset(
        {
            "orders.id", "orders.status", "orders.created_at", "orders.count", "orders.amount",
            "orders.completed", "orders.average_order", "customers.city", "customers.country",
            "customers.count",
        }
    )
)
