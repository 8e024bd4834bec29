"""File sources per team: a path is confined to the team's folder, at save and at every open;
everything else is "not found", exactly like a missing file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backend.connectors.factory import connector_for
from backend.connectors.filepolicy import FilePolicy
from backend.core.errors import SourceDatabaseMissing

TEAM_A, TEAM_B = "0f2a1c3e-aaaa-4bbb-8ccc-000000000001", "0f2a1c3e-aaaa-4bbb-8ccc-000000000002"


def _sqlite(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a integer)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def layout(tmp_path: Path) -> tuple[FilePolicy, Path]:
    root = tmp_path / "files"
    _sqlite(root / TEAM_A / "mine.sqlite")
    _sqlite(root / TEAM_B / "theirs.sqlite")
    _sqlite(tmp_path / "outside.sqlite")
    _sqlite(tmp_path / "demo.duckdb")  # any file will do for the shared-file rule
    return FilePolicy.build([root], shared=[tmp_path / "demo.duckdb"]), root


def _answer(policy: FilePolicy, typed: str, team: str | None = TEAM_A) -> tuple[str, str, str]:
    with pytest.raises(SourceDatabaseMissing) as info:
        policy.locate(typed, team)
    error = info.value
    return (str(error).replace(repr(typed), "<path>"), error.hint or "", error.field or "")


def test_own_folder_absolute_or_relative(layout: tuple[FilePolicy, Path]) -> None:
    policy, root = layout
    mine = root / TEAM_A / "mine.sqlite"
    assert policy.locate(str(mine), TEAM_A) == mine
    assert policy.locate("mine.sqlite", TEAM_A) == mine
    assert policy.locate("./sub/../mine.sqlite", TEAM_A) == mine


def test_everything_else_reads_like_a_missing_file(layout: tuple[FilePolicy, Path]) -> None:
    policy, root = layout
    (root / TEAM_A / "link-out.sqlite").symlink_to(root / TEAM_B / "theirs.sqlite")
    (root / TEAM_A / "folder").mkdir()
    missing = _answer(policy, str(root / TEAM_A / "nope.sqlite"))
    for typed in (
        str(root / TEAM_B / "theirs.sqlite"),  # another team's file
        f"../{TEAM_B}/theirs.sqlite",  # the same, relative
        str(root / TEAM_A / ".." / TEAM_B / "theirs.sqlite"),
        str(root / TEAM_A / "link-out.sqlite"),  # a symlink out of the folder
        str(root.parent / "outside.sqlite"),  # outside the roots
        "/etc/passwd",
        str(root / TEAM_A / "folder"),  # not a file
        str(root / TEAM_A),
    ):
        assert _answer(policy, typed) == missing, typed
    assert "not found" in missing[0] and missing[2] == "path"


def test_the_shared_demo_file_is_open_to_every_team(layout: tuple[FilePolicy, Path]) -> None:
    policy, root = layout
    demo = root.parent / "demo.duckdb"
    assert policy.locate(str(demo), TEAM_B) == demo.resolve()
    # Only that file: its neighbours are not shared.
    assert _answer(policy, str(root.parent / "outside.sqlite"), TEAM_B)


async def test_stored_path_is_checked_again_at_every_open(layout: tuple[FilePolicy, Path]) -> None:
    """The gateways hold a stored path (no team id): it stays inside the team folder it
    names, and a symlink re-pointed after saving leads nowhere."""
    policy, root = layout
    link = root / TEAM_A / "current.sqlite"
    link.symlink_to(root / TEAM_A / "mine.sqlite")
    connector = connector_for("SQLITE", {"path": str(link)}, files=policy)  # team from the path
    link.unlink()
    link.symlink_to(root / TEAM_B / "theirs.sqlite")

    try:
        with pytest.raises(SourceDatabaseMissing):
            await connector.check()
    finally:
        await connector.close()
    # A path straight under a root (no team folder) names no team at all.
    _sqlite(root / "loose.sqlite")
    with pytest.raises(SourceDatabaseMissing):
        connector_for("SQLITE", {"path": str(root / "loose.sqlite")}, files=policy)


async def test_duckdb_open_rechecks_too(layout: tuple[FilePolicy, Path]) -> None:
    import duckdb

    policy, root = layout
    path = root / TEAM_A / "cube.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT 1 AS a")
    con.close()
    connector = connector_for("DUCKDB", {"path": "cube.duckdb"}, files=policy, team_id=TEAM_A)
    try:
        await connector.check()
        path.rename(root / TEAM_B / "cube.duckdb")
        path.symlink_to(root / TEAM_B / "cube.duckdb")
        with pytest.raises(SourceDatabaseMissing):
            await connector.check()
    finally:
        await connector.close()
