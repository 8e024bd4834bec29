"""The engine's public surface: errors with codes and hints, the cache, the visible schema,
output columns, and the rule that the engine does no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from backend.core.errors import (
    NotSupported,
    ReadOnly,
    SqlSyntaxError,
    UnknownColumn,
    UnknownTable,
)
from backend.semantic.model import ALLOW_ALL, AccessPolicy
from gateway.engine import (
    CompiledQuery,
    OutputColumn,
    PlanCache,
    compile_query,
    visible_schema,
)

from .models import RESTRICTED, demo_models

MODELS = demo_models("demo")


def _compile(sql: str, access: AccessPolicy = ALLOW_ALL, client: str = "postgres") -> object:
    return compile_query(sql, client_dialect=client, models=MODELS, access=access,  # type: ignore[arg-type]
                         target_dialect="postgres")


def test_unknown_column_suggests_a_name() -> None:
    with pytest.raises(UnknownColumn) as caught:
        _compile("SELECT stauts FROM orders")
    assert caught.value.hint == "did you mean status?"
    assert caught.value.sqlstate == "42703" and caught.value.mysql_errno == 1054


def test_unknown_table_suggests_a_cube() -> None:
    with pytest.raises(UnknownTable) as caught:
        _compile("SELECT COUNT(*) FROM order")
    assert caught.value.hint is not None and "orders" in caught.value.hint


def test_a_hidden_member_is_a_missing_column() -> None:
    with pytest.raises(UnknownColumn) as caught:
        _compile("SELECT status FROM orders WHERE customer_id = 1", RESTRICTED)
    assert caught.value.message == 'column "customer_id" does not exist'
    assert caught.value.sqlstate == "42703"


def test_number_measure_per_row_is_refused_with_a_hint() -> None:
    # A number measure (a formula over measures) has no value per row: refused, never guessed.
    with pytest.raises(NotSupported) as caught:
        _compile("SELECT id, average_order FROM orders")
    assert "no value per row" in str(caught.value)
    assert caught.value.hint is not None and "MEASURE(average_order)" in caught.value.hint


def test_other_aggregate_of_a_measure_column_aggregates_its_input() -> None:
    # AVG over a sum measure's column is the average of the summed expression, as SQL says.
    compiled = _compile("SELECT AVG(amount) FROM orders")
    assert isinstance(compiled, CompiledQuery)
    assert compiled.sql == 'SELECT AVG("orders".amount) AS "avg" FROM demo.orders AS "orders"'


def test_measure_in_where_hints_having() -> None:
    with pytest.raises(NotSupported) as caught:
        _compile("SELECT status FROM orders WHERE MEASURE(count) > 1")
    assert caught.value.hint == "filter measures with HAVING"


def test_dml_is_read_only() -> None:
    with pytest.raises(ReadOnly) as caught:
        _compile("DELETE FROM orders")
    assert caught.value.sqlstate == "25006" and caught.value.mysql_errno == 1290


def test_several_statements_are_refused() -> None:
    with pytest.raises(SqlSyntaxError):
        _compile("SELECT 1; SELECT 2")


def test_output_columns_and_types() -> None:
    compiled = compile_query(
        "SELECT status, created_at, DATE_TRUNC('month', created_at) AS m, COUNT(*), "
        "MEASURE(amount), MEASURE(average_order), completed, EXTRACT(YEAR FROM created_at) "
        "FROM orders",
        client_dialect="postgres", models=MODELS, access=ALLOW_ALL, target_dialect="duckdb",
    )
    assert compiled.columns == (
        OutputColumn("status", "text"), OutputColumn("created_at", "timestamp"),
        OutputColumn("m", "timestamp"), OutputColumn("count", "int8"),
        OutputColumn("measure", "numeric"), OutputColumn("measure", "numeric"),
        OutputColumn("completed", "bool"), OutputColumn("extract", "numeric"),
    )


def test_mysql_client_names_columns_by_text() -> None:
    compiled = compile_query("SELECT COUNT(*), status AS St FROM orders", client_dialect="mysql",
                             models=MODELS, access=ALLOW_ALL, target_dialect="mysql")
    assert [c.name for c in compiled.columns] == ["COUNT(*)", "St"]


def test_cache_returns_the_same_plan_and_keys_on_access_and_models() -> None:
    cache = PlanCache(maxsize=2)
    args = {"client_dialect": "postgres", "models": MODELS, "target_dialect": "postgres"}
    first = cache.compile("SELECT COUNT(*) FROM orders", access=ALLOW_ALL, **args)  # type: ignore[arg-type]
    second = cache.compile("SELECT COUNT(*) FROM orders", access=ALLOW_ALL, **args)  # type: ignore[arg-type]
    assert first is second and cache.hits == 1
    restricted = cache.compile("SELECT COUNT(*) FROM orders", access=RESTRICTED, **args)  # type: ignore[arg-type]
    assert restricted is not first and cache.misses == 2
    with pytest.raises(UnknownColumn):  # errors are recomputed, never cached as success
        cache.compile("SELECT note FROM orders", access=RESTRICTED, **args)  # type: ignore[arg-type]
    other = demo_models("other")
    moved = cache.compile("SELECT COUNT(*) FROM orders", access=ALLOW_ALL,
                          client_dialect="postgres", models=other, target_dialect="postgres")
    assert "other.orders" in moved.sql
    assert len(cache) == 2


def test_visible_schema_follows_access() -> None:
    tables = {t.name: t for t in visible_schema(MODELS, RESTRICTED)}
    assert set(tables) == {"orders", "customers"}
    orders = [(c.name, c.type, c.kind) for c in tables["orders"].columns]
    assert orders == [
        ("id", "numeric", "dimension"), ("status", "text", "dimension"),
        ("created_at", "timestamp", "dimension"), ("count", "int8", "measure"),
        ("amount", "numeric", "measure"), ("average_order", "numeric", "measure"),
        ("completed", "bool", "segment"), ("__cubeJoinField", "text", "join_field"),
    ]
    everything = {t.name for t in visible_schema(MODELS, ALLOW_ALL)}
    assert "internal_audit" not in everything and "products" in everything
    hidden = [c.name for c in next(t for t in visible_schema(MODELS, ALLOW_ALL)
                                    if t.name == "orders").columns]
    assert "secret_note" not in hidden


def test_engine_modules_do_no_io() -> None:
    forbidden = {"asyncio", "socket", "os", "subprocess", "pathlib", "io", "duckdb", "asyncpg",
                 "aiomysql", "sqlite3", "urllib", "http"}
    for path in (Path(__file__).parents[2] / "gateway" / "engine").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"


def test_key_join_that_matches_no_declared_join_hints_the_declared_one() -> None:
    with pytest.raises(NotSupported) as caught:
        _compile("SELECT customers.country FROM orders JOIN customers ON orders.id = customers.id")
    assert caught.value.hint == (
        "the model joins orders and customers on orders.customer_id = customers.id"
    )


def test_key_join_hint_never_shows_columns_the_credential_cannot_see() -> None:
    # orders.customer_id and customers.id are outside the restricted access list.
    with pytest.raises(NotSupported) as caught:
        _compile("SELECT customers.country FROM orders JOIN customers ON orders.id = "
                 "customers.country", access=RESTRICTED)
    assert "customer_id" not in str(caught.value.hint) and "customers.id" not in str(
        caught.value.hint)


@pytest.mark.parametrize("sql, types", [
    ("SELECT count(*) FROM orders WHERE id = $1", ("numeric",)),
    ("SELECT id FROM orders WHERE id = $1 LIMIT $2", ("numeric", "int8")),
    ("SELECT status, count(*) FILTER (WHERE amount > $1) FROM orders WHERE created_at > $2 "
     "GROUP BY 1", ("numeric", "timestamp")),
])
def test_parameter_types_come_from_context(sql: str, types: tuple[str, ...]) -> None:
    # What ParameterDescription announces for untyped parameters (psqlODBC, pgjdbc).
    compiled = _compile(sql)
    assert isinstance(compiled, CompiledQuery)
    assert compiled.param_types == types
