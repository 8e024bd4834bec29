from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import DEVICE_COOKIE, SESSION_COOKIE, Context, Info, client_addr
from backend.api.errors import UserError, in_transaction
from backend.api.features.accounts.types import AuthPayload, LogInInput, SignUpInput, Viewer
from backend.core.backoff import LoginThrottled
from backend.core.models import User
from backend.core.services import accounts
from backend.core.services.authz import Actor

SignUpResult = Annotated[AuthPayload | UserError, strawberry.union("SignUpResult")]
LogInResult = Annotated[AuthPayload | UserError, strawberry.union("LogInResult")]


async def _open_session(ctx: Context, user: User) -> AuthPayload:
    """Log the user in on this response: session row, cookie, and the actor for the payload."""
    _, token = await accounts.log_in_user(
        ctx.db, user, ttl_hours=ctx.settings.session_ttl_hours
    )
    _set_cookie(ctx, token)
    _set_device_cookie(ctx, ctx.services.limits.devices.issue(user.email))
    ctx.actor = Actor(user.id, ctx.actor.client_addr)
    return AuthPayload(viewer=Viewer.from_model(user))


DEVICE_COOKIE_DAYS = 365


def _set_device_cookie(ctx: Context, token: str) -> None:
    """The browser is known for this account from now on (see backend/core/backoff.py)."""
    ctx.response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 86400,
                            httponly=True, samesite="lax", secure=ctx.settings.secure_cookies,
                            path="/graphql")


def _set_cookie(ctx: Context, token: str) -> None:
    ctx.response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=ctx.settings.session_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=ctx.settings.secure_cookies,
        path="/",
    )


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create an account and its personal team; logs in.")
    async def sign_up(self, info: Info, input: SignUpInput) -> SignUpResult:
        ctx = info.context

        async def work() -> AuthPayload:
            user = await accounts.sign_up(
                ctx.db, email=input.email, password=input.password,
                display_name=input.display_name, client_addr=client_addr(ctx.request),
            )
            return await _open_session(ctx, user)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Log in with email and password; sets the session cookie.")
    async def log_in(self, info: Info, input: LogInInput) -> LogInResult:
        ctx = info.context

        async def work() -> AuthPayload:
            device = ctx.request.cookies.get(DEVICE_COOKIE)
            try:
                user, token = await accounts.log_in(
                    ctx.db, ctx.services.limits, email=input.email, password=input.password,
                    client_addr=client_addr(ctx.request),
                    ttl_hours=ctx.settings.session_ttl_hours, device_token=device,
                )
            except LoginThrottled as exc:
                ctx.response.headers["Retry-After"] = str(exc.retry_after)
                raise
            _set_cookie(ctx, token)
            _set_device_cookie(ctx, ctx.services.limits.devices.refreshed(device, user.email))
            ctx.actor = Actor(user.id, ctx.actor.client_addr)
            return AuthPayload(viewer=Viewer.from_model(user))

        return await in_transaction(info, work)

    @strawberry.mutation(description="End this browser's session; the cookie stops working.")
    async def log_out(self, info: Info) -> bool:
        ctx = info.context
        if ctx.session_token:
            await accounts.log_out(ctx.db, ctx.session_token)
            await ctx.db.commit()
        ctx.response.delete_cookie(SESSION_COOKIE, path="/")
        ctx.actor = Actor(None, ctx.actor.client_addr)
        return True
