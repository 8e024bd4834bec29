"""Validation: every mistake in hand-written models is reported, all at once, with its place."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("text", "line", "context"),
    [
        ("cubes:\n  - name: a\n    sql_table: t\n   oops: 1\n", 4,
         "(while parsing a block collection at line 2)"),
        ("cubes:\n  - name: a\n    sql_table: [t\n", 4,
         "(while parsing a flow sequence at line 3)"),
        ("cubes:\n  - name: a\n    sql: 'open\n", 4,
         "(while scanning a quoted scalar at line 3)"),
    ],
)
def test_yaml_syntax_errors_have_their_line(text: str, line: int, context: str) -> None:
    # The wording comes from libyaml (or PyYAML's pure-Python parser without it).
    _, problems = check_models({"m.yml": text})
    assert [(p.line, p.cube) for p in problems] == [(line, None)]
    assert problems[0].message.startswith("YAML syntax error: ")
    assert problems[0].message.endswith(context)


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
    assert str(problems[0]).startswith("a.yml:4: YAML syntax error: ")
    assert [str(p) for p in problems[1:]] == [
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
        (5, "orders", "customers",
         "unknown column cust_id in table public.orders (did you mean customer_id?)"),
        (5, "orders", "customers",
         "unknown column idx in table public.customers (did you mean id?)"),
        (8, "orders", "state",
         "unknown column state in table public.orders (did you mean status?)"),
        (9, "orders", "Status",  # quoted: the case must match
         "unknown column Status in table public.orders (did you mean status?)"),
        (12, "orders", "expr", "unknown column stat in table public.orders (did you mean status?)"),
        (15, "orders", "amt", "unknown column amt in table public.orders (did you mean amount?)"),
        (16, "orders", "paid", "unknown column paid_at in table public.orders"),
        (23, "ghosts", None, "unknown table public.ghosts"),
    ]


def test_validate_models_without_positions_still_reports() -> None:
    from backend.semantic.model import Cube, Dimension, ModelSet

    models = ModelSet({"a": Cube("a", sql_table="t", dimensions=(Dimension("d", "", "string"),))})
    assert validate_models(models) == [Problem("<model>", 0, "a", "d", "dimension has no sql")]


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                     st.sampled_from(["count", "sum", "number", "string", "time", "{CUBE}.x",
                                      "{a}", "{b.c}", "many_to_one", "belongs_to", "a", "b"]))
_keys = st.sampled_from(["name", "sql", "sql_table", "type", "primary_key", "relationship",
                         "dimensions", "measures", "segments", "joins", "filters", "public",
                         "shown", "title", "sqlTable", "cubes", "views", "<<", "extends"])
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)), max_leaves=30)


@settings(max_examples=150, deadline=None, database=None)
@given(st.dictionaries(st.sampled_from(["cubes"]), _values, max_size=1))
def test_arbitrary_documents_give_problems_never_crashes(document: dict[str, object]) -> None:
    models, problems = check_models({"m.yml": yaml.safe_dump(document)})
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    if not problems:
        assert validate_models(models) == []


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_problems_never_crashes(text: str) -> None:
    _, problems = check_models({"m.yml": text})
    assert all(p.file == "m.yml" and p.line >= 1 for p in problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cubes: &a [*a]", "each entry of cubes must be a mapping"),
        ("cubes:\n  - &x {name: a, sql: s, <<: *x}", "<< merges a mapping into itself"),
        ("cubes:\n  - &x {name: a, sql: s, <<: {<<: *x}}", "<< merges a mapping into itself"),
    ],
)
def test_recursive_yaml_is_a_problem_not_a_crash(text: str, message: str) -> None:
    _, problems = check_models({"m.yml": text})
    assert message in [p.message for p in problems]


def test_near_misses_get_a_suggestion() -> None:
    text = """\
cubes:
  - name: orders
    sql_table: public.orders
    joins:
      - { name: customer, relationship: many_to_one, sql: "{CUBE}.customer_id = {customer}.id" }
    dimensions:
      - { name: amount, sql: amount, type: number, primaryKy: true }
      - { name: a, sql: "{amont} + {customers.emial}", type: number }
      - { name: b, sql: "{custmers.email}", type: string }
"""
    _, problems = check_models({"m.yml": text, "customers.yml": CUSTOMERS})
    assert [p.message for p in problems] == [
        "join to unknown cube customer (did you mean customers?)",
        "unknown field primaryKy (did you mean primary_key?)",
        "unknown member emial of cube customers in {customers.emial} (did you mean email?)",
        "unknown reference {amont}: no member amont in cube orders and no cube amont "
        "(did you mean amount?)",
        "unknown cube custmers in {custmers.email} (did you mean customers?)",
    ]


def test_unreadable_names_are_reported_once() -> None:
    text = """\
cubes:
  - name: yes
    sql_table: t
  - name: c
    sql_table: t
    dimensions:
      - { name: [x], sql: a, type: string }
      - { sql: a, type: string }
      - { name: , sql: a, type: string }
      - { name: d, sql: a, type: [string] }
"""
    _, problems = check_models({"Upper.YML": text})
    assert [str(p) for p in problems] == [
        "Upper.YML:2: name must be text",
        "Upper.YML:7: c: name must be text, not a list",
        "Upper.YML:8: c: dimension has no name",
        "Upper.YML:9: c: dimension has no name",
        "Upper.YML:10: c.d: type must be text, not a list",
    ]


def test_columns_inside_expressions_are_checked() -> None:
    text = """\
cubes:
  - name: orders
    sql_table: public.orders
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id AND {customers}.emial IS NOT NULL"
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: kind, sql: "CASE WHEN staus = 'x' THEN {id} ELSE amount END", type: number }
      - { name: month, sql: "date_trunc('month', created_at)", type: time }
      - { name: year, sql: "EXTRACT(YEAR FROM created) + 0", type: number }
      - { name: ticks, sql: "`created_at` + `craeted`", type: number }
      - { name: sub, sql: "(SELECT max(whatever) FROM elsewhere)", type: number }
      - { name: odd, sql: "created_at !!! {CUBE}.nope", type: number }
    measures:
      - { name: big, sql: "amount * qty", type: sum, filters: [{ sql: "{CUBE}.stat = 1" }] }
    segments:
      - { name: mine, sql: "customer_id = current_user_id" }
"""
    _, problems = check_models({"m.yml": text, "customers.yml": CUSTOMERS}, columns=COLUMNS)
    assert [(p.line, p.member, p.message.split(" (did you mean")[0]) for p in problems] == [
        (5, "customers", "unknown column emial in table public.customers"),
        (10, "kind", "unknown column staus in table public.orders"),
        (12, "year", "unknown column created in table public.orders"),
        (13, "ticks", "unknown column craeted in table public.orders"),  # parsed as MySQL
        # (SELECT ...) is not checked: its names belong to its own FROM
        (15, "odd", "unknown column nope in table public.orders"),  # unparseable: {CUBE}.x only
        (17, "big", "unknown column qty in table public.orders"),
        (17, "big", "unknown column stat in table public.orders"),
        (19, "mine", "unknown column current_user_id in table public.orders"),
    ]
