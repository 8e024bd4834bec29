"""Fault timings measured by the tests, printed at the end of the run (``-s`` or the summary)
so docs/operations.md can quote real figures."""

from __future__ import annotations

TIMINGS: dict[str, float] = {}


def record(name: str, seconds: float) -> None:
    TIMINGS[name] = round(seconds, 3)
