"""Progress of long-running work (model generation over a large schema), for polling callers.

The caller names its job with an id of its choosing, starts the work, and polls the progress
under that id while it runs. Entries are private to the user who started them, bounded in
number, and forgotten a while after they finish.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    current: str
    finished: bool
    updated_at: float


class ProgressRegistry:
    def __init__(self, *, max_entries: int = 1000, keep_seconds: float = 600.0):
        self._entries: OrderedDict[tuple[str, str], Progress] = OrderedDict()
        self._max = max_entries
        self._keep = keep_seconds

    def update(self, user_id: str, job_id: str, done: int, total: int, current: str,
               *, finished: bool = False) -> None:
        key = (user_id, job_id[:100])
        self._entries[key] = Progress(done, total, current, finished, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def get(self, user_id: str, job_id: str) -> Progress | None:
        key = (user_id, job_id[:100])
        entry = self._entries.get(key)
        if entry and entry.finished and time.monotonic() - entry.updated_at > self._keep:
            del self._entries[key]
            return None
        return entry
