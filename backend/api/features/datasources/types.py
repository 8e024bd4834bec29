from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from backend.api.context import Info
from backend.connectors.base import TableInfo as TableInfoData
from backend.core.models import DataSource as DataSourceModel
from backend.core.services import modelversions
from backend.core.services.modelversions import ModelView, VersionWithFiles
from backend.semantic.model import ALLOW_ALL, AccessPolicy


@strawberry.enum
class DataSourceType(Enum):
    POSTGRES = "POSTGRES"
    MYSQL = "MYSQL"
    SQLITE = "SQLITE"
    DUCKDB = "DUCKDB"


@strawberry.type
class ModelFile:
    name: str
    code: str


@strawberry.type(description="A dimension, measure or segment the viewer may query.")
class CubeMember:
    name: str
    kind: str = strawberry.field(description="dimension, measure or segment")
    type: str | None
    title: str | None
    description: str | None


@strawberry.type(description="A cube as the viewer's access list shows it.")
class CubeInfo:
    name: str
    title: str | None
    description: str | None
    members: list[CubeMember]


@strawberry.type(description="An immutable set of model files; the newest one is live.")
class ModelVersion:
    id: strawberry.ID
    number: int
    branch: str
    created_at: datetime
    files: list[ModelFile] = strawberry.field(
        description="The YAML files: only for those who may author models (else empty)."
    )
    source_files: strawberry.Private[tuple[tuple[str, str], ...]]
    policy: strawberry.Private[AccessPolicy]

    @strawberry.field(description="The cubes and members the viewer may query over SQL, "
                                  "through their access list (hidden ones are left out).")
    async def cubes(self) -> list[CubeInfo]:
        summaries = await asyncio.to_thread(modelversions.visible_cubes, self.source_files,
                                            self.policy)
        return [CubeInfo(name=c.name, title=c.title, description=c.description,
                         members=[CubeMember(name=m.name, kind=m.kind, type=m.type,
                                             title=m.title, description=m.description)
                                  for m in c.members])
                for c in summaries]

    @classmethod
    def from_data(cls, v: VersionWithFiles) -> ModelVersion:
        """A version just saved by its author: every file, every cube."""
        return cls(id=strawberry.ID(v.version.id), number=v.version.number,
                   branch=v.version.branch, created_at=v.version.created_at,
                   files=[ModelFile(name=n, code=c) for n, c in v.files],
                   source_files=tuple(v.files), policy=ALLOW_ALL)

    @classmethod
    def from_view(cls, v: ModelView) -> ModelVersion:
        return cls(id=strawberry.ID(v.version.id), number=v.version.number,
                   branch=v.version.branch, created_at=v.version.created_at,
                   files=[ModelFile(name=n, code=c) for n, c in v.files],
                   source_files=v.source_files, policy=v.policy)


@strawberry.type
class DataSource:
    id: strawberry.ID
    team_id: strawberry.ID
    name: str
    type: DataSourceType
    params: JSON = strawberry.field(description="Connection fields without secrets.")
    has_password: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The live model version, if models were saved.")
    async def models(self, info: Info) -> ModelVersion | None:
        v = await modelversions.read_models(info.context.db, info.context.actor, str(self.id))
        return ModelVersion.from_view(v) if v else None

    @classmethod
    def from_model(cls, ds: DataSourceModel) -> DataSource:
        return cls(id=strawberry.ID(ds.id), team_id=strawberry.ID(ds.team_id), name=ds.name,
                   type=DataSourceType(ds.type), params=cast(JSON, dict(ds.params)),
                   has_password=ds.secret is not None, created_at=ds.created_at,
                   updated_at=ds.updated_at)


@strawberry.type
class ColumnInfo:
    name: str
    type: str
    nullable: bool


@strawberry.type
class TableInfo:
    schema: str
    name: str
    columns: list[ColumnInfo]
    primary_key: list[str]

    @classmethod
    def from_data(cls, t: TableInfoData) -> TableInfo:
        return cls(schema=t.schema, name=t.name,
                   columns=[ColumnInfo(name=c.name, type=c.type, nullable=c.nullable)
                            for c in t.columns],
                   primary_key=list(t.primary_key))


@strawberry.type
class ConnectionCheck:
    ok: bool
    message: str


@strawberry.input
class CreateDataSourceInput:
    team_id: strawberry.ID
    name: str
    type: DataSourceType
    params: JSON


@strawberry.input
class CreateDemoDataSourceInput:
    team_id: strawberry.ID
    name: str = "Demo e-commerce"


@strawberry.input
class UpdateDataSourceInput:
    id: strawberry.ID
    name: str | None = None
    params: JSON | None = strawberry.field(
        default=None, description="Fields to change; an empty password keeps the stored one."
    )


@strawberry.input
class DeleteDataSourceInput:
    id: strawberry.ID


@strawberry.input(description="A saved data source, or unsaved settings to try before saving.")
class CheckConnectionInput:
    data_source_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    type: DataSourceType | None = None
    params: JSON | None = None


@strawberry.input
class TableRef:
    schema: str
    name: str


@strawberry.input
class GenerateModelsInput:
    data_source_id: strawberry.ID
    tables: list[TableRef] = strawberry.field(
        default_factory=list, description="Tables to model; empty means every table."
    )
    overwrite: bool = False
    job_id: str | None = strawberry.field(
        default=None,
        description="Any id of your choosing; poll modelGenerationProgress(jobId) meanwhile.",
    )


@strawberry.type(description="How far a model generation has got.")
class GenerationProgress:
    done: int
    total: int
    current: str
    finished: bool


@strawberry.input
class ModelFileInput:
    name: str
    code: str


@strawberry.input
class CreateModelVersionInput:
    data_source_id: strawberry.ID
    files: list[ModelFileInput]
