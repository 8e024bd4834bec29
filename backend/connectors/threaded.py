"""Running a blocking, embedded engine (SQLite, DuckDB) from asyncio.

Each driver call of a query runs on the connector's worker threads, never on the event loop.
A statement timeout and ``cancel()`` both stop a running call through the engine's own
``interrupt()`` (thread-safe in both engines), so a stopped query really stops working.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Executor
from typing import Any, TypeVar

from backend.connectors.base import ResultColumn
from backend.core.errors import AppError, QueryCanceled, SourceTimeout

T = TypeVar("T")
Row = tuple[Any, ...]


async def run_limited(executor: Executor, work: Callable[[], T], *, timeout: float,
                      on_timeout: Callable[[], AppError]) -> T:
    """One short blocking call (metadata, a check) on a worker thread, bounded in time.

    Shielded, so a timeout leaves the thread to finish on its own rather than tearing down a
    half-used connection; the caller gets ``on_timeout()`` instead of waiting for it.
    """
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            return await asyncio.shield(loop.run_in_executor(executor, work))
    except TimeoutError:
        raise on_timeout() from None


class BlockingCalls:
    """One query's driver calls: run on a worker thread, time-limited and cancellable."""

    def __init__(
        self,
        executor: Executor,
        *,
        interrupt: Callable[[], None],
        statement_timeout: float,
        map_error: Callable[[Exception], AppError],
    ):
        self._executor = executor
        self._interrupt = interrupt
        self._timeout = statement_timeout
        self._map_error = map_error
        self._running: asyncio.Future[Any] | None = None
        self._watchdog: asyncio.Future[None] | None = None
        self.canceled = False
        self.timed_out = False

    async def call(self, fn: Callable[[], T]) -> T:
        if self.canceled:
            raise QueryCanceled("the query was canceled")
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, fn)
        self._running = future
        timer = loop.call_later(self._timeout, self._on_timeout)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            # The caller gave up: stop the engine too, and let the thread finish before the
            # connection can be touched again.
            await self._interrupt_until_done(future)
            raise
        except AppError:
            raise
        except Exception as exc:
            if self.timed_out:
                raise SourceTimeout(
                    f"the query ran longer than the statement timeout ({self._timeout:g} s)",
                    hint="narrow the query (filters, a smaller date range) or raise the timeout",
                ) from None
            if self.canceled:
                raise QueryCanceled("the query was canceled") from None
            raise self._map_error(exc) from None
        finally:
            timer.cancel()
            self._running = None

    async def _interrupt_until_done(self, future: asyncio.Future[Any]) -> None:
        """Interrupt until the call returns: an interrupt that lands just before the engine
        starts the statement would otherwise be lost."""
        while not future.done():
            self._interrupt()
            await asyncio.wait([future], timeout=0.05)

    def _stop_running_call(self) -> None:
        running = self._running
        if running is None:
            self._interrupt()
        elif self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.ensure_future(self._interrupt_until_done(running))

    def _on_timeout(self) -> None:
        self.timed_out = True
        self._stop_running_call()

    def cancel(self) -> None:
        self.canceled = True
        self._stop_running_call()

    async def settle(self) -> None:
        """Wait until no call is running (after an interrupt), so resources can be freed."""
        running = self._running
        if running is not None:
            await asyncio.wait([running])
        if self._watchdog is not None:
            await self._watchdog


class ThreadedResult:
    """A QueryResult over a DB-API cursor whose calls go through ``BlockingCalls``."""

    def __init__(
        self,
        columns: Sequence[ResultColumn],
        calls: BlockingCalls,
        fetchmany: Callable[[int], list[Row]],
        release: Callable[[], None],
        *,
        prefetched: list[Row] | None = None,
        exhausted: bool = False,
        convert: Callable[[list[Row]], list[Row]] | None = None,
    ):
        self.columns = columns
        self._calls = calls
        self._fetchmany = fetchmany
        self._release = release
        self._buffer = prefetched or []
        self._exhausted = exhausted
        self._convert = convert
        self._closed = False

    async def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[Row]]:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        while self._buffer:
            if self._calls.canceled:
                raise QueryCanceled("the query was canceled")
            batch, self._buffer = self._buffer[:batch_size], self._buffer[batch_size:]
            yield batch
        while not self._exhausted:
            if self._closed:
                raise QueryCanceled("the query was closed")
            batch = await self._calls.call(functools.partial(self._fetchmany, batch_size))
            if not batch:
                self._exhausted = True
                break
            yield self._convert(batch) if self._convert else batch

    async def cancel(self) -> None:
        if not self._closed:
            self._calls.cancel()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._exhausted:
            self._calls.cancel()
        await self._calls.settle()
        self._release()
