"""The production ``SqlSession``: the semantic engine (MySQL client dialect) over the shared
model and connector caches of ``gateway.session.SessionServices``.

The PostgreSQL-flavoured parts of ``gateway.session.Session`` (pg_catalog, PostgreSQL SET/SHOW
and transaction states) do not apply to MySQL clients, so only its caches are shared here; the
MySQL-specific catalog lives in ``metadata.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any, cast

from backend.connectors.base import QueryResult, ResultColumn
from backend.core.errors import NotSupported
from backend.core.grants import CredentialGrant
from backend.semantic.model import ModelSet
from gateway.engine import CompiledQuery, TargetDialect, VirtualTable
from gateway.planning import Scope
from gateway.session import DIALECT_BY_SOURCE, SessionServices

from .catalog import MysqlCatalog
from .interface import StatementShape
from .params import coerce, parameter_types
from .tables import catalog_tables


class _TypedResult:
    """A data-source result whose columns carry the engine's names and types."""

    def __init__(self, result: QueryResult, columns: Sequence[ResultColumn]):
        self._result = result
        self.columns = columns

    @property
    def source(self) -> QueryResult:
        """The connector's own result (its rows may be forwarded as they came)."""
        return self._result

    def rows(self, batch_size: int = 1000) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
        return self._result.rows(batch_size)

    async def cancel(self) -> None:
        await self._result.cancel()

    async def close(self) -> None:
        await self._result.close()


class EngineSession:
    def __init__(self, grant: CredentialGrant, services: SessionServices):
        self.grant = grant
        self.services = services

    def replace_grant(self, grant: CredentialGrant) -> None:
        self.grant = grant

    def models(self) -> ModelSet:
        """The grant's models, with the data source's own column types once described
        (``gateway.source_types``: an integer column is an integer, not a decimal)."""
        return self.services.models_for(self.grant)

    def _model_key(self, models: ModelSet) -> str | None:
        # Plans and catalogs built before the source's types were known are not reused after.
        version = self.grant.model_version_id
        return f"{version}+source" if models.source_types and version else version

    async def ready(self) -> None:
        """Wait (bounded by ``SourceTypes.timeout_seconds``, once per data source and model
        version in the process) for the source's column types, so the catalog shows them."""
        task = self.services.describe_source(self.grant)
        if task is not None:
            await asyncio.shield(task)

    def tables(self) -> Sequence[VirtualTable]:
        """What DESCRIBE, SHOW and information_schema list: the columns ``SELECT *`` returns,
        then segments (``tables.catalog_tables``)."""
        return catalog_tables(self.models(), self.grant.access, self._target())

    def _target(self) -> TargetDialect:
        kind = self.grant.data_source_type.upper()
        target = DIALECT_BY_SOURCE.get(kind)
        if target is None:
            raise NotSupported(f"data sources of type {kind} are not supported")
        return cast(TargetDialect, target)

    def catalog(self) -> MysqlCatalog:
        """One per credential, model version and access list, in the process-wide cache
        (and bound) of both gateways' catalogs."""
        grant, catalogs = self.grant, self.services.catalogs
        key = ("mysql", grant.username, self._model_key(self.models()), grant.access.allowed)
        return catalogs.get_other(key, MysqlCatalog,
                                  lambda: MysqlCatalog(self.tables(), catalogs.limits))

    async def _compile(self, sql: str) -> CompiledQuery:
        await self.ready()
        models = self.models()
        scope = Scope(models, self.grant.access, self._target(), self._model_key(models),
                      owner=self.grant.credential_id)
        return await self.services.planner.compile(sql, "mysql", scope)

    async def execute(self, sql: str, params: Sequence[object] = ()) -> QueryResult:
        compiled = await self._compile(sql)
        if params:
            # Text values bound where a number or a date is compared: converted, as MySQL
            # converts them (the data source's driver would refuse them).
            params = coerce(params, self._param_types(sql, compiled))
        # The engine's output carries placeholders only; values travel beside it.
        args = compiled.bind(list(params))
        result = await self.services.connectors.get(self.grant).execute(compiled.sql, args)
        columns = [ResultColumn(c.name, c.type) for c in compiled.columns]
        if len(columns) != len(result.columns):
            columns = list(result.columns)
        return _TypedResult(result, columns)

    async def describe(self, sql: str) -> StatementShape:
        compiled = await self._compile(sql)
        return StatementShape(compiled.param_count,
                              tuple(ResultColumn(c.name, c.type) for c in compiled.columns),
                              tuple(self._param_types(sql, compiled)))

    def _param_types(self, sql: str, compiled: CompiledQuery) -> list[str]:
        types = parameter_types(sql, self.catalog().tables, compiled.param_types)
        return types if len(types) == compiled.param_count else ["text"] * compiled.param_count

    async def close(self) -> None:
        return None


class EngineSessionFactory:
    """``session_factory`` for :func:`gateway.mysql.server.start_mysql_server`."""

    def __init__(self, services: SessionServices):
        self.services = services

    async def __call__(self, grant: CredentialGrant) -> EngineSession:
        return EngineSession(grant, self.services)
