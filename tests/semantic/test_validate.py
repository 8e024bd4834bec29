"""Validation: every mistake in hand-written models is reported, all at once, with its place."""

from __future__ import annotations

import pytest

from backend.core.errors import ModelValidationFailed
from backend.semantic.problems import Problem
from backend.semantic.validate import check_models, load_models, validate_models

from .test_loader import CUSTOMERS, ORDERS

COLUMNS = {
    "public.orders": {"id", "customer_id", "status", "created_at", "amount"},
    "public.customers": {"id", "email"},
}

# One file with one mistake (or more) on nearly every line; the expected list below names the
# line of each.
MISTAKES = """\
cubes:
  - name: shop
    sql_table: public.orders
    sql: SELECT * FROM public.orders
    joins:
      - { name: nowhere, relationship: many_to_one, sql: "{CUBE}.x = {nowhere}.id" }
      - { name: customers, relationship: belongs_too, sql: "{CUBE}.customer_id = {customers}.id" }
      - { name: customers, relationship: many_to_one }
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: id, sql: id, type: number }
      - { name: status, sql: status, type: text }
      - { name: 2fast, sql: status, type: string }
      - { sql: status, type: string }
      - { name: no_sql, type: string }
      - { name: no_type, sql: status }
      - { name: loop_a, sql: "{loop_b} || 'a'", type: string }
      - { name: loop_b, sql: "{loop_a} || 'b'", type: string }
      - { name: uses_measure, sql: "{total} > 1", type: boolean }
      - { name: dangling, sql: "{nothing}", type: string }
      - { name: bad_cube_ref, sql: "{ghosts.name}", type: string }
      - { name: bad_member_ref, sql: "{customers.nickname}", type: string }
      - { name: filtered, sql: "{FILTER_PARAMS.shop.status}", type: string }
      - { name: primary, sql: id, type: number, primary_key: yes please }
    measures:
      - { name: count, type: count }
      - { name: total, type: sum }
      - { name: ratio, sql: "{share} * 2", type: number }
      - { name: share, sql: "{ratio} / {count}", type: number }
      - { name: per_id, sql: "{total} / {id}", type: number }
      - { name: sum_of_measure, sql: "{total}", type: sum }
      - { name: avg_x, sql: amount, type: average }
      - { name: selfish, sql: "{selfish} + 1", type: number }
      - { name: odd_filter, type: count, filters: [{ sql: "{ratio} > 1" }] }
    segments:
      - { name: big, sql: "{total} > 100" }
      - { name: empty }
      - { name: big, sql: "{CUBE}.amount > 100" }
"""

EXPECTED = [
    (2, "shop", None, "cube has both sql_table and sql; keep one"),
    (6, "shop", "nowhere", "join to unknown cube nowhere"),
    (7, "shop", "customers", "unknown relationship belongs_too "
                             "(expected many_to_one, one_to_many or one_to_one)"),
    (8, "shop", "customers", "duplicate join to customers"),
    (8, "shop", "customers", "join has no sql"),
    (11, "shop", "id", "duplicate member name id (first defined at line 10)"),
    (12, "shop", "status", "unknown dimension type text "
                           "(expected string, number, time or boolean)"),
    (13, "shop", "2fast", "invalid member name '2fast': names must match [A-Za-z_][A-Za-z0-9_]*"),
    (14, "shop", None, "dimension has no name"),
    (15, "shop", "no_sql", "dimension has no sql"),
    (16, "shop", "no_type", "dimension has no type"),
    (17, "shop", "loop_a", "cycle in dimension references: "
                           "shop.loop_a -> shop.loop_b -> shop.loop_a"),
    (19, "shop", "uses_measure", "a dimension cannot reference a measure (total)"),
    (20, "shop", "dangling", "unknown reference {nothing}: no member nothing in cube shop and "
                             "no cube nothing"),
    (21, "shop", "bad_cube_ref", "unknown cube ghosts in {ghosts.name}"),
    (22, "shop", "bad_member_ref", "unknown member nickname of cube customers in "
                                   "{customers.nickname}"),
    (23, "shop", "filtered", "FILTER_PARAMS is not supported (in {FILTER_PARAMS.shop.status})"),
    (24, "shop", "primary", "primary_key must be true or false"),
    (27, "shop", "total", "measure of type sum needs sql"),
    (28, "shop", "ratio", "cycle in measure references: shop.ratio -> shop.share -> shop.ratio"),
    (30, "shop", "per_id", "a number measure can only reference measures; id is a dimension"),
    (31, "shop", "sum_of_measure", "an aggregate measure cannot reference a measure; use type: "
                                   "number for formulas over measures (total)"),
    (32, "shop", "avg_x", "unknown measure type average (expected count, count_distinct, "
                          "count_distinct_approx, sum, avg, min, max or number)"),
    (33, "shop", "selfish", "cycle in measure references: shop.selfish -> shop.selfish"),
    (34, "shop", "odd_filter", "only dimensions can be referenced here (ratio)"),
    (36, "shop", "big", "only dimensions can be referenced here (total)"),
    (37, "shop", "empty", "segment has no sql"),
    (38, "shop", "big", "duplicate member name big (first defined at line 36)"),
]


