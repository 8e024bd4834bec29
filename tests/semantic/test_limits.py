"""YAML limits in the loader: refused before the work grows, with the setting named."""

from __future__ import annotations

import time

import pytest

from backend.core.errors import LimitExceeded
from backend.semantic.limits import YamlLimits
from backend.semantic.validate import check_models

GOOD = "cubes:\n  - name: t\n    sql_table: t\n    measures:\n      - {name: count, type: count}\n"


def merge_bomb(levels: int) -> str:
    lines = ["a0: &a0 {x: 1}"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}]\n  y{i}: 1")
    lines.append(f"cubes:\n  - name: c\n    sql_table: t\n    <<: *a{levels}")
    return "\n".join(lines) + "\n"


def test_merge_bomb_is_refused_in_constant_time_per_byte() -> None:
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"YAML_MAX_NODES"):
        check_models({"m.yml": merge_bomb(28)})  # 2**28 nodes if it were expanded
    assert time.perf_counter() - started < 0.5


def test_the_node_budget_is_shared_by_all_files() -> None:
    limits = YamlLimits(max_nodes=40)  # GOOD is 15 nodes
    check_models({"a.yml": GOOD, "b.yml": GOOD}, limits=limits)
    with pytest.raises(LimitExceeded, match=r"c.yml expands to more than 40 YAML nodes"):
        check_models({"a.yml": GOOD, "b.yml": GOOD, "c.yml": GOOD}, limits=limits)


def test_plain_aliases_count_as_what_they_stand_for() -> None:
    text = "x: &x [" + ", ".join(["1"] * 100) + "]\ny: [" + ", ".join(["*x"] * 50) + "]\n"
    with pytest.raises(LimitExceeded, match=r"YAML_MAX_NODES"):
        check_models({"m.yml": text}, limits=YamlLimits(max_nodes=4000))
    _, problems = check_models({"m.yml": text}, limits=YamlLimits(max_nodes=6000))
    assert problems  # under the limit it is read (and its shape reported)


def test_size_alias_and_depth_limits_name_their_setting() -> None:
    with pytest.raises(LimitExceeded) as size:
        check_models({"m.yml": GOOD + "#" * 200}, limits=YamlLimits(max_file_bytes=200))
    assert size.value.message == (f"Model file m.yml is {len(GOOD) + 200} bytes; the limit is "
                                  "200 bytes (YAML_MAX_FILE_BYTES).")
    with pytest.raises(LimitExceeded) as aliases:
        check_models({"m.yml": "a: &a 1\nb: [*a, *a, *a]\n"}, limits=YamlLimits(max_aliases=2))
    assert aliases.value.message == ("Model file m.yml uses more than 2 YAML aliases (at line 2; "
                                     "YAML_MAX_ALIASES).")
    with pytest.raises(LimitExceeded) as deep:
        check_models({"m.yml": "a: " + "[" * 100 + "]" * 100})  # libyaml stops at 1000
    assert deep.value.message == ("Model file m.yml nests deeper than 64 levels (at line 1; "
                                  "YAML_MAX_DEPTH).")


def test_depth_through_aliases_is_bounded_too() -> None:
    # Each anchor is shallow, but every one nests the one before: expanded, 40 x 3 levels.
    lines = ["a0: &a0 [1]"]
    lines += [f"a{i}: &a{i} [[*a{i - 1}]]" for i in range(1, 40)]
    with pytest.raises(LimitExceeded, match=r"once its aliases and merge keys are expanded"):
        check_models({"m.yml": "\n".join(lines) + "\n"})


def test_recursive_aliases_stay_problems() -> None:
    _, problems = check_models({"m.yml": "cubes: &a [*a]"})
    assert [p.message for p in problems] == ["each entry of cubes must be a mapping"]
