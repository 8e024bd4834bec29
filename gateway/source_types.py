"""What the data source says its dimensions hold, so that results carry the column's own type.

A model only says a dimension is a ``number`` or a ``time``; PostgreSQL over the same table
would say int4, int8, numeric, date. So once per (data source, model version) and process,
each cube's ``number`` and ``time`` dimensions are described on the source — the engine
compiles ``SELECT <dimensions> FROM <cube> LIMIT 0`` and the connector reports the result
columns' types without returning a row — and the models are given those types
(``ModelSet.source_types``). The engine then types results, parameters and the catalog from
them alike, so a Describe, the rows that follow, binary COPY and ``\\d`` all agree.

A cube that cannot be described (the source is down, a dimension's SQL fails) keeps the
model's types; a failed source is asked again after ``retry_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import replace

from backend.connectors.base import Connector
from backend.core.errors import SourceQueryFailed
from backend.core.grants import CredentialGrant
from backend.semantic.model import ALLOW_ALL, Cube, ModelSet
from gateway.engine import compile_query
from gateway.engine.types import TARGET_DIALECTS

log = logging.getLogger("gateway.source_types")

_DESCRIBED = ("number", "time")
Key = tuple[str, str, str | None]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def probe_sql(cube: Cube) -> tuple[str, list[str]] | None:
    """The statement that describes a cube's number and time dimensions (client SQL: it goes
    through the engine like any other)."""
    names = [d.name for d in cube.dimensions if d.public and d.type in _DESCRIBED]
    if not names or not cube.public:
        return None
    return (f"SELECT {', '.join(_quote(n) for n in names)} FROM {_quote(cube.name)} LIMIT 0",
            names)


class SourceTypes:
    """Described types per (data source, model version), shared by a process's sessions."""

    def __init__(self, *, timeout_seconds: float = 10.0, retry_seconds: float = 60.0,
                 max_entries: int = 256):
        self.timeout_seconds = timeout_seconds
        self.retry_seconds = retry_seconds
        self.max_entries = max_entries
        self._types: dict[Key, Mapping[tuple[str, str], str]] = {}
        self._failed: dict[Key, float] = {}
        self._tasks: dict[Key, asyncio.Task[None]] = {}
        self._typed: dict[Key, tuple[ModelSet, ModelSet]] = {}  # (models, with the types)

    @staticmethod
    def key(grant: CredentialGrant) -> Key:
        return (grant.data_source_id, grant.params_key, grant.model_version_id)

    def typed(self, grant: CredentialGrant, models: ModelSet) -> ModelSet:
        """The models with the source's types, if they have been described."""
        key = self.key(grant)
        types = self._types.get(key)
        if not types:
            return models
        typed = self._typed.get(key)
        if typed is None or typed[0] is not models:  # built once, not per statement
            typed = (models, replace(models, source_types=types))
            self._typed[key] = typed
        return typed[1]

    def start(self, grant: CredentialGrant, models: ModelSet, connector: Connector,
              target: str) -> asyncio.Task[None] | None:
        """The running description of the source for these models, started if needed; None
        when it is done (or failed a moment ago, or there is nothing to describe)."""
        key = self.key(grant)
        if key in self._types or not len(models) or target not in TARGET_DIALECTS:
            return None
        failed = self._failed.get(key)
        if failed is not None and time.monotonic() - failed < self.retry_seconds:
            return None
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(self._run(key, grant, models, connector, target))
            self._tasks[key] = task
            task.add_done_callback(lambda _: self._tasks.pop(key, None))
        return task

    async def ensure(self, grant: CredentialGrant, models: ModelSet, connector: Connector,
                     target: str) -> None:
        task = self.start(grant, models, connector, target)
        if task is not None:
            await asyncio.shield(task)  # one caller's cancellation leaves it to the others

    async def _run(self, key: Key, grant: CredentialGrant, models: ModelSet,
                   connector: Connector, target: str) -> None:
        try:
            async with asyncio.timeout(self.timeout_seconds):
                types = await self._describe(models, connector, target)
        except Exception:
            log.warning("describing data source %s failed; its columns keep the model's types",
                        grant.data_source_id, exc_info=True)
            self._failed[key] = time.monotonic()
            return
        self._types[key] = types
        self._failed.pop(key, None)
        while len(self._types) > self.max_entries:
            old = next(iter(self._types))
            self._types.pop(old)
            self._typed.pop(old, None)

    def close(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        self._tasks.clear()

    async def _describe(self, models: ModelSet, connector: Connector,
                        target: str) -> dict[tuple[str, str], str]:
        types: dict[tuple[str, str], str] = {}
        for cube in models:
            probe = probe_sql(cube)
            if probe is None:
                continue
            sql, names = probe
            try:
                compiled = compile_query(sql, client_dialect="postgres", models=models,
                                         access=ALLOW_ALL, target_dialect=target)  # type: ignore[arg-type]
            except Exception:
                log.info("cube %s: its dimensions cannot be described", cube.name,
                         exc_info=True)
                continue
            try:
                result = await connector.execute(compiled.sql, [])
            except SourceQueryFailed:  # this cube's SQL; an unreachable source fails it all
                log.info("cube %s: describing it failed on the source", cube.name,
                         exc_info=True)
                continue
            try:
                columns = list(result.columns)
            finally:
                await result.close()
            if len(columns) != len(names):
                continue
            for name, column in zip(names, columns, strict=True):
                types[cube.name, name] = column.type
        return types