def _rows(problems: list[Problem]) -> list[tuple[int, str | None, str | None, str]]:
    return [(p.line, p.cube, p.member, p.message) for p in problems]


def test_every_mistake_in_one_file_is_reported_with_its_line_and_member() -> None:
    with pytest.raises(ModelValidationFailed) as caught:
        load_models({"shop.yml": MISTAKES, "customers.yml": CUSTOMERS})
    problems = [p for p in caught.value.problems if isinstance(p, Problem)]
    assert len(problems) == len(caught.value.problems)
    assert all(p.file == "shop.yml" for p in problems)
    assert _rows(problems) == sorted(EXPECTED, key=lambda r: (r[0], r[3]))
    assert caught.value.code == "MODEL_INVALID"
    assert str(caught.value).startswith(f"{len(EXPECTED)} problem(s) in the model files; first: "
                                        "shop.yml:2: shop: cube has both")


def test_valid_models_load_with_and_without_known_columns() -> None:
    files = {"orders.yml": ORDERS, "customers.yml": CUSTOMERS}
    models = load_models(files)
    assert sorted(models.cubes) == ["customers", "orders"]
    assert load_models(files, columns=COLUMNS) == models
    assert validate_models(models, columns=COLUMNS) == []


@pytest.mark.parametrize(
    ("text", "line", "member", "message"),
    [
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n   oops: 1\n", 4, None,
                     "YAML syntax error: expected <block end>, but found '<block mapping start>' "
                     "(while parsing a block collection)", id="yaml-syntax"),
        pytest.param("cubes:\n  - name: a\n    sql_table: [t\n", 4, None,
                     "YAML syntax error: expected ',' or ']', but got '<stream end>' "
                     "(while parsing a flow sequence)", id="yaml-unclosed"),
        pytest.param("- name: a\n", 1, None, "the file must be a mapping with a cubes: list",
                     id="not-a-mapping"),
        pytest.param("cubes:\n  - sql_table: t\n", 2, None, "cube has no name", id="cube-no-name"),
        pytest.param("cubes:\n  - name: a\n", 2, None, "cube needs sql_table or sql",
                     id="no-table"),
        pytest.param("cubes:\n  - name: my-cube\n    sql_table: t\n", 2, None,
                     "invalid cube name 'my-cube': names must match [A-Za-z_][A-Za-z0-9_]*",
                     id="cube-identifier"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    sql_table: u\n", 4, None,
                     "duplicate key sql_table", id="duplicate-key"),
        pytest.param("cubes:\n  - name: a\n    sqlTable: t\n    sql_table: u\n", 4, None,
                     "duplicate key sql_table", id="duplicate-key-two-spellings"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    dimensions:\n"
                     "      - { name: CUBE, sql: x, type: string }\n", 5, "CUBE",
                     "CUBE is reserved and cannot be a member name", id="reserved-name"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    dimensions:\n"
                     "      - { name: d, sql: [x], type: string }\n", 5, "d",
                     "sql must be text, not a list", id="sql-not-text"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    joins:\n"
                     "      - { name: a, relationship: many_to_one, sql: '{CUBE}.p = {a}.id' }\n",
                     5, "a", "a cube cannot join itself", id="self-join"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    measures:\n"
                     "      - { name: m, type: count, filters: {sql: x} }\n", 5, "m",
                     "filters must be a list of {sql: ...}", id="filters-shape"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    dimensions: 3\n", 4, None,
                     "dimensions must be a list", id="members-shape"),
        pytest.param("cubes:\n  - name: a\n    sql_table: t\n    joins:\n"
                     "      - { name: b, sql: '{CUBE}.b = {b}.id' }\n"
                     "  - { name: b, sql_table: u }\n", 5, "b", "join has no relationship",
                     id="no-relationship"),
    ],
)
def test_single_mistakes(text: str, line: int, member: str | None, message: str) -> None:
    _, problems = check_models({"m.yml": text})
    assert [(p.file, p.line, p.member, p.message) for p in problems] == [
        ("m.yml", line, member, message)
    ]


