from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.errors import ModelProblem, model_problem, raise_for_query
from backend.api.features.datasources.types import (
    DataSource,
    GenerationProgress,
    ModelFileInput,
    ModelVersion,
    TableInfo,
)
from backend.core.errors import AppError
from backend.core.services import datasources as svc
from backend.core.services import modelversions


@strawberry.type
class DataSourceQueries:
    @strawberry.field
    async def data_sources(self, info: Info, team_id: strawberry.ID) -> list[DataSource]:
        try:
            rows = await svc.list_data_sources(info.context.db, info.context.actor, str(team_id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [DataSource.from_model(ds) for ds in rows]

    @strawberry.field
    async def data_source(self, info: Info, id: strawberry.ID) -> DataSource:
        try:
            ds = await svc.get_data_source(info.context.db, info.context.actor, str(id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return DataSource.from_model(ds)

    @strawberry.field(description="Tables and columns of the data source, read live (for "
                                  "those who may author models).")
    async def data_source_tables(self, info: Info, data_source_id: strawberry.ID
                                 ) -> list[TableInfo]:
        ctx = info.context
        try:
            tables = await modelversions.list_tables(ctx.db, ctx.actor,
                                                     ctx.services.source_config,
                                                     str(data_source_id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [TableInfo.from_data(t) for t in tables]

    @strawberry.field
    async def model_versions(self, info: Info, data_source_id: strawberry.ID
                             ) -> list[ModelVersion]:
        ctx = info.context
        try:
            versions = await modelversions.list_versions(ctx.db, ctx.actor, str(data_source_id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [ModelVersion.from_view(v) for v in versions]

    @strawberry.field(description="One model version of a data source the viewer can see.")
    async def model_version(self, info: Info, id: strawberry.ID) -> ModelVersion:
        try:
            v = await modelversions.get_version(info.context.db, info.context.actor, str(id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return ModelVersion.from_view(v)

    @strawberry.field(description="Progress of a generateModels call started with this jobId.")
    def model_generation_progress(self, info: Info, job_id: str) -> GenerationProgress | None:
        user_id = info.context.actor.user_id
        p = info.context.services.progress.get(user_id, job_id) if user_id else None
        if p is None:
            return None
        return GenerationProgress(done=p.done, total=p.total, current=p.current,
                                  finished=p.finished)

    @strawberry.field(description="Every problem in a set of model files, without saving.")
    async def validate_models(self, info: Info, files: list[ModelFileInput]
                              ) -> list[ModelProblem]:
        try:
            problems = await modelversions.validate_files(
                info.context.actor, [(f.name, f.code) for f in files],
                info.context.services.model_checker)
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [model_problem(p) for p in problems]
