"""What every GraphQL resolver receives: the request, a database session, the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from backend.core.modelcheck import ModelChecker
from backend.core.progress import ProgressRegistry
from backend.core.services.accounts import LoginLimits
from backend.core.services.authz import Actor
from backend.core.services.datasources import SourceConfig
from backend.core.settings import Settings

SESSION_COOKIE = "msql_session"
DEVICE_COOKIE = "msql_device"  # a browser that has logged in to an account before


@dataclass
class Services:
    """Long-lived objects the app factory builds once and every request shares."""

    settings: Settings
    limits: LoginLimits
    source_config: SourceConfig
    model_checker: ModelChecker
    progress: ProgressRegistry = field(default_factory=ProgressRegistry)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    request: Request
    response: Response
    db: AsyncSession
    services: Services
    actor: Actor
    session_token: str | None

    @property
    def settings(self) -> Settings:
        return self.services.settings


Info = StrawberryInfo[Context, None]


def client_addr(request: Request) -> str | None:
    return request.client.host if request.client else None
