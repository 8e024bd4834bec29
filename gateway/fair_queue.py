"""Turns at a scarce resource (the planner's worker processes), shared fairly by credentials.

A plain queue serves callers in arrival order, so one credential that keeps sending long
statements from many sessions keeps every worker busy, and another credential's statement
waits behind all of them (and ran out of its time limit there). Here waiting callers take
turns by credential, start-time fair queuing with one unit per statement: each statement gets
the tag ``max(now, its credential's previous tag + 1)``, where ``now`` is the tag of the turn
last handed out, and the lowest tag goes next (arrival order among equals). A credential that
starts waiting is served before any credential's second waiting statement, so its statement
waits for at most one turn of each other credential that is waiting too, however many
statements those have queued. A credential may have at most ``per_credential`` statements
waiting; more are refused at once (``PlannerBusy``).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from backend.core.errors import PlannerBusy


@dataclass(order=True)
class _Waiter:
    tag: int
    seq: int
    key: Hashable = field(compare=False)
    future: asyncio.Future[None] = field(compare=False)


class FairQueue:
    def __init__(self, slots: int, per_credential: int):
        self.per_credential = max(1, per_credential)
        self._free = max(1, slots)
        self._heap: list[_Waiter] = []
        self._now = 0  # the tag of the turn last handed out
        # per credential with statements waiting or being planned: its next tag, its count
        self._next: dict[Hashable, int] = {}
        self._active: dict[Hashable, int] = {}
        self._waiting: dict[Hashable, int] = {}
        self._seq = itertools.count()

    def waiting(self, key: Hashable | None = None) -> int:
        """Statements waiting (of one credential, or in all), for tests and metrics."""
        return self._waiting.get(key, 0) if key is not None else sum(self._waiting.values())

    @asynccontextmanager
    async def turn(self, key: Hashable) -> AsyncIterator[None]:
        await self._acquire(key)
        try:
            yield
        finally:
            self._finished(key)
            self._hand_on()

    async def _acquire(self, key: Hashable) -> None:
        tag = max(self._now, self._next.get(key, 0))
        if self._free > 0 and not self._heap:
            self._free -= 1
            self._now = tag
            self._started(key, tag)
            return
        count = self._waiting.get(key, 0)
        if count >= self.per_credential:
            raise PlannerBusy(
                f"{count} statements of this credential are already waiting for the planner "
                f"(COMPILE_QUEUE_PER_CREDENTIAL = {self.per_credential})",
                hint="wait for the answers to the statements already sent",
            )
        waiter = _Waiter(tag, next(self._seq), key,
                         asyncio.get_running_loop().create_future())
        heapq.heappush(self._heap, waiter)
        self._started(key, tag)
        self._waiting[key] = count + 1
        try:
            await waiter.future
        except asyncio.CancelledError:
            if waiter.future.cancelled():  # still waiting: leave the queue
                self._heap.remove(waiter)
                heapq.heapify(self._heap)
                self._left(key)
                self._finished(key)
            else:  # the turn was handed over as the caller went away: pass it on
                self._finished(key)
                self._hand_on()
            raise

    def _hand_on(self) -> None:
        """A turn ends: the lowest tag waiting gets it."""
        while self._heap:
            waiter = heapq.heappop(self._heap)
            self._left(waiter.key)
            if not waiter.future.done():
                self._now = waiter.tag
                waiter.future.set_result(None)
                return
        self._free += 1

    def _started(self, key: Hashable, tag: int) -> None:
        self._next[key] = tag + 1
        self._active[key] = self._active.get(key, 0) + 1

    def _left(self, key: Hashable) -> None:
        count = self._waiting[key] - 1
        if count:
            self._waiting[key] = count
        else:
            del self._waiting[key]

    def _finished(self, key: Hashable) -> None:
        count = self._active[key] - 1
        if count:
            self._active[key] = count
        else:  # nothing waiting or planned: forget it, so the state stays as small as the queue
            del self._active[key]
            del self._next[key]
