"""The event loop the server processes run on (setting ``EVENT_LOOP``).

uvloop by default: its transports and TLS are C, and on the gateways' hot path (a point query
is a few reads and two writes) that takes about a fifth off the CPU per statement measured by
``bench/pg_bench.py`` (docs/benchmarks.md). Python's own loop stays available, and is what
runs where uvloop is not installed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger("backend.eventloop")
T = TypeVar("T")


def loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The factory for ``asyncio.Runner``; None means asyncio's default loop."""
    if choice != "uvloop":
        return None
    try:
        import uvloop
    except ImportError:
        log.warning("EVENT_LOOP=uvloop but uvloop is not installed: using asyncio's loop")
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def new_loop(choice: str) -> asyncio.AbstractEventLoop:
    """A fresh loop of the chosen kind, for a server run on a thread of its own (tests)."""
    factory = loop_factory(choice)
    return factory() if factory is not None else asyncio.new_event_loop()


def run(main: Coroutine[Any, Any, T], choice: str) -> T:
    """``asyncio.run`` on the chosen loop."""
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)
