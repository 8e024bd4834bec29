from __future__ import annotations

from typing import Annotated, Any

import strawberry

from backend.api.context import Info
from backend.api.errors import UserError, in_transaction, user_error
from backend.api.features.datasources.types import (
    CheckConnectionInput,
    ConnectionCheck,
    CreateDataSourceInput,
    CreateDemoDataSourceInput,
    CreateModelVersionInput,
    DataSource,
    DeleteDataSourceInput,
    GenerateModelsInput,
    ModelVersion,
    UpdateDataSourceInput,
)
from backend.core.errors import AppError, InvalidInput
from backend.core.services import datasources as svc
from backend.core.services import demo, modelversions

DataSourceResult = Annotated[DataSource | UserError, strawberry.union("DataSourceResult")]
ConnectionCheckResult = Annotated[
    ConnectionCheck | UserError, strawberry.union("ConnectionCheckResult")
]
ModelVersionResult = Annotated[ModelVersion | UserError, strawberry.union("ModelVersionResult")]


def _params(value: Any, field: str = "params") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput("params must be a JSON object.", field=field)
    return value


@strawberry.type
class DataSourceMutations:
    @strawberry.mutation
    async def create_data_source(self, info: Info, input: CreateDataSourceInput
                                 ) -> DataSourceResult:
        ctx = info.context

        async def work() -> DataSource:
            ds = await svc.create_data_source(
                ctx.db, ctx.actor, ctx.services.source_config, team_id=str(input.team_id),
                name=input.name, type_=input.type.value, params=_params(input.params),
            )
            return DataSource.from_model(ds)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Add the generated demo data set, with its models.")
    async def create_demo_data_source(self, info: Info, input: CreateDemoDataSourceInput
                                      ) -> DataSourceResult:
        ctx = info.context

        async def work() -> DataSource:
            ds = await demo.create_demo_data_source(
                ctx.db, ctx.actor, ctx.services.source_config, team_id=str(input.team_id),
                name=input.name, data_dir=ctx.settings.data_dir,
                order_items=ctx.settings.demo_order_items,
            )
            return DataSource.from_model(ds)

        return await in_transaction(info, work)

    @strawberry.mutation
    async def update_data_source(self, info: Info, input: UpdateDataSourceInput
                                 ) -> DataSourceResult:
        ctx = info.context

        async def work() -> DataSource:
            ds = await svc.update_data_source(
                ctx.db, ctx.actor, ctx.services.source_config, data_source_id=str(input.id),
                name=input.name,
                params=_params(input.params) if input.params is not None else None,
            )
            return DataSource.from_model(ds)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Delete a data source; its models and credentials go too.")
    async def delete_data_source(self, info: Info, input: DeleteDataSourceInput
                                 ) -> DataSourceResult:
        ctx = info.context

        async def work() -> DataSource:
            return DataSource.from_model(
                await svc.delete_data_source(ctx.db, ctx.actor, str(input.id))
            )

        return await in_transaction(info, work)

    @strawberry.mutation(description="Try to connect; failures name what to fix.")
    async def check_connection(self, info: Info, input: CheckConnectionInput
                               ) -> ConnectionCheckResult:
        ctx = info.context
        try:
            message = await svc.check_connection(
                ctx.db, ctx.actor, ctx.services.source_config,
                data_source_id=str(input.data_source_id) if input.data_source_id else None,
                team_id=str(input.team_id) if input.team_id else None,
                type_=input.type.value if input.type else None,
                params=_params(input.params) if input.params is not None else None,
            )
        except AppError as exc:
            return user_error(exc)
        return ConnectionCheck(ok=True, message=message)

    @strawberry.mutation(description="Scaffold cubes from tables and save them as a version.")
    async def generate_models(self, info: Info, input: GenerateModelsInput
                              ) -> ModelVersionResult:
        ctx = info.context

        user_id, job_id = ctx.actor.user_id, input.job_id

        def report(done: int, total: int, current: str) -> None:
            if user_id and job_id:
                ctx.services.progress.update(user_id, job_id, done, total, current)

        async def work() -> ModelVersion:
            v = await modelversions.generate_models(
                ctx.db, ctx.actor, ctx.services.source_config,
                data_source_id=str(input.data_source_id),
                tables=[(t.schema, t.name) for t in input.tables], overwrite=input.overwrite,
                on_progress=report, checker=ctx.services.model_checker,
            )
            return ModelVersion.from_data(v)

        try:
            return await in_transaction(info, work)
        finally:
            if user_id and job_id:
                last = ctx.services.progress.get(user_id, job_id)
                ctx.services.progress.update(
                    user_id, job_id, last.done if last else 0, last.total if last else 0,
                    "", finished=True)

    @strawberry.mutation(description="Validate and save model files as the new live version.")
    async def create_model_version(self, info: Info, input: CreateModelVersionInput
                                   ) -> ModelVersionResult:
        ctx = info.context

        async def work() -> ModelVersion:
            columns = await modelversions.source_columns(
                ctx.db, ctx.actor, ctx.services.source_config, str(input.data_source_id)
            )
            v = await modelversions.create_version(
                ctx.db, ctx.actor, str(input.data_source_id),
                [(f.name, f.code) for f in input.files], columns=columns,
                checker=ctx.services.model_checker,
            )
            return ModelVersion.from_data(v)

        return await in_transaction(info, work)
