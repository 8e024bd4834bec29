from __future__ import annotations

import strawberry

from backend.core.errors import AppError


@strawberry.input(description="One statement, run as one of the viewer's own credentials or with "
                              "the viewer's access on a data source of the team.")
class RunQueryInput:
    team_id: strawberry.ID
    sql: str
    credential_id: strawberry.ID | None = None
    data_source_id: strawberry.ID | None = None


@strawberry.type
class QueryColumn:
    name: str
    type: str = strawberry.field(description="PostgreSQL type name, as the SQL API reports it.")


@strawberry.type(description="What a console statement returned.")
class QueryRun:
    tag: str = strawberry.field(description="The command tag, e.g. SELECT 12.")
    kind: str = strawberry.field(description="engine (a model query), catalog or session.")
    columns: list[QueryColumn]
    rows: list[list[str | None]] = strawberry.field(
        description="Values in PostgreSQL text form; at most rowLimit rows.")
    row_limit: int
    truncated: bool = strawberry.field(description="More rows existed and were not fetched.")
    compiled_sql: str | None = strawberry.field(
        description="The SQL sent to the data source (model queries only).")
    elapsed_ms: float


@strawberry.type(description="Why a console statement failed, as a SQL client would be told.")
class QueryError:
    code: str
    sqlstate: str
    message: str
    hint: str | None = None
    field: str | None = None

    @classmethod
    def from_error(cls, exc: AppError) -> QueryError:
        return cls(code=exc.code, sqlstate=exc.sqlstate, message=exc.message, hint=exc.hint,
                   field=exc.field)
