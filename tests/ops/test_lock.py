"""The hashed lock files agree with pyproject.toml, so `make setup` installs what it declares.

``make lock`` (docs/operations.md) regenerates them; these tests catch a dependency added to
pyproject.toml without regenerating, or a lock edited by hand into an uninstallable state.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _entries(lock: Path) -> list[tuple[str, Version, str | None, list[str]]]:
    """(name, version, marker, hashes) of every requirement in a pip-format lock file."""
    entries: list[tuple[str, Version, str | None, list[str]]] = []
    for line in lock.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert entries, f"{lock.name}: a hash before any requirement"
            entries[-1][3].append(stripped.removeprefix("--hash=").rstrip(" \\"))
            continue
        match = PIN.match(stripped)
        assert match, f"{lock.name}: not an exact pin: {line!r}"
        name, version, marker = match.groups()
        entries.append((canonicalize_name(name), Version(version), marker, []))
    return entries


def _declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    reqs += [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return reqs


LOCKS = [("requirements.lock", ("dev",)), ("requirements-runtime.lock", ())]


@pytest.mark.parametrize(("lock_name", "extras"), LOCKS)
def test_every_declared_dependency_is_pinned_within_its_range(
        lock_name: str, extras: tuple[str, ...]) -> None:
    entries = _entries(ROOT / lock_name)
    pins: dict[str, list[Version]] = {}
    for name, version, _marker, _hashes in entries:
        pins.setdefault(name, []).append(version)
    problems = []
    for req in _declared(extras):
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req} is not in {lock_name}")
        elif not any(req.specifier.contains(v, prereleases=True) for v in pins[name]):
            problems.append(f"{req} but {lock_name} pins {[str(v) for v in pins[name]]}")
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


@pytest.mark.parametrize(("lock_name", "extras"), LOCKS)
def test_every_pin_carries_sha256_hashes(lock_name: str, extras: tuple[str, ...]) -> None:
    entries = _entries(ROOT / lock_name)
    assert entries
    for name, _version, _marker, hashes in entries:
        assert hashes, f"{name} has no hash: pip --require-hashes would refuse the file"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_this_interpreter_gets_exactly_one_version_of_each_package() -> None:
    """Universal locks fork by marker (numpy per Python version); one must apply here."""
    from packaging.markers import Marker

    applicable: dict[str, list[Version]] = {}
    for name, version, marker, _hashes in _entries(ROOT / "requirements.lock"):
        if marker is None or Marker(marker).evaluate():
            applicable.setdefault(name, []).append(version)
    assert {n: v for n, v in applicable.items() if len(v) != 1} == {}


def test_runtime_lock_uses_the_same_versions_as_the_full_lock() -> None:
    full = {(n, v, m) for n, v, m, _ in _entries(ROOT / "requirements.lock")}
    runtime = {(n, v, m) for n, v, m, _ in _entries(ROOT / "requirements-runtime.lock")}
    assert runtime <= full, sorted(runtime - full)
