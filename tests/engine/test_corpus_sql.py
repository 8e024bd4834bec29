"""Every corpus case compiles to its reviewed snapshot, for every target dialect."""

from __future__ import annotations

import os
from itertools import groupby

import pytest

from .corpus import (
    ANY_TARGET,
    TARGETS,
    Case,
    all_cases,
    case_target_params,
    read_snapshot,
    render_case,
    snapshot_target,
    write_snapshot,
)

CASES = all_cases()

if os.environ.get("ENGINE_UPDATE_SNAPSHOTS") == "1":
    for file, group in groupby(CASES, key=lambda c: c.file):
        cases = list(group)
        for target in (*TARGETS, ANY_TARGET):
            write_snapshot(file, target, cases)


def test_corpus_is_large() -> None:
    assert len(CASES) * len(TARGETS) >= 600


@pytest.mark.parametrize(("case", "target"), case_target_params(CASES, TARGETS))
def test_case(case: Case, target: str) -> None:
    expected = read_snapshot(case.file, snapshot_target(case, target)).get(case.title)
    actual = render_case(case, target)
    if case.error is not None:
        assert actual.startswith(f"# error: {case.error} "), actual
    assert expected is not None, (
        f"no snapshot for {case.id} on {target}; run with ENGINE_UPDATE_SNAPSHOTS=1"
    )
    assert actual == expected
