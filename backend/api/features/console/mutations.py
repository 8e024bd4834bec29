from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Info
from backend.api.features.console.runner import console_state, run_statement
from backend.api.features.console.types import QueryColumn, QueryError, QueryRun, RunQueryInput
from backend.core.errors import AppError
from backend.core.services import authoring, console
from backend.core.services.authz import membership

RunQueryResult = Annotated[QueryRun | QueryError, strawberry.union("RunQueryResult")]


@strawberry.type
class ConsoleMutations:
    @strawberry.mutation(description="The SQL API page's query console: run one statement "
                                      "through the SQL API's engine with the viewer's access "
                                      f"(first {console.ROW_LIMIT} rows). A mutation because "
                                      "it queries a data source and is metered.")
    async def run_query(self, info: Info, input: RunQueryInput) -> RunQueryResult:
        ctx = info.context
        session_services, limits = console_state(ctx.services)
        try:
            grant = await console.console_grant(
                ctx.db, ctx.actor, ctx.settings.secret_key, team_id=str(input.team_id),
                credential_id=str(input.credential_id) if input.credential_id else None,
                data_source_id=str(input.data_source_id) if input.data_source_id else None,
            )
            # The compiled SQL is the model's SQL (source tables, expressions): shown only to
            # those who may see the model files (docs/security.md, model authoring).
            author = await authoring.is_author(
                ctx.db, await membership(ctx.db, ctx.actor, str(input.team_id)))
            # Read what was needed; no transaction stays open while the source is queried.
            await ctx.db.rollback()
            with limits.run(ctx.actor.require_user()):
                outcome = await run_statement(session_services, grant, input.sql,
                                                row_limit=console.ROW_LIMIT)
        except AppError as exc:
            return QueryError.from_error(exc)
        return QueryRun(
            tag=outcome.tag, kind=outcome.kind,
            columns=[QueryColumn(name=c.name, type=c.type) for c in outcome.columns],
            rows=outcome.rows, row_limit=console.ROW_LIMIT, truncated=outcome.truncated,
            compiled_sql=outcome.compiled_sql if author else None,
            elapsed_ms=outcome.elapsed_ms,
        )
