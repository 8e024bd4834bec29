from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast, runtime_checkable

import strawberry
from strawberry.scalars import JSON

from backend.api.context import Info
from backend.api.features.datasources.types import DataSource
from backend.api.features.teams.types import Member, UserRef
from backend.core.models import AuditEvent as AuditEventModel
from backend.core.models import User as UserModel
from backend.core.services import credentials as svc
from backend.core.settings import Settings

SESSIONS_KEY = "sessions"  # services.extra[...]: open wire sessions of in-process gateways


@runtime_checkable
class OpenSessionCounter(Protocol):
    """What the server puts under ``SESSIONS_KEY`` (e.g. ``feed.SessionRegistry``)."""

    def count(self, username: str) -> int: ...


@strawberry.type(description="How to reach one wire gateway. Never carries the password.")
class ConnectionInfo:
    host: str
    port: int
    database: str
    username: str
    command: str = strawberry.field(description="The client command (psql or mysql).")
    uri: str
    jdbc_url: str
    sqlalchemy_url: str

    @classmethod
    def from_details(cls, d: svc.ConnectionDetails) -> ConnectionInfo:
        return cls(host=d.host, port=d.port, database=d.database, username=d.username,
                   command=d.command, uri=d.uri, jdbc_url=d.jdbc_url,
                   sqlalchemy_url=d.sqlalchemy_url)


@strawberry.type
class SqlConnections:
    postgres: ConnectionInfo
    mysql: ConnectionInfo

    @classmethod
    def for_username(cls, settings: Settings, username: str) -> SqlConnections:
        return cls(
            postgres=ConnectionInfo.from_details(
                svc.connection_details(settings, username, "postgres")),
            mysql=ConnectionInfo.from_details(svc.connection_details(settings, username, "mysql")),
        )


@strawberry.type(description="A login to the SQL API for one member and one data source.")
class SqlCredential:
    id: strawberry.ID
    username: str
    member: Member
    data_source: DataSource
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    connection: SqlConnections
    download_path: str = strawberry.field(
        description="GET it with ?format=json|env&protocol=postgres|mysql for a file without "
                    "the password; POST the token from create/rotate to include it.")

    @strawberry.field(description="Open wire sessions in this process's gateways.")
    def open_sessions(self, info: Info) -> int:
        registry = info.context.services.extra.get(SESSIONS_KEY)
        return registry.count(self.username) if isinstance(registry, OpenSessionCounter) else 0

    @classmethod
    def from_view(cls, settings: Settings, v: svc.CredentialView) -> SqlCredential:
        c = v.credential
        return cls(id=strawberry.ID(c.id), username=c.username, member=Member.from_model(v.member),
                   data_source=DataSource.from_model(v.data_source), created_at=c.created_at,
                   updated_at=c.updated_at, last_used_at=c.last_used_at,
                   expires_at=c.expires_at,
                   connection=SqlConnections.for_username(settings, c.username),
                   download_path=f"/api/credentials/{c.id}/download")


@strawberry.type(description="A new password: shown here once and never again.")
class SqlCredentialSecret:
    password: str
    credential: SqlCredential
    download_token: str = strawberry.field(
        description="Token for the credential's downloads with the password: valid 10 "
                    "minutes, only for the user who received it and until the next rotation.")


@strawberry.type
class AuditEvent:
    id: strawberry.ID
    action: str
    target: str | None
    actor: UserRef | None
    detail: JSON
    client_addr: str | None
    created_at: datetime

    @classmethod
    def from_model(cls, e: AuditEventModel, users: dict[str, UserModel]) -> AuditEvent:
        actor = users.get(e.actor_user_id) if e.actor_user_id else None
        return cls(id=strawberry.ID(str(e.id)), action=e.action, target=e.target,
                   actor=UserRef.from_model(actor) if actor else None, detail=cast(JSON, e.detail),
                   client_addr=e.client_addr, created_at=e.created_at)


@strawberry.input
class CreateSqlCredentialInput:
    member_id: strawberry.ID
    data_source_id: strawberry.ID


@strawberry.input
class UpdateSqlCredentialInput:
    id: strawberry.ID
    member_id: strawberry.ID | None = None
    data_source_id: strawberry.ID | None = None


@strawberry.input
class RotateSqlCredentialPasswordInput:
    id: strawberry.ID


@strawberry.input
class DeleteSqlCredentialInput:
    id: strawberry.ID
