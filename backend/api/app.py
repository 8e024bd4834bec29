"""The web application: GraphQL, health, credential downloads and the built SPA."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from backend.api.context import SESSION_COOKIE, Context, Services, client_addr
from backend.api.headers import SecurityHeadersMiddleware
from backend.api.limits import BodyLimitMiddleware
from backend.api.schema import schema
from backend.core.backoff import DeviceTokens
from backend.core.db import make_engine, make_sessionmaker
from backend.core.modelcheck import ModelChecker
from backend.core.security import signing_key
from backend.core.services import accounts
from backend.core.services.accounts import LoginLimits
from backend.core.services.authz import Actor
from backend.core.services.datasources import SourceConfig
from backend.core.settings import Settings
from backend.observability.http import RequestIdMiddleware, ops_routes

log = logging.getLogger("metricsql.web")

FRONTEND_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class GraphQLApp(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)
        db: AsyncSession = request.state.db
        token = request.cookies.get(SESSION_COOKIE)
        user = await accounts.user_for_token(db, token)
        return Context(
            request=request,
            response=response,
            db=db,
            services=request.app.state.services,
            actor=Actor(user.id if user else None, client_addr(request)),
            session_token=token if user else None,
        )


class DbSessionMiddleware:
    """One database session per request, closed when the response is done."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        maker: async_sessionmaker[AsyncSession] = scope["app"].state.sessionmaker
        async with maker() as db:
            scope.setdefault("state", {})["db"] = db
            await self.app(scope, receive, send)


class SameOriginMiddleware:
    """Refuse state-changing requests whose Origin names another site (CSRF defence).

    Browsers send Origin on every cross-site POST; SameSite=Lax cookies are the second line.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            origin = headers.get("origin")
            host = headers.get("host", "")
            if origin and origin != "null" and urlsplit(origin).netloc != host:
                response = JSONResponse(
                    {"errors": [{"message": "Cross-site request refused: the Origin header "
                                 "does not match this server.", "extensions": {"code": "CSRF"}}]},
                    status_code=403,
                )
                await response(scope, receive, send)
                return
            if origin == "null":
                response = JSONResponse(
                    {"errors": [{"message": "Requests from an opaque origin are refused.",
                                 "extensions": {"code": "CSRF"}}]},
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def spa(request: Request) -> Response:
    """Serve the built SPA; unknown paths get index.html so client routes work on reload."""
    index = FRONTEND_DIST / "index.html"
    if not index.exists():
        return JSONResponse(
            {"message": "The web app is not built. Run `make frontend` (make run does it); "
                        "GraphQL is at /graphql."},
            status_code=404,
        )
    return FileResponse(index)


def create_app(
    settings: Settings,
    *,
    engine: AsyncEngine | None = None,
    extra_routes: list[Route | Mount] | None = None,
) -> Starlette:
    own_engine = engine is None
    db_engine = engine or make_engine(settings.database_url)
    model_checker = ModelChecker.from_settings(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        model_checker.close()
        from backend.api.features.console.runner import close_console

        await close_console(app.state.services)
        if own_engine:
            await db_engine.dispose()

    from backend.api.features.credentials.download import routes as download_routes

    graphql = DbSessionMiddleware(GraphQLApp(schema, allow_queries_via_get=False,
                                             graphql_ide=None))
    routes: list[Route | Mount] = [
        *ops_routes(),  # /healthz, /readyz, /metrics (backend/observability/http.py)
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *download_routes(),
        *(extra_routes or []),
    ]
    if (FRONTEND_DIST / "assets").is_dir():
        routes.append(Mount("/assets", app=StaticFiles(directory=FRONTEND_DIST / "assets")))
    routes.append(Route("/{path:path}", spa))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(SameOriginMiddleware)
    # Outermost last: the body limit runs before anything reads the body, and every answer
    # (a 413 or a CSRF refusal included) gets the security headers.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeadersMiddleware,
                       https=settings.public_url.lower().startswith("https://"))
    # Outermost: every log line of a request, and its response, carry the request id.
    app.add_middleware(RequestIdMiddleware)
    app.state.settings = settings
    app.state.engine = db_engine
    app.state.sessionmaker = make_sessionmaker(db_engine)
    # Device cookies are signed with a key derived from SECRET_KEY: they survive restarts
    # and are honoured by every web process.
    limits = LoginLimits(devices=DeviceTokens(signing_key(settings.secret_key, "login-device")))
    app.state.services = Services(settings=settings, limits=limits,
                                  source_config=SourceConfig.from_settings(settings),
                                  model_checker=model_checker)
    app.state.health_probes = {}
    return app
