"""Which SQLite and DuckDB files a team's data source may open: its own folder, nothing else.

Each team has a folder ``<root>/<team id>/`` under every directory of ``FILE_SOURCE_ROOTS``
(the id, not the name: names change and may collide). A data source's path — absolute, or
relative to the team's folder — must lie inside that folder both as written and after
resolving symlinks and ``..``, and must be a regular file. The platform's shared demo file
is the one exception any team may open (it holds generated data only).

Everything else — another team's file, a file outside the roots, a symlink that leads out, a
directory, a file that does not exist — is the same "not found" (``not_found``), so the
answer never says whether a path exists somewhere a team may not look. The check runs when a
source is saved and again at every open, so a symlink changed later leads nowhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from backend.core.errors import SourceDatabaseMissing

_TEAM_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def not_found(path: str, folder: Path | None) -> SourceDatabaseMissing:
    where = f" in the team's folder {folder}" if folder is not None else ""
    return SourceDatabaseMissing(
        f"file {path!r} not found{where}",
        hint="a file data source must be a SQLite or DuckDB file inside the team's own folder "
        "on the server (<FILE_SOURCE_ROOTS>/<team id>/); ask the operator to put it there",
        field="path",
    )


@dataclass(frozen=True)
class FilePolicy:
    roots: tuple[Path, ...]
    shared: tuple[Path, ...] = ()  # platform-owned files every team may open (the demo)
    forbidden: tuple[Path, ...] = ()  # the platform's own files: never, whatever the roots

    @classmethod
    def build(cls, roots: Sequence[str | os.PathLike[str]], *,
              shared: Sequence[str | os.PathLike[str]] = (),
              forbidden: Sequence[str | os.PathLike[str]] = ()) -> FilePolicy:
        def absolute(items: Sequence[str | os.PathLike[str]]) -> tuple[Path, ...]:
            return tuple(Path(p).expanduser().resolve() for p in items)

        return cls(absolute(roots), absolute(shared), absolute(forbidden))

    def team_folders(self, team_id: str) -> list[Path]:
        if not _TEAM_ID.fullmatch(team_id):
            return []
        return [root / team_id for root in self.roots]

    def folder_of(self, path: Path) -> Path | None:
        """The team folder an absolute stored path names (``<root>/<team id>/...``)."""
        for root in self.roots:
            if path.is_relative_to(root):
                parts = path.relative_to(root).parts
                if len(parts) >= 2 and _TEAM_ID.fullmatch(parts[0]):
                    return root / parts[0]
        return None

    def locate(self, typed: str, team_id: str | None) -> Path:
        """The absolute path to store and open for what a person typed, or ``not_found``.

        ``team_id`` None means "the folder the path itself names" (the gateways hold a stored
        path, already confined when it was saved, and re-check it here at every open)."""
        raw = Path(typed).expanduser()
        shared = self._shared(raw)
        if shared is not None:
            return shared
        if team_id is not None:
            folders = self.team_folders(team_id)
        else:
            named = self.folder_of(Path(os.path.normpath(raw))) if raw.is_absolute() else None
            folders = [named] if named is not None else []
        display = folders[0] if folders else None
        for folder in folders:
            candidate = Path(os.path.normpath(raw if raw.is_absolute() else folder / raw))
            if not candidate.is_relative_to(folder) or candidate == folder:
                continue  # as written, outside this folder ("..", another absolute path)
            resolved = candidate.resolve()
            if not resolved.is_relative_to(folder.resolve()) or self._forbidden(resolved):
                continue  # a symlink or bind out of the folder
            if resolved.is_file():
                return candidate
        raise not_found(typed, display)

    def _shared(self, raw: Path) -> Path | None:
        if not raw.is_absolute():
            return None
        resolved = raw.resolve()
        for allowed in self.shared:
            if resolved == allowed and resolved.is_file():
                return allowed
        return None

    def _forbidden(self, resolved: Path) -> bool:
        return any(resolved == f or resolved.is_relative_to(f) for f in self.forbidden)
