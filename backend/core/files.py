"""Owner-only files and folders for what the platform keeps on disk.

The data folder holds the metadata database, the secret key and the TLS private key; none of
them may be readable by other local users, whatever the process umask is. Modes are set when a
file is created (so there is no window in which it is readable) and tightened on existing
files at start, because a deployment made by an older version may have left them 0644.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def _tighten(path: Path, mode: int) -> None:
    st = path.stat()
    # Only what this process owns: a folder the operator shares (a mounted volume owned by
    # someone else) is theirs to set; chmod would fail there anyway.
    if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & ~mode:
        os.chmod(path, stat.S_IMODE(st.st_mode) & mode)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700, or take group/other access away."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists and is 0600, creating it empty with that mode if missing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    _tighten(path, PRIVATE_FILE)
    return path


def sqlite_path(database_url: str) -> Path | None:
    """The file of a ``sqlite...:///path`` URL, or None (memory databases, other engines)."""
    if not database_url.startswith("sqlite"):
        return None
    _, _, rest = database_url.partition(":///")
    path = rest.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def private_sqlite(database_url: str) -> None:
    """Create the SQLite metadata file 0600 before SQLite does (it would use the umask).

    SQLite gives the ``-wal`` and ``-shm`` files it makes later the main file's mode, so they
    are private too; existing ones are tightened here.
    """
    path = sqlite_path(database_url)
    if path is None:
        return
    if not path.parent.exists():
        private_dir(path.parent)
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            _tighten(extra, PRIVATE_FILE)
