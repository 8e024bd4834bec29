"""Bounds on client input, checked before and while parsing so that no statement's cost is
unbounded: its length, the items of one IN list and its nesting depth. The gateway passes the
operator's settings; the defaults are those settings' defaults."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.errors import StatementTooComplex


@dataclass(frozen=True)
class InputLimits:
    max_statement_bytes: int = 1_048_576
    max_in_list_items: int = 20_000
    max_nesting_depth: int = 1_000


DEFAULT_LIMITS = InputLimits()


def check_length(sql: str, limits: InputLimits) -> None:
    if len(sql) > limits.max_statement_bytes:
        raise StatementTooComplex(
            f"the statement is {len(sql)} characters long, more than "
            f"{limits.max_statement_bytes} (MAX_STATEMENT_BYTES)",
        )


def too_deep(limit: int) -> StatementTooComplex:
    return StatementTooComplex(
        f"the statement is nested more than {limit} levels deep (MAX_NESTING_DEPTH)",
        hint="flatten the expression: a long OR chain is better written as IN (...)",
    )


def check_in_list(items: int, limits: InputLimits) -> None:
    if items > limits.max_in_list_items:
        raise StatementTooComplex(
            f"an IN list has {items} items, more than {limits.max_in_list_items} "
            "(MAX_IN_LIST_ITEMS)",
            hint="filter on a dimension with fewer values or split the query",
        )
