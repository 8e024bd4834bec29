"""Model validation in worker processes, with a time limit that really stops the work.

Validating model YAML is pure CPU (a 1 MB file takes seconds). On the event loop it would stop
the web tier, both gateways and the change feed for that long; on a thread it would still
hold the GIL against them and could not be stopped. So it runs in a small pool of worker
processes (``MODEL_VALIDATION_WORKERS``): the event loop only waits on a pipe, and a check that
outlives ``MODEL_VALIDATION_TIMEOUT_S`` (waiting for a worker included) is answered with
``LimitExceeded`` and its worker is killed and replaced. The YAML limits bound the work before
the clock does; the time limit is the backstop.

Workers are started on first use with the ``forkserver`` method (never ``fork`` from a process
that runs threads) and are daemons, so they end with the process.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
from collections.abc import Mapping, Set
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from backend.core.errors import LimitExceeded, ModelValidationFailed
from backend.semantic.limits import YamlLimits
from backend.semantic.problems import Problem

Files = Mapping[str, str]
Columns = Mapping[str, Set[str]] | None


def _work(conn: Connection) -> None:
    """A worker's loop: (files, columns, limits) in, ("ok", problems) or a refusal out."""
    from backend.semantic.validate import check_models

    while True:
        try:
            files, columns, limits = conn.recv()
        except EOFError:
            return
        try:
            _, problems = check_models(files, columns=columns, limits=limits)
            conn.send(("ok", problems, None))
        except LimitExceeded as exc:
            conn.send(("limit", exc.message, exc.field))
        except Exception as exc:  # reported to the caller as an internal error
            conn.send(("crash", f"{type(exc).__name__}: {exc}", None))


class _Worker:
    def __init__(self, context: Any):
        self.conn, child = mp.Pipe()
        self.process: BaseProcess = context.Process(target=_work, args=(child,), daemon=True,
                                                    name="metricsql-model-check")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


@dataclass(frozen=True)
class CheckLimits:
    yaml: YamlLimits
    timeout_s: float
    workers: int


class ModelChecker:
    """Validates model files off the event loop, a bounded number at a time."""

    def __init__(self, limits: CheckLimits):
        self.limits = limits
        self._context = mp.get_context("forkserver")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._starting: asyncio.Lock | None = None
        self._all: set[_Worker] = set()

    @classmethod
    def from_settings(cls, settings: Any) -> ModelChecker:
        return cls(CheckLimits(
            yaml=YamlLimits(max_file_bytes=settings.yaml_max_file_bytes,
                            max_nodes=settings.yaml_max_nodes,
                            max_aliases=settings.yaml_max_aliases,
                            max_depth=settings.yaml_max_depth),
            timeout_s=settings.model_validation_timeout_s,
            workers=settings.model_validation_workers,
        ))

    async def _pool(self) -> asyncio.Queue[_Worker]:
        # Starting processes (and the fork server, the first time) blocks for a moment: it
        # happens on a thread, never on the event loop.
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._idle is None:
                self._context.set_forkserver_preload(["backend.semantic.validate"])
                idle: asyncio.Queue[_Worker] = asyncio.Queue()
                for _ in range(self.limits.workers):
                    idle.put_nowait(await asyncio.to_thread(self._spawn))
                self._idle = idle
        return self._idle

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context)
        self._all.add(worker)
        return worker

    def _timeout(self) -> LimitExceeded:
        return LimitExceeded(
            f"Model validation took longer than {self.limits.timeout_s:g} s and was stopped "
            "(MODEL_VALIDATION_TIMEOUT_S); split the models into smaller files or retry.",
            field="files")

    async def problems(self, files: Files, *, columns: Columns = None) -> list[Problem]:
        """Every problem in ``files``; raises ``LimitExceeded`` past a limit or the time."""
        pool = await self._pool()
        deadline = time.monotonic() + self.limits.timeout_s
        try:
            worker = await asyncio.wait_for(pool.get(), timeout=self.limits.timeout_s)
        except TimeoutError:
            raise self._timeout() from None
        healthy = False
        try:
            worker.conn.send((dict(files), _plain(columns), self.limits.yaml))
            reply = await _receive(worker.conn, deadline - time.monotonic())
            healthy = True
        except TimeoutError:
            raise self._timeout() from None
        except (EOFError, OSError) as exc:
            raise RuntimeError("a model validation worker died") from exc
        finally:
            if healthy:
                pool.put_nowait(worker)
            else:  # stop whatever it is still doing; a fresh worker takes its place
                self._all.discard(worker)
                await asyncio.to_thread(worker.kill)
                pool.put_nowait(await asyncio.to_thread(self._spawn))
        kind, payload, field = reply
        if kind == "limit":
            raise LimitExceeded(payload, field=field)
        if kind != "ok":
            raise RuntimeError(f"model validation failed: {payload}")
        return list(payload)

    async def require_valid(self, files: Files, *, columns: Columns = None) -> None:
        """Raise ``ModelValidationFailed`` listing every problem, if there is one."""
        found = await self.problems(files, columns=columns)
        if found:
            raise ModelValidationFailed(
                list(found),
                message=f"{len(found)} problem(s) in the model files; first: {found[0]}")

    def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle = None
        self._starting = None


def _plain(columns: Columns) -> dict[str, set[str]] | None:
    return None if columns is None else {k: set(v) for k, v in columns.items()}


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
    return conn.recv()
