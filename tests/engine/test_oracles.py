"""No oracles: whatever a credential may not see answers exactly like something that does not
exist. Each query runs twice — with the restricted access list over the full models, and with
full access over models from which the hidden cubes and members were deleted — and the two
errors (SQLSTATE, message, hint) must be the same."""

from __future__ import annotations

import dataclasses

import pytest

from backend.core.errors import AppError
from backend.semantic.model import ALLOW_ALL, AccessPolicy, ModelSet
from gateway.engine import compile_query

from .models import RESTRICTED, demo_models

MODELS = demo_models("demo")


def _without_hidden(models: ModelSet, access: AccessPolicy) -> ModelSet:
    """The models as the credential sees them: hidden cubes and members deleted."""
    cubes = {}
    for name, cube in models.cubes.items():
        if not access.allows_cube(name):
            continue
        cubes[name] = dataclasses.replace(
            cube,
            dimensions=tuple(d for d in cube.dimensions if access.allows_member(name, d.name)),
            measures=tuple(m for m in cube.measures if access.allows_member(name, m.name)),
            segments=tuple(s for s in cube.segments if access.allows_member(name, s.name)),
        )
    return ModelSet(cubes)


PROBES = [
    "SELECT note FROM orders",
    "SELECT orders.note FROM orders",
    "SELECT nosuch FROM orders",
    "SELECT MEASURE(avg_amount) FROM orders",
    "SELECT MAX(max_amount) FROM orders",
    "SELECT COUNT(*) FROM orders WHERE customer_id = 3",
    "SELECT COUNT(*) FROM orders WHERE large",
    "SELECT COUNT(*) FROM orders GROUP BY customer_id",
    "SELECT status FROM orders ORDER BY customer_id",
    "SELECT status FROM orders GROUP BY status HAVING MEASURE(completed_count) > 3",
    "SELECT UPPER(note) FROM orders",
    "SELECT COUNT(*) FROM products",
    "SELECT COUNT(*) FROM product",
    "SELECT COUNT(*) FROM internal_audit",
    "SELECT MEASURE(orders.count) FROM orders CROSS JOIN order_items",
    "SELECT * FROM (SELECT note FROM orders) t",
    "SELECT COUNT(*) FROM customers WHERE name = 'x'",
    "SELECT customers.country, MEASURE(orders.count) FROM customers CROSS JOIN orders "
    "WHERE customers.vip",
    "SELECT MEASURE(customers_approx) FROM orders",
    "SELECT nte FROM orders",
]


def _error(sql: str, models: ModelSet, access: AccessPolicy) -> tuple[str, str, str | None]:
    with pytest.raises(AppError) as caught:
        compile_query(sql, client_dialect="postgres", models=models, access=access,
                      target_dialect="postgres")
    return caught.value.sqlstate, caught.value.message, caught.value.hint


@pytest.mark.parametrize("sql", PROBES)
def test_hidden_is_indistinguishable_from_missing(sql: str) -> None:
    seen = _error(sql, MODELS, RESTRICTED)
    missing = _error(sql, _without_hidden(MODELS, RESTRICTED), ALLOW_ALL)
    assert seen == missing
    assert seen[0] != "42501"


def test_join_path_through_a_hidden_cube_reads_as_no_path() -> None:
    policy = AccessPolicy(frozenset({"customers", "order_items"}))
    sql = ("SELECT customers.country, MEASURE(order_items.count) FROM order_items "
           "CROSS JOIN customers")
    seen = _error(sql, MODELS, policy)
    assert seen == _error(sql, _without_hidden(MODELS, policy), ALLOW_ALL)
    assert "orders" not in seen[1] and "orders" not in (seen[2] or "")
