"""The ``{...}`` reference syntax shared by the validator and the SQL engine."""

from __future__ import annotations

import pytest

from backend.semantic.references import Reference, bare_column, column_after, find_references


def test_find_references_with_spans() -> None:
    sql = "{CUBE}.a = { users . id } AND {amount} > 0 AND x = '{\"json\": 1}' AND ${TABLE}"
    refs = find_references(sql)
    assert [r.path for r in refs] == [("CUBE",), ("users", "id"), ("amount",), ("TABLE",)]
    assert refs[0] == Reference(("CUBE",), 0, 6)
    assert sql[refs[1].start:refs[1].end] == "{ users . id }"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("amount", (False, "amount")),
        ("  Amount ", (False, "Amount")),
        ('"Order ""Id"""', (True, 'Order "Id"')),
        ("`odd``name`", (True, "odd`name")),
        ("TRUE", None),
        ("current_date", None),
        ("amount * 2", None),
        ("{CUBE}.amount", None),
    ],
)
def test_bare_column(sql: str, expected: tuple[bool, str] | None) -> None:
    assert bare_column(sql) == expected


def test_column_after_a_reference() -> None:
    sql = '{CUBE}.customer_id = {customers} . "Id" + {x}'
    cube, customers, x = find_references(sql)
    assert column_after(sql, cube.end) == (False, "customer_id")
    assert column_after(sql, customers.end) == (True, "Id")
    assert column_after(sql, x.end) is None
