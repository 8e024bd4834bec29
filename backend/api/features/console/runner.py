"""Run one console statement through the SQL API's own session, planner and connectors.

Nothing here plans or compiles: a ``gateway.session.Session`` is opened on the member's grant
and given the statement, so the console answers exactly what psql would — same engine, same
access list, same input bounds, the same Planner that sends long statements to a worker
process killed after ``COMPILE_TIMEOUT_SECONDS``, the same catalog sandbox, the same source
limits and network/file policies (``services_from_settings``). The web process keeps its own
``SessionServices`` (it may run without the gateways); they are made on the first run and
closed with the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backend.api.context import Services
from backend.connectors.base import ResultColumn
from backend.core.errors import QueryCanceled, SqlSyntaxError
from backend.core.grants import CredentialGrant
from backend.core.services.console import ROW_LIMIT, ConsoleLimits

if TYPE_CHECKING:  # the engine is imported on the first run, not with the web app
    from gateway.session import SessionServices

CONSOLE_KEY = "console"  # services.extra[...]: (SessionServices, ConsoleLimits)
RUN_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class ConsoleOutcome:
    tag: str
    kind: str  # engine | catalog | session
    columns: list[ResultColumn]
    rows: list[list[str | None]]  # PostgreSQL text form, as psql shows it
    truncated: bool
    compiled_sql: str | None
    elapsed_ms: float


def console_state(services: Services) -> tuple[SessionServices, ConsoleLimits]:
    state = services.extra.get(CONSOLE_KEY)
    if state is None:
        from gateway.session import services_from_settings

        state = (services_from_settings(services.settings), ConsoleLimits())
        services.extra[CONSOLE_KEY] = state
    return state


async def close_console(services: Services) -> None:
    state = services.extra.pop(CONSOLE_KEY, None)
    if state is not None:
        await state[0].close()


def _text(columns: Sequence[ResultColumn], row: Sequence[Any]) -> list[str | None]:
    from gateway.postgres.types import text_encoder, type_oid

    out: list[str | None] = []
    for col, value in zip(columns, row, strict=False):
        if value is None:
            out.append(None)
        else:
            out.append(text_encoder(type_oid(col.type))(value).decode("utf-8", "replace"))
    return out


async def run_statement(session_services: SessionServices, grant: CredentialGrant, sql: str,
                        *, row_limit: int = ROW_LIMIT,
                        timeout_s: float = RUN_TIMEOUT_SECONDS) -> ConsoleOutcome:
    from gateway.session import Session, split_statements

    statements = split_statements(sql)
    if len(statements) != 1:
        raise SqlSyntaxError("Enter one statement." if not statements
                             else "Run one statement at a time.")
    text = statements[0]
    session = Session(grant, session_services)
    started = time.perf_counter()
    try:
        return await asyncio.wait_for(_run(session, text, row_limit, started), timeout_s)
    except TimeoutError:
        with contextlib.suppress(Exception):
            await session.cancel()
        raise QueryCanceled(f"the console stopped the query after {timeout_s:g} seconds",
                            hint="add filters or a LIMIT, or use a SQL client") from None
    finally:
        await session.close()


async def _run(session: Any, text: str, row_limit: int, started: float) -> ConsoleOutcome:
    result = await session.execute(text)
    rows: list[list[str | None]] = []
    truncated = False
    columns = list(result.columns or [])
    try:
        if result.batches is not None:
            async for batch in result.batches:
                for row in batch:
                    if len(rows) == row_limit:
                        truncated = True
                        break
                    rows.append(_text(columns, row))
                if truncated:
                    break
    finally:
        batches = result.batches
        if batches is not None and hasattr(batches, "aclose"):
            await batches.aclose()
        await result.close()
    compiled = None
    if session.statement_kind == "engine":
        # Answered from the planner's cache: the statement was just compiled.
        compiled = (await session.compile(text)).sql
    elapsed = (time.perf_counter() - started) * 1000
    tag = result.tag if result.tag != "SELECT" else f"SELECT {len(rows)}"
    return ConsoleOutcome(tag, session.statement_kind, columns, rows, truncated, compiled,
                          round(elapsed, 1))
