"""A credential holder's second look at this session's engine constructs (raw rows, ad-hoc
aggregates, FILTER, key-column joins, cubes joined with subqueries, windows, grouping sets):
output that a short statement multiplies, answers that differ from PostgreSQL over the same
rows, and client text reaching the data source. Driven through ``compile_query`` as the
gateways call it; differential cases ask the real PostgreSQL (and the other engines)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest
from sqlglot import exp, parse_one

from backend.core.errors import NotSupported, SqlError, StatementTooComplex, ValueTooLarge
from backend.semantic.model import ALLOW_ALL, AccessPolicy, ModelSet
from gateway.engine import compile_query
from tests.services import PG_TEST_DSN, require_postgres

from .engines import DuckRunner, PostgresRunner, Runner, SqliteRunner, close_enough, normalise_rows
from .models import RESTRICTED, demo_models
from .test_oracles import _without_hidden

TARGETS = ("postgres", "mysql", "sqlite", "duckdb")
KEYS = "status, id, customer_id, created_at, note, amount_value"
# 64 cube queries; the outer CUBE compiled the inner one once per outer set (64 x 64, about
# 1 MB of SQL and 10 s) from 310 bytes, under COMPILE_INLINE_BYTES, i.e. on the event loop.
NESTED_CUBE = (
    f"SELECT {KEYS}, SUM(c) c FROM (SELECT {KEYS}, COUNT(*) c FROM orders GROUP BY CUBE({KEYS}))"
    f" t GROUP BY CUBE({KEYS})"
)


def _self_joined_ctes(levels: int) -> str:
    """Each CTE joins the previous one with itself: CTEs are inlined at every reference, so
    the compiled SQL doubled per level (2^11 copies of the cube query from 891 bytes)."""
    sql = "WITH a0 AS (SELECT status, COUNT(*) c FROM orders GROUP BY status)"
    for i in range(1, levels + 1):
        sql += (f", a{i} AS (SELECT x.status, x.c FROM a{i - 1} x JOIN a{i - 1} y"
                " ON x.status = y.status)")
    return sql + f" SELECT * FROM a{levels}"


def _compile(sql: str, target: str = "postgres", access: object = ALLOW_ALL,
             schema: str = "demo") -> str:
    return compile_query(sql, client_dialect="postgres", models=demo_models(schema),
                         access=access, target_dialect=target).sql  # type: ignore[arg-type]


# --- (c) output a short statement multiplies --------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_nested_grouping_sets_are_refused_as_too_complex(target: str) -> None:
    assert len(NESTED_CUBE) < 1024
    with pytest.raises(StatementTooComplex) as info:
        _compile(NESTED_CUBE, target)
    assert info.value.sqlstate == "54001"


@pytest.mark.parametrize("target", TARGETS)
def test_self_joined_ctes_are_refused_as_too_complex(target: str) -> None:
    sql = _self_joined_ctes(11)
    assert len(sql) < 1024
    with pytest.raises(StatementTooComplex):
        _compile(sql, target)


def test_what_does_not_multiply_still_compiles() -> None:
    """The bound grows with the statement: one level of each shape, and 64 grouping sets of a
    20,000-item IN list (output proportional to the input), compile as before."""
    _compile(f"SELECT {KEYS}, COUNT(*) FROM orders GROUP BY CUBE({KEYS})")
    _compile(_self_joined_ctes(3))
    ids = ", ".join(str(i) for i in range(20_000))
    sql = f"SELECT {KEYS}, COUNT(*) FROM orders WHERE id IN ({ids}) GROUP BY CUBE({KEYS})"
    assert _compile(sql).count(" UNION ALL ") == 63


def test_a_long_rollup_is_refused_before_its_sets_are_built() -> None:
    """ROLLUP of n keys has n + 1 sets of up to n keys: 20,000 keys (60 KB) built 2 * 10^8
    tuple slots (1.5 GB) before the 64-set check refused them."""
    sql = f"SELECT COUNT(*) FROM orders GROUP BY ROLLUP({', '.join(['id'] * 20_000)})"
    tracemalloc.start()
    try:
        with pytest.raises(NotSupported, match="grouping sets"):
            _compile(sql)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MiB"


# --- (d) answers: windows over grouping sets, fan-out ---------------------------------------


@pytest.fixture(scope="module")
def runners() -> Iterator[list[Runner]]:
    require_postgres()
    postgres, duck, sqlite = PostgresRunner(PG_TEST_DSN), DuckRunner(), SqliteRunner()
    try:
        yield [postgres, duck, sqlite]
    finally:
        postgres.close()
        duck.close()
        sqlite.close()


def _differential(runners: list[Runner], sql: str, reference: str) -> None:
    postgres = runners[0]
    want = normalise_rows(postgres.run(reference.format(s=f"{postgres.schema}.")), ordered=False)
    assert want, "the reference must return rows for the comparison to mean anything"
    for runner in runners:
        compiled = _compile(sql, runner.engine, schema=runner.schema)
        got = normalise_rows(runner.run(compiled), ordered=False)
        assert close_enough(got, want, 1e-6), (runner.engine, got, want)


WINDOWS_OVER_SETS = [
    # A window spans the rows of every grouping set: the total row ranks first and the sum
    # over all rows counts every order twice. Applied per UNION ALL branch, ranks restarted
    # and the sum was 900.
    ("SELECT status, COUNT(*) c, RANK() OVER (ORDER BY COUNT(*) DESC) r, "
     "SUM(COUNT(*)) OVER () t FROM orders GROUP BY ROLLUP(status)",
     "SELECT status, COUNT(*) c, RANK() OVER (ORDER BY COUNT(*) DESC) r, "
     "SUM(COUNT(*)) OVER () t FROM {s}orders GROUP BY ROLLUP(status)"),
    # PARTITION BY a key absent from a set: the total branch was grouped by status again
    # (one NULL row per status, with per-status counts).
    ("SELECT status, COUNT(*) c, ROW_NUMBER() OVER (PARTITION BY status ORDER BY COUNT(*)) r "
     "FROM orders GROUP BY ROLLUP(status)",
     "SELECT status, COUNT(*) c, ROW_NUMBER() OVER (PARTITION BY status ORDER BY COUNT(*)) r "
     "FROM {s}orders GROUP BY ROLLUP(status)"),
    ("SELECT status, note, COUNT(*) c, GROUPING(status) g, "
     "DENSE_RANK() OVER (PARTITION BY GROUPING(status) ORDER BY COUNT(*) DESC) r "
     "FROM orders GROUP BY GROUPING SETS ((status, note), (note), ())",
     "SELECT status, note, COUNT(*) c, GROUPING(status) g, "
     "DENSE_RANK() OVER (PARTITION BY GROUPING(status) ORDER BY COUNT(*) DESC) r "
     "FROM {s}orders GROUP BY GROUPING SETS ((status, note), (note), ())"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("sql", "reference"), WINDOWS_OVER_SETS)
def test_windows_over_grouping_sets_answer_as_postgres(
    runners: list[Runner], sql: str, reference: str
) -> None:
    _differential(runners, sql, reference)


HELD = [
    # Ad-hoc aggregates over key-column joins, FILTER, NULLs, GROUPING, duplicate sets.
    ("SELECT c.city, AVG(o.amount) a, COUNT(o.id) n FROM orders o JOIN customers c "
     "ON o.customer_id = c.id GROUP BY c.city",
     "SELECT c.city, AVG(o.amount) a, COUNT(o.id) n FROM {s}orders o JOIN {s}customers c "
     "ON o.customer_id = c.id GROUP BY c.city"),
    ("SELECT o.status, SUM(i.quantity) q, COUNT(DISTINCT i.product_id) p, AVG(i.quantity) a "
     "FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.status",
     "SELECT o.status, SUM(i.quantity) q, COUNT(DISTINCT i.product_id) p, AVG(i.quantity) a "
     "FROM {s}orders o JOIN {s}order_items i ON i.order_id = o.id GROUP BY o.status"),
    ("SELECT status, COUNT(*) FILTER (WHERE note IS NULL) a, SUM(amount) FILTER (WHERE amount "
     "> 100) b, COUNT(DISTINCT customer_id) FILTER (WHERE status <> 'x') d FROM orders "
     "GROUP BY status",
     "SELECT status, COUNT(*) FILTER (WHERE note IS NULL) a, SUM(amount) FILTER (WHERE amount "
     "> 100) b, COUNT(DISTINCT customer_id) FILTER (WHERE status <> 'x') d FROM {s}orders "
     "GROUP BY status"),
    ("SELECT COUNT(*), COUNT(note), COUNT(DISTINCT note), MIN(note), "
     "SUM(CASE WHEN note IS NULL THEN 1 END) FROM orders",
     "SELECT COUNT(*), COUNT(note), COUNT(DISTINCT note), MIN(note), "
     "SUM(CASE WHEN note IS NULL THEN 1 END) FROM {s}orders"),
    ("SELECT status, note, COUNT(*) c, SUM(amount) a, GROUPING(status, note) g FROM orders "
     "GROUP BY ROLLUP(status, note)",
     "SELECT status, note, COUNT(*) c, SUM(amount) a, GROUPING(status, note) g FROM {s}orders "
     "GROUP BY ROLLUP(status, note)"),
    ("SELECT status, COUNT(*) FROM orders GROUP BY GROUPING SETS ((status), (status), ())",
     "SELECT status, COUNT(*) FROM {s}orders GROUP BY GROUPING SETS ((status), (status), ())"),
    ("SELECT status, COUNT(*) FROM orders GROUP BY status, ROLLUP(status)",
     "SELECT status, COUNT(*) FROM {s}orders GROUP BY status, ROLLUP(status)"),
    ("SELECT o.status, c.country, SUM(o.amount) FROM orders o JOIN customers c "
     "ON o.customer_id = c.id GROUP BY CUBE(o.status, c.country)",
     "SELECT o.status, c.country, SUM(o.amount) FROM {s}orders o JOIN {s}customers c "
     "ON o.customer_id = c.id GROUP BY CUBE(o.status, c.country)"),
    ("SELECT o.status, SUM(o.amount) FROM orders o JOIN (SELECT status FROM orders GROUP BY "
     "status ORDER BY SUM(amount) DESC LIMIT 2) t ON o.status = t.status GROUP BY o.status",
     "SELECT o.status, SUM(o.amount) FROM {s}orders o JOIN (SELECT status FROM {s}orders GROUP "
     "BY status ORDER BY SUM(amount) DESC LIMIT 2) t ON o.status = t.status GROUP BY o.status"),
    ("SELECT id, amount, LAG(amount) OVER (PARTITION BY status ORDER BY id) l, SUM(amount) "
     "OVER (PARTITION BY status ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) w "
     "FROM orders",
     "SELECT id, amount, LAG(amount) OVER (PARTITION BY status ORDER BY id) l, SUM(amount) "
     "OVER (PARTITION BY status ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) w "
     "FROM {s}orders"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("sql", "reference"), HELD)
def test_new_constructs_answer_as_postgres(
    runners: list[Runner], sql: str, reference: str
) -> None:
    _differential(runners, sql, reference)


MULTIPLIED_ONE_CUBE = [
    # One cube's ad-hoc aggregate over a join that repeats its rows: PostgreSQL weighs each
    # customer by their orders; the engine averages distinct customers (fan-out safe), with
    # no error. The rule says both "exactly what PostgreSQL returns" and "joins never
    # multiply it"; here they disagree and the answer is silently not PostgreSQL's.
    ("SELECT c.vip, AVG(c.id) FROM orders o JOIN customers c ON o.customer_id = c.id "
     "GROUP BY c.vip",
     "SELECT c.vip, AVG(c.id) FROM {s}orders o JOIN {s}customers c ON o.customer_id = c.id "
     "GROUP BY c.vip"),
    ("SELECT i.product_id, SUM(o.amount) FROM order_items i JOIN orders o "
     "ON i.order_id = o.id GROUP BY i.product_id",
     "SELECT i.product_id, SUM(o.amount) FROM {s}order_items i JOIN {s}orders o "
     "ON i.order_id = o.id GROUP BY i.product_id"),
    # Tableau's SUM(IIF(vip, 1, 0)): an aggregate of customers' columns only, so (by the
    # rule's fan-out safety) over distinct customers, where PostgreSQL sums joined rows.
    ("SELECT o.status, SUM(CASE WHEN c.vip THEN 1 ELSE 0 END) v FROM orders o JOIN customers c "
     "ON o.customer_id = c.id GROUP BY o.status",
     "SELECT o.status, SUM(CASE WHEN c.vip THEN 1 ELSE 0 END) v FROM {s}orders o JOIN "
     "{s}customers c ON o.customer_id = c.id GROUP BY o.status"),
]


@pytest.mark.postgres
def test_count_star_with_a_filter_on_a_joined_cube_counts_joined_rows(
    runners: list[Runner],
) -> None:
    # COUNT(*) counts the joined rows (docs/engine.md: the root cube's rows when each meets at
    # most one row of the others, as here); a FILTER on a customers column made it a count of
    # distinct customers: 20 instead of 34 canceled orders of VIP customers.
    _differential(
        runners,
        "SELECT o.status, COUNT(*) FILTER (WHERE c.vip) v FROM orders o JOIN customers c "
        "ON o.customer_id = c.id GROUP BY o.status",
        "SELECT o.status, COUNT(*) FILTER (WHERE c.vip) v FROM {s}orders o JOIN {s}customers c "
        "ON o.customer_id = c.id GROUP BY o.status",
    )


@pytest.mark.postgres
@pytest.mark.xfail(strict=True, reason="by the rule's fan-out safety (docs/engine.md), an "
                   "aggregate over columns of one cube counts that cube's rows once even where "
                   "the written join repeats them; PostgreSQL aggregates the joined rows. A "
                   "stated difference, not silent: kept here so a change of rule shows")
@pytest.mark.parametrize(("sql", "reference"), MULTIPLIED_ONE_CUBE)
def test_a_multiplied_ad_hoc_aggregate_is_postgres_or_refused(
    runners: list[Runner], sql: str, reference: str
) -> None:
    try:
        _compile(sql)
    except SqlError:
        return  # refused: not a wrong answer
    _differential(runners, sql, reference)


# --- (a) client text into the data-source SQL; (b) hidden members -----------------------------

PAYLOADS = [
    "SELECT status, COUNT(*) FILTER (WHERE pg_sleep(1) IS NULL) FROM orders GROUP BY status",
    "SELECT status, COUNT(*) FILTER (WHERE id IN (SELECT 1)) FROM orders GROUP BY status",
    "SELECT COUNT(*) FILTER (WHERE EXISTS (SELECT 1)) FROM orders",
    "SELECT SUM(amount) OVER (ORDER BY id ROWS BETWEEN (SELECT 1) PRECEDING AND CURRENT ROW) "
    "FROM orders",
    "SELECT SUM(amount) OVER (ORDER BY id ROWS BETWEEN pg_sleep(1) PRECEDING AND CURRENT ROW) "
    "FROM orders",
    "SELECT NTILE((SELECT 2)) OVER (ORDER BY id) FROM orders",
    "SELECT LAG(amount, (SELECT 1)) OVER (ORDER BY id) FROM orders",
    "SELECT LAG(amount, 1, pg_read_file('/etc/passwd')) OVER (ORDER BY id) FROM orders",
    "SELECT status, COUNT(*) FROM orders GROUP BY ROLLUP(status, (SELECT 1))",
    "SELECT status, COUNT(*) FROM orders GROUP BY GROUPING SETS ((status), (pg_sleep(1)))",
    "SELECT status, GROUPING(pg_sleep(1)) FROM orders GROUP BY ROLLUP(status)",
    "SELECT status, GROUPING((SELECT secret FROM pg_authid)) FROM orders GROUP BY ROLLUP(status)",
    "SELECT o.status FROM orders o JOIN customers c ON o.customer_id = c.id "
    "AND pg_sleep(1) IS NULL",
    "SELECT o.status FROM orders o JOIN pg_catalog.pg_user u ON o.status = u.usename",
    "WITH u AS (SELECT usename FROM pg_user) SELECT o.status FROM orders o JOIN u "
    "ON o.status = u.usename",
    "SELECT o.status FROM orders o JOIN (SELECT usename FROM pg_catalog.pg_user) u "
    "ON o.status = u.usename",
    "SELECT o.status FROM orders o JOIN (SELECT pg_sleep(1) AS x) u ON true",
    "SELECT o.status FROM orders o JOIN demo.orders u ON o.id = u.id",
    "SELECT t.x FROM orders o JOIN (SELECT status AS x FROM orders LIMIT (SELECT 1)) t "
    "ON t.x = o.status",
    "SELECT COUNT(*) FILTER (WHERE note = current_setting('data_directory')) FROM orders",
    "SELECT status, RANK() OVER w FROM orders WINDOW w AS (ORDER BY id)",
]
FORBIDDEN = ("pg_sleep", "pg_read_file", "pg_user", "pg_authid", "current_setting",
             "sleep", "passwd")


@pytest.mark.parametrize("target", ("postgres", "mysql"))
@pytest.mark.parametrize("sql", PAYLOADS)
def test_client_text_in_the_new_constructs_never_reaches_the_source(sql: str, target: str) -> None:
    try:
        compiled = _compile(sql, target)
    except SqlError:
        return
    lowered = compiled.lower()
    assert not any(word in lowered for word in FORBIDDEN), compiled
    tables = {t.name for t in parse_one(compiled, read=target).find_all(exp.Table)}
    assert tables <= {"orders", "customers", "order_items", "products"}, compiled


HIDDEN_VS_MISSING = [
    "SELECT status, COUNT(*) FILTER (WHERE {c} = 'x') FROM orders GROUP BY status",
    "SELECT status, ROW_NUMBER() OVER (PARTITION BY {c} ORDER BY id) FROM orders",
    "SELECT status FROM orders GROUP BY ROLLUP(status, {c})",
    "SELECT status, SUM({c}) FROM orders GROUP BY status",
    "SELECT o.status FROM orders o JOIN customers c ON o.{c} = c.id",
    "SELECT o.{c} FROM orders o JOIN (SELECT city FROM customers) t ON o.status = t.city",
    "SELECT t.{c} FROM orders o JOIN (SELECT * FROM orders) t ON o.id = t.id",
]


@pytest.mark.parametrize("hidden", ("note", "customer_id", "secret_note", "amount_value"))
@pytest.mark.parametrize("shape", HIDDEN_VS_MISSING)
def test_hidden_members_answer_like_missing_ones(shape: str, hidden: str) -> None:
    """RESTRICTED hides these orders members: the error (SQLSTATE, message, hint) is the one
    for models from which they were deleted."""
    sql = shape.format(c=hidden)

    def error(models: ModelSet, access: AccessPolicy) -> tuple[str, str, str | None]:
        with pytest.raises(SqlError) as info:
            compile_query(sql, client_dialect="postgres", models=models, access=access,
                          target_dialect="postgres")
        return info.value.sqlstate, str(info.value), info.value.hint

    full = demo_models("demo")
    assert error(full, RESTRICTED) == error(_without_hidden(full, RESTRICTED), ALLOW_ALL)


# --- (c) values whose size the statement chooses -------------------------------------------
# DuckDB and SQLite sources run in the gateway's process, and DuckDB builds LPAD's and
# REPLACE's values outside its memory limit (1.3 GB for LPAD(x, 2e8), was a strict xfail
# here); tests/gateway_pg/test_value_limits.py sends these over the socket and reads the
# gateway's peak memory. Here: every client dialect and target refuses them alike.


def _doubling(levels: int, step: str = "s || s") -> str:
    sql = "WITH a0 AS (SELECT status s FROM orders)"
    for i in range(1, levels + 1):
        sql += f", a{i} AS (SELECT {step} s FROM a{i - 1})"
    return sql + f" SELECT LENGTH(s) FROM a{levels}"


VALUE_BOMBS = [
    _doubling(24),  # 9 bytes * 2^24 = 150 MB per row
    _doubling(7, "CONCAT(s, s, 'x')"),
    "SELECT LPAD(status, 200000000) FROM orders",
    "SELECT RPAD(status, 9000, 'x') FROM orders",
    "SELECT LPAD(status, id) FROM orders",
    "SELECT id FROM orders ORDER BY LPAD(status, 100000)",
    "SELECT status, COUNT(*) FROM orders GROUP BY status HAVING MAX(LPAD(status, 100000)) > ''",
    "SELECT LAG(LPAD(status, 100000)) OVER (ORDER BY id) FROM orders",
    "SELECT REPLACE(REPLACE(REPLACE(status, 'e', 'eeeeeeeeee'), 'e', 'eeeeeeeeee'), 'e', "
    "'eeeeeeeeee') FROM orders",
    "SELECT REPLACE(status, 'e', status) FROM orders",
    "SELECT CONCAT_WS(status, " + ", ".join(["status"] * 70) + ") FROM orders",
    "SELECT t.s || t.s FROM (SELECT status || status || status || status || status || status"
    " || status || status AS s FROM orders) t CROSS JOIN (SELECT 1 x) u"
    " WHERE " + " || ".join(["t.s"] * 9) + " > ''",  # 8 * 9 stored values
    "SELECT a FROM (SELECT status || status AS a FROM orders UNION ALL "
    "SELECT LPAD(status, 10000) FROM orders) t",
    "SELECT CAST(status AS CHAR(100000)) FROM orders",
    "SELECT id FROM orders WHERE status = (SELECT MAX(LPAD(status, 100000)) FROM orders)",
    # a literal is paid for by the statement's length, but an output column repeats it per
    # row (a 200 KB one over 5,000 rows of a fetch batch was 2 GB in the gateway)
    "SELECT '" + "x" * 20_000 + "' FROM orders",
    "SELECT v FROM (SELECT CAST('" + "x" * 20_000 + "' AS TEXT) AS v FROM orders) t",
    "SELECT status || '" + "x" * 20_000 + "' FROM orders",
]


@pytest.mark.parametrize("client", ("postgres", "mysql"))
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("sql", VALUE_BOMBS)
def test_a_value_the_statement_sizes_is_refused(sql: str, target: str, client: str) -> None:
    if client == "mysql" and "||" in sql:
        pytest.skip("|| is OR in MySQL")
    with pytest.raises(ValueTooLarge) as info:
        compile_query(sql, client_dialect=client, models=demo_models("demo"),  # type: ignore[arg-type]
                      access=ALLOW_ALL, target_dialect=target)  # type: ignore[arg-type]
    assert info.value.sqlstate == "54000"


@pytest.mark.parametrize("sql", [
    _doubling(6),  # 64 stored values
    "SELECT LPAD(status, 8192, 'x'), RPAD(status, -1) FROM orders",
    "SELECT REPLACE(REPLACE(status, 'e', 'ee'), 'ee', 'e') FROM orders",
    "SELECT CONCAT_WS(', ', " + ", ".join(["status"] * 60) + ") FROM orders",
    "SELECT CAST(status AS VARCHAR(1000000)), TO_CHAR(created_at, 'YYYY-MM-DD') FROM orders",
    "SELECT note FROM orders WHERE note = '" + "x" * 20_000 + "'",  # paid by its own length
    "SELECT note FROM orders WHERE note IN ('" + "x" * 9_000 + "', CAST('" + "y" * 9_000
    + "' AS TEXT))",
])
def test_values_within_the_bounds_compile(sql: str) -> None:
    for target in TARGETS:
        if "PAD" not in sql or target != "sqlite":  # SQLite has no LPAD
            _compile(sql, target)


def test_every_allowlisted_node_has_a_size_rule() -> None:
    """A node type added to the allowlist must say whether it can make a value longer than its
    arguments (values.GROWING, with a rule) or not (values.BOUNDED_BY_ARGUMENTS)."""
    from gateway.engine.values import BOUNDED_BY_ARGUMENTS, GROWING
    from gateway.engine.whitelist import AGGREGATE_NODES, SCALAR_NODES
    from gateway.engine.windows import WINDOW_FUNCTIONS

    admitted = SCALAR_NODES | AGGREGATE_NODES | WINDOW_FUNCTIONS
    assert admitted - GROWING - BOUNDED_BY_ARGUMENTS == set()
    assert not GROWING & BOUNDED_BY_ARGUMENTS


HIDDEN_CUBE_SHAPES = [
    "SELECT * FROM {t} i JOIN (SELECT 1 x) t ON true",
    "SELECT COUNT(*) FROM orders o JOIN {t} p ON o.id = p.id",
    "SELECT o.status FROM orders o JOIN {t} p ON o.customer_id = p.id",
    "SELECT COUNT(*) FILTER (WHERE p.id > 1) FROM orders o CROSS JOIN {t} p",
    "SELECT ROW_NUMBER() OVER (ORDER BY p.id) FROM {t} p",
    "SELECT id, COUNT(*) FROM {t} GROUP BY ROLLUP(id)",
    "WITH x AS (SELECT * FROM {t}) SELECT * FROM orders o JOIN x ON x.id = o.id",
]


@pytest.mark.parametrize("cube", ("products", "internal_audit", "order_items"))
@pytest.mark.parametrize("shape", HIDDEN_CUBE_SHAPES)
def test_hidden_cubes_answer_like_missing_ones(shape: str, cube: str) -> None:
    """Cubes outside RESTRICTED's list (and a non-public one) in the new constructs: the same
    outcome as over models from which they were deleted."""
    sql = shape.format(t=cube)

    def outcome(models: ModelSet, access: AccessPolicy) -> tuple[str, str, str | None]:
        try:
            compile_query(sql, client_dialect="postgres", models=models, access=access,
                          target_dialect="postgres")
        except SqlError as e:
            return e.sqlstate, str(e), e.hint
        return "ok", "", None

    full = demo_models("demo")
    assert outcome(full, RESTRICTED) == outcome(_without_hidden(full, RESTRICTED), ALLOW_ALL)
