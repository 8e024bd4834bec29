"""CPU-bound work in worker processes, with a time limit that really stops it.

Parsing a megabyte of SQL or YAML is pure Python CPU for seconds. On the event loop it would stop
the web tier, both gateways and the change feed; on a thread it would still hold the GIL
against them and could not be stopped. So such work runs in a small pool of worker processes:
the event loop only waits on a pipe, and a call that outlives its time limit (waiting for a
worker included) raises ``TimeoutError`` and its worker is killed and replaced.

A call is a top-level function and picklable arguments. An ``AppError`` raised in the worker is
raised again in the caller as itself; anything else becomes a ``RuntimeError``. Workers are
started on first use with the ``forkserver`` method (never ``fork`` from a process that runs
threads) and are daemons, so they end with the process.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from backend.core.errors import AppError

T = TypeVar("T")
# Workers parse deeply nested input (a long OR chain is a deep tree): Python's default limit
# of 1,000 frames is too small for that, and a worker has its main thread's full stack.
WORKER_RECURSION_LIMIT = 20_000


def _work(conn: Connection) -> None:
    """A worker's loop: (function, args) in, ("ok", result) / ("error", AppError) /
    ("crash", text) out."""
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    while True:
        try:
            fn, args = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", fn(*args)))
        except AppError as exc:
            conn.send(("error", exc))
        except Exception as exc:  # reported to the caller as an internal error
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context: Any, name: str):
        self.conn, child = mp.Pipe()
        self.process: BaseProcess = context.Process(target=_work, args=(child,), daemon=True,
                                                    name=name)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A bounded number of worker processes; ``run`` waits for a free one."""

    def __init__(self, *, name: str, workers: int, preload: Sequence[str] = ()):
        self.name = name
        self.workers = max(1, workers)
        self.preload = list(preload)
        self._context = mp.get_context("forkserver")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._starting: asyncio.Lock | None = None
        self._all: set[_Worker] = set()

    async def _pool(self) -> asyncio.Queue[_Worker]:
        # Starting processes (and the fork server, the first time) blocks for a moment: it
        # happens on a thread, never on the event loop.
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._idle is None:
                if self.preload:
                    self._context.set_forkserver_preload(self.preload)
                idle: asyncio.Queue[_Worker] = asyncio.Queue()
                for _ in range(self.workers):
                    idle.put_nowait(await asyncio.to_thread(self._spawn))
                self._idle = idle
        return self._idle

    async def start(self) -> None:
        """Start the workers now rather than on the first call (their start takes ~1 s)."""
        await self._pool()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.name)
        self._all.add(worker)
        return worker

    async def run(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker; ``TimeoutError`` once ``timeout`` seconds have passed."""
        pool = await self._pool()
        deadline = time.monotonic() + timeout
        worker = await asyncio.wait_for(pool.get(), timeout=timeout)
        healthy = False
        try:
            worker.conn.send((fn, args))
            reply = await _receive(worker.conn, deadline - time.monotonic())
            healthy = True
        except TimeoutError:  # an OSError subclass: told apart from a broken pipe first
            raise
        except (EOFError, OSError) as exc:
            raise RuntimeError(f"a {self.name} worker died") from exc
        finally:
            if healthy:
                pool.put_nowait(worker)
            else:  # stop whatever it is still doing; a fresh worker takes its place
                self._all.discard(worker)
                await asyncio.to_thread(worker.kill)
                pool.put_nowait(await asyncio.to_thread(self._spawn))
        kind, payload = reply
        if kind == "error":
            raise payload
        if kind != "ok":
            raise RuntimeError(f"{self.name} failed: {payload}")
        result: T = payload
        return result

    def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle = None
        self._starting = None


async def _receive(conn: Connection, timeout: float) -> Any:
    """The worker's answer, waiting on its pipe from the event loop (no thread held)."""
    if timeout <= 0:
        raise TimeoutError
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def on_readable() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, on_readable)
    try:
        await asyncio.wait_for(ready, timeout)
    finally:
        loop.remove_reader(fd)
        # uvloop leaves a watched descriptor non-blocking; the pipe's recv() and the next
        # send() of a long statement expect a blocking one (BlockingIOError otherwise).
        os.set_blocking(fd, True)
    return conn.recv()
