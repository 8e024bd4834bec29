"""Planning time of the semantic SQL engine, cold and through the plan cache.

Run: .venv/bin/python bench/engine_bench.py [--dialect postgres] [--rounds 300]

Prints p50/p99 per query kind (simple, joined with fan-out, 1,000-item IN list) for
- cold: a statement the engine has not seen (a fresh literal each time, so no cache helps;
  the parsed model snippets are warm, as they are after the first query on a model version),
- cached: the same statement again through PlanCache,
and, as a baseline measured in the same run, sqlglot alone parsing and re-rendering the
same text (the floor any sqlglot-based planner pays). Ratios are against the targets
(cached p50 < 1 ms, cold p50 < 10 ms); Cube reports 6-145 ms per query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlglot

from backend.semantic.model import ALLOW_ALL
from gateway.engine import PlanCache, compile_query
from tests.engine.models import demo_models

CACHED_TARGET_MS = 1.0
COLD_TARGET_MS = 10.0


def simple(i: int) -> str:
    return (
        "SELECT status, DATE_TRUNC('month', created_at) AS month, COUNT(*), MEASURE(amount) "
        f"FROM orders WHERE created_at >= '2024-01-01' AND amount_value > {i} "
        "GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 100"
    )


def joined(i: int) -> str:
    return (
        "SELECT customers.country, products.category, MEASURE(orders.amount), "
        "MEASURE(orders.count), MEASURE(order_items.revenue) FROM orders "
        "CROSS JOIN customers CROSS JOIN order_items CROSS JOIN products "
        f"WHERE customers.country IN ('DE', 'FR') AND orders.amount_value > {i} "
        "ORDER BY 3 DESC LIMIT 50"
    )


def in_list(i: int) -> str:
    values = ", ".join(str(i + n) for n in range(1000))
    return f"SELECT status, COUNT(*) FROM orders WHERE customer_id IN ({values})"


# BI-shaped statements (issue #13), as the tools send them; targets: cold p50 < 5 ms, cached
# p50 < 0.05 ms.
def metabase_rows(i: int) -> str:
    return (
        'SELECT "public"."orders"."id" AS "id", "public"."orders"."status" AS "status", '
        '"public"."orders"."amount" AS "amount" FROM "public"."orders" '
        f'WHERE "public"."orders"."amount" > {i} ORDER BY "public"."orders"."id" ASC LIMIT 2000'
    )


def tableau(i: int) -> str:
    return (
        'SELECT "customers"."country" AS "country", COUNT(DISTINCT "orders"."customer_id") '
        'AS "ctd:customer_id:ok", SUM("orders"."amount") AS "sum:amount:ok" FROM '
        '"public"."orders" "orders" INNER JOIN "public"."customers" "customers" ON '
        '("orders"."customer_id" = "customers"."id") '
        f'WHERE "orders"."amount_value" > {i} GROUP BY 1 HAVING (COUNT(1) > 0)'
    )


def powerbi(i: int) -> str:
    return (
        'select "_"."status", sum(cast("_"."amount" as decimal)) as "a0", count(1) as "a1" '
        'from (select "status", "amount", "id" from "public"."orders" "$Table") "_" '
        f'where "_"."id" > {i} group by "_"."status"'
    )


def window(i: int) -> str:
    return (
        "SELECT status, SUM(amount) AS total, RANK() OVER (ORDER BY SUM(amount) DESC) AS r, "
        "SUM(amount) FILTER (WHERE note IS NULL) AS quiet "
        f"FROM orders WHERE id > {i} GROUP BY status"
    )


KINDS: dict[str, Callable[[int], str]] = {"simple": simple, "joined": joined, "in-list": in_list}
BI_KINDS: dict[str, Callable[[int], str]] = {
    "metabase": metabase_rows, "tableau": tableau, "powerbi": powerbi, "window": window,
}
BI_COLD_TARGET_MS = 5.0
BI_CACHED_TARGET_MS = 0.05


def measure(action: Callable[[int], object], rounds: int) -> list[float]:
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dialect", default="postgres",
                        choices=["postgres", "mysql", "sqlite", "duckdb"])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    models = demo_models("demo")
    target = args.dialect

    def cold(kind: Callable[[int], str]) -> Callable[[int], object]:
        return lambda i: compile_query(kind(i + 1), client_dialect="postgres", models=models,
                                       access=ALLOW_ALL, target_dialect=target)

    def baseline(kind: Callable[[int], str]) -> Callable[[int], object]:
        return lambda i: sqlglot.parse_one(kind(i + 1), read="postgres").sql(dialect=target)

    cache = PlanCache()

    def cached(kind: Callable[[int], str]) -> Callable[[int], object]:
        text = kind(0)
        cache.compile(text, client_dialect="postgres", models=models, access=ALLOW_ALL,
                      target_dialect=target)
        return lambda i: cache.compile(text, client_dialect="postgres", models=models,
                                       access=ALLOW_ALL, target_dialect=target)

    first_start = time.perf_counter()
    compile_query(simple(0), client_dialect="postgres", models=demo_models("first"),
                  access=ALLOW_ALL, target_dialect=target)
    first_ms = (time.perf_counter() - first_start) * 1000

    print(f"engine planning time, target {target}, {args.rounds} rounds (ms)")
    print(f"{'query':<9} {'mode':<16} {'p50':>8} {'p99':>8}  vs target")
    for name, kind in {**KINDS, **BI_KINDS}.items():
        bi = name in BI_KINDS
        for mode, factory, target_ms in (
            ("sqlglot baseline", baseline, None),
            ("cold", cold, BI_COLD_TARGET_MS if bi else COLD_TARGET_MS),
            ("cached", cached, BI_CACHED_TARGET_MS if bi else CACHED_TARGET_MS),
        ):
            rounds = args.rounds * (20 if mode == "cached" else 1)
            action = factory(kind)
            measure(action, min(rounds, 20))  # warm-up
            p50, p99 = percentiles(measure(action, rounds))
            ratio = f"{p50 / target_ms:6.3f}x of {target_ms:g} ms" if target_ms else ""
            print(f"{name:<9} {mode:<16} {p50:8.3f} {p99:8.3f}  {ratio}")
    print(f"first query on a new model version (snippets parsed): {first_ms:.2f} ms")
    print("Cube's SQL API reports 6-145 ms per query (up to 1.5 s on long IN lists).")


if __name__ == "__main__":
    main()
