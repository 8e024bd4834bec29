"""A real gateway in a process of its own, with its address space capped: attacks that take
memory can then be sent at it without putting the machine at risk, and its peak RSS read.

``python -m tests.gateway_pg.child_gateway TLS_DIR DATA MEMORY_MB [MODEL_FILE]`` prints
``port user password`` once listening, serves until a line arrives on stdin, then prints its
peak RSS in MiB. DuckDB sources get ``MEMORY_MB`` as their memory limit.
"""

from __future__ import annotations

import asyncio
import resource
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ADDRESS_SPACE = 3 * 2**30


async def _serve(tls_dir: Path, data: Path, memory_mb: int, model: str | None) -> None:
    from backend.connectors.base import Connector
    from backend.connectors.factory import connector_for
    from backend.connectors.limits import Limits
    from gateway.session import SessionServices
    from tests.gateway_pg.conftest import started

    limits = Limits(duckdb_memory_limit_mb=memory_mb)

    def connectors(kind: str, params: Mapping[str, Any]) -> Connector:
        return connector_for(kind, params, limits=limits)

    options: dict[str, object] = {"model": model} if model else {}
    services = SessionServices(connector_factory=connectors)
    async with started(tls_dir, data, services=services, grant_options=options) as gw:
        print(gw.port, gw.user, gw.password, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    tls_dir, data, memory_mb = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    model = Path(sys.argv[4]).read_text() if len(sys.argv) > 4 else None
    from backend import eventloop
    from tests.services import EVENT_LOOP

    eventloop.run(_serve(tls_dir, data, memory_mb, model), EVENT_LOOP)
    print(_peak_rss_mib(), flush=True)


def _peak_rss_mib() -> int:
    """This image's peak RSS (VmHWM). Not ``ru_maxrss``: Linux carries that over ``execve``
    from the image it replaced, and a child that subprocess started with vfork reports the
    whole test run's peak (pytest's own ~1 GiB late in the suite) instead of its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