def test_duplicate_cube_names_across_files_name_the_first_definition() -> None:
    _, problems = check_models({"a.yml": "cubes:\n  - name: c\n    sql_table: t\n",
                                "b.yml": "\ncubes:\n  - name: c\n    sql_table: u\n"})
    assert _rows(problems) == [(3, "c", None, "duplicate cube name c (first defined at a.yml:2)")]
    assert problems[0].file == "b.yml"


def test_problems_from_several_files_are_all_reported() -> None:
    _, problems = check_models({
        "a.yml": "cubes:\n  - name: a\n    sql_table: t\n   bad: indent\n",
        "b.js": "cube(`b`, {})",
        "c.txt": "cubes: []",
        "d.yml": "cubes:\n  - name: d\n",
    })
    assert [str(p) for p in problems] == [
        "a.yml:4: YAML syntax error: expected <block end>, but found '<block mapping start>' "
        "(while parsing a block collection)",
        "b.js:1: JavaScript model files are not supported; write the model in YAML",
        "c.txt:1: model file names must end in .yml or .yaml",
        "d.yml:2: d: cube needs sql_table or sql",
    ]


def test_references_across_cubes_resolve() -> None:
    text = """\
cubes:
  - name: users
    sql_table: public.users
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: city, sql: city, type: string }
    measures:
      - { name: count, type: count }
  - name: orders
    sql_table: public.orders
    joins:
      - { name: users, relationship: many_to_one, sql: "{CUBE.user_id} = {users.id}" }
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: user_id, sql: user_id, type: number }
      - { name: user_city, sql: "{users.city}", type: string }
      - { name: path_city, sql: "{orders.users.city}", type: string }
      - { name: own, sql: "{CUBE.user_id} + {TABLE}.id + {orders.id}", type: number }
    measures:
      - { name: count, type: count }
      - { name: per_user, sql: "{count} / NULLIF({users.count}, 0)", type: number }
"""
    columns = {"public.users": {"id", "city"}, "public.orders": {"id", "user_id"}}
    assert check_models({"m.yml": text}, columns=columns)[1] == []


def test_cycles_across_cubes_are_reported_once() -> None:
    text = """\
cubes:
  - name: a
    sql: SELECT 1
    dimensions:
      - { name: x, sql: "{b.y}", type: number }
  - name: b
    sql: SELECT 1
    dimensions:
      - { name: y, sql: "{c.z}", type: number }
  - name: c
    sql: SELECT 1
    dimensions:
      - { name: z, sql: "{a.x} + 1", type: number }
"""
    _, problems = check_models({"m.yml": text})
    assert _rows(problems) == [
        (5, "a", "x", "cycle in dimension references: a.x -> b.y -> c.z -> a.x"),
    ]


def test_unknown_columns_and_tables_when_columns_are_known() -> None:
    text = """\
cubes:
  - name: orders
    sql_table: public.orders
    joins:
      - { name: customers, relationship: many_to_one, sql: "{CUBE}.cust_id = {customers}.idx" }
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: state, sql: state, type: string }
      - { name: Status, sql: '"Status"', type: string }
      - { name: status_lower, sql: STATUS, type: string }
      - { name: flag, sql: "true", type: boolean }
      - { name: expr, sql: "upper({CUBE}.stat)", type: string }
    measures:
      - { name: count, type: count }
      - { name: amt, sql: amt, type: sum }
      - { name: paid, type: count, filters: [{ sql: "{CUBE}.paid_at IS NOT NULL" }] }
    segments:
      - { name: done, sql: "{CUBE}.status = 'done'" }
  - name: customers
    sql_table: customers
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
  - name: ghosts
    sql_table: public.ghosts
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
  - name: derived
    sql: SELECT 1 AS anything
    dimensions:
      - { name: anything, sql: whatever, type: number }
"""
    _, problems = check_models({"m.yml": text}, columns=COLUMNS)
    assert _rows(problems) == [
        (5, "orders", "customers", "unknown column cust_id in table public.orders"),
        (5, "orders", "customers", "unknown column idx in table public.customers"),
        (8, "orders", "state", "unknown column state in table public.orders"),
        (9, "orders", "Status", "unknown column Status in table public.orders"),
        (12, "orders", "expr", "unknown column stat in table public.orders"),
        (15, "orders", "amt", "unknown column amt in table public.orders"),
        (16, "orders", "paid", "unknown column paid_at in table public.orders"),
        (23, "ghosts", None, "unknown table public.ghosts"),
    ]


def test_validate_models_without_positions_still_reports() -> None:
    from backend.semantic.model import Cube, Dimension, ModelSet

    models = ModelSet({"a": Cube("a", sql_table="t", dimensions=(Dimension("d", "", "string"),))})
    assert validate_models(models) == [Problem("<model>", 0, "a", "d", "dimension has no sql")]
