"""The fault harness's running product (see ``stack.py``), started once for the directory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

# Imported now, before the proxies' threads: CPython 3.11 before 3.11.8 (gh-106905) can fail
# the assertion rewrite of a module first imported later, at the terminal summary.
import hypothesis  # noqa: F401
import pytest

from tests.faults.proxy import TcpProxy
from tests.faults.stack import Proc, Stack, fault_env, make_data_database
from tests.system.conftest import ROOT, free_port


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from tests.conftest import _create_pg_database, _drop_pg_database
    from tests.services import require_postgres

    require_postgres()
    meta_db, meta_url = _create_pg_database()
    data_db, _ = _create_pg_database()
    root = tmp_path_factory.mktemp("faults")
    meta_proxy = TcpProxy(5432).start()
    source_proxy = TcpProxy(5432).start()
    env = fault_env(root, meta_url)
    web = Proc(
        "web",
        ["--only", "web", "--no-migrate"],
        env,
        free_port(),
        free_port(),
        free_port(),
        root / "web.log",
    )
    s = Stack(root, meta_db, data_db, meta_proxy, source_proxy, env, web)
    try:
        make_data_database(data_db)
        subprocess.run(
            [sys.executable, "-m", "backend.cli", "migrate"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        web.start()
        s.add_gateway("gateway-1")
        yield s
    finally:
        for proc in [*s.gateways, web]:
            proc.stop()
        meta_proxy.close()
        source_proxy.close()
        _drop_pg_database(meta_db)
        _drop_pg_database(data_db)


@pytest.fixture
def healthy(stack: Stack) -> Iterator[Stack]:
    """The stack, put back together after a test broke it (proxies open, processes up)."""
    yield stack
    stack.meta_proxy.thaw()
    stack.meta_proxy.restore()
    stack.source_proxy.thaw()
    stack.source_proxy.restore()
    for proc in [stack.web, *stack.gateways]:
        if proc.popen is None or proc.popen.poll() is not None:
            proc.start()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.faults.timings import TIMINGS

    if TIMINGS:
        terminalreporter.section("fault timings")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:8.3f}  {name}")
