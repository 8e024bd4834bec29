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

# The syntax nodes the engine may build for one statement, counted over every SELECT it
# compiles: a base plus a multiple of the statement's own nodes. Input bounds alone do not
# bound the output: a short statement can multiply it (nested GROUP BY CUBE compiles each
# inner subquery once per outer grouping set; a CTE is inlined at every reference, so CTEs
# that self-join double per level), and a statement of up to COMPILE_INLINE_BYTES is planned
# on the event loop. Output proportional to the input (64 grouping sets of a long IN list)
# stays within the bound.
MAX_COMPILED_NODES = 20_000
COMPILED_NODES_PER_INPUT_NODE = 128


@dataclass
class OutputBudget:
    nodes_left: int = MAX_COMPILED_NODES

    @classmethod
    def for_input(cls, input_nodes: int) -> OutputBudget:
        return cls(MAX_COMPILED_NODES + COMPILED_NODES_PER_INPUT_NODE * input_nodes)

    def spend(self, nodes: int) -> None:
        self.nodes_left -= nodes
        if self.nodes_left < 0:
            raise StatementTooComplex(
                "the statement compiles to more syntax nodes than its size allows "
                "(MAX_COMPILED_NODES)",
                hint="nested grouping sets and CTEs referenced many times multiply the "
                     "query; simplify it",
            )


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
