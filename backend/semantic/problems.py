"""One problem found in a set of model files: where it is and what is wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A problem in a model file, at a 1-based ``line``; ``cube``/``member`` name the definition
    it belongs to when there is one (a YAML syntax error belongs to no cube)."""

    file: str
    line: int
    cube: str | None
    member: str | None
    message: str

    def __str__(self) -> str:
        where = ".".join(p for p in (self.cube, self.member) if p)
        return f"{self.file}:{self.line}: {where + ': ' if where else ''}{self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line, self.message)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean x?)`` for the closest candidate, or nothing when none is close."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
