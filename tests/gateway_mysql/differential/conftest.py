"""A per-tool summary of the MySQL differential suite at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest

OUTCOMES: list[tuple[str, str]] = []  # (tool, same | expected difference | gap | differs)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OUTCOMES:
        return
    by_tool: dict[str, Counter[str]] = {}
    for tool, outcome in OUTCOMES:
        by_tool.setdefault(tool, Counter())[outcome] += 1
    terminalreporter.section("MySQL differential corpus per tool (against MariaDB)")
    for tool in sorted(by_tool):
        c = by_tool[tool]
        terminalreporter.write_line(
            f"{tool:16} {sum(c.values()):4} statements: {c['same']} same, "
            f"{c['expected difference']} with an explained difference, {c['gap']} known gaps, "
            f"{c['differs']} differ")
    terminalreporter.write_line(f"{'total':16} {len(OUTCOMES):4} statements")
