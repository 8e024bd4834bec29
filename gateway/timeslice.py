"""How long one connection may keep the event loop before the others get a turn.

A connection task that reads what is already buffered and answers with writes that do not fill
the socket never suspends, so a client streaming cheap messages (PostgreSQL Syncs or Flushes,
MySQL COM_PINGs) as fast as its socket takes them kept the loop — and every other session of
the process, the web tier and the change feed — to itself: another session's query took 17 s
instead of 16 ms (PostgreSQL) and 5 s instead of 5 ms (MySQL). The connection loops ask
``due()`` per message and yield once their slice is used up.
"""

from __future__ import annotations

import time

SLICE_SECONDS = 0.001


class TimeSlice:
    __slots__ = ("_since",)

    def __init__(self) -> None:
        self._since = time.monotonic()

    def due(self) -> bool:
        """Whether the caller has run for a slice since it last yielded (then it must yield:
        ``await asyncio.sleep(0)``); the next slice starts now."""
        now = time.monotonic()
        if now - self._since < SLICE_SECONDS:
            return False
        self._since = now
        return True
