"""Limits applied before the web tier does any work: body size, then GraphQL document shape.

``BodyLimitMiddleware`` reads the request body itself, counting the bytes as they stream in,
and answers 413 the moment they pass ``MAX_REQUEST_BYTES`` (or at once when Content-Length
says so) — before JSON or GraphQL parsing, before a database session is opened. The body it
has read is handed on unchanged.

``DocumentLimits`` bounds the GraphQL document: its size in bytes, lexical tokens (the parser
stops counting at the limit), selection depth and aliases, and refuses ``__schema``/``__type``
unless ``GRAPHQL_INTROSPECTION`` is on. The values come from the app's settings through the
request context, so one schema serves apps with different settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from graphql import GraphQLError, Lexer, Source, TokenKind
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from backend.core.errors import LimitExceeded
from backend.core.settings import Settings


def _error_body(message: str) -> bytes:
    return json.dumps({"errors": [{"message": message,
                                   "extensions": {"code": LimitExceeded.code}}]}).encode()


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return (f"The request body is larger than {self.max_bytes} bytes "
                "(MAX_REQUEST_BYTES).")

    async def _refuse(self, send: Send) -> None:
        body = _error_body(self._message())
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1  # unreadable: refuse rather than guess
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as ASGI does

        await self.app(scope, replay, send)


def _coded(rule: type[ASTValidationRule], setting: str) -> type[ASTValidationRule]:
    """``rule`` with its refusals carrying our code and naming the setting to change."""

    class Coded(rule):  # type: ignore[misc, valid-type]
        def __init__(self, context: ValidationContext) -> None:
            original = context.report_error

            def report(error: GraphQLError) -> None:
                original(GraphQLError(f"{error.message} ({setting}).", error.nodes,
                                      extensions={"code": LimitExceeded.code}))

            # The depth and alias rules judge the whole document while being constructed.
            context.report_error = report  # type: ignore[method-assign]
            try:
                super().__init__(context)
            finally:
                context.report_error = original  # type: ignore[method-assign]

    return Coded


def _too_many_tokens(query: str, limit: int) -> bool:
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
            if count > limit:
                return True
    except GraphQLError:
        return False  # a syntax error: the parser reports it with its position
    return False


class DocumentLimits(SchemaExtension):
    """Per-operation GraphQL limits taken from the app's settings."""

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        settings: Settings = ec.context.settings
        query = ec.query or ""
        size = len(query.encode("utf-8", "surrogatepass"))
        if size > settings.graphql_max_bytes:
            raise GraphQLError(
                f"The GraphQL document is {size} bytes; the limit is "
                f"{settings.graphql_max_bytes} bytes (GRAPHQL_MAX_BYTES). Pass large values "
                "as variables.", extensions={"code": LimitExceeded.code})
        if _too_many_tokens(query, settings.graphql_max_tokens):
            raise GraphQLError(
                f"The GraphQL document has more than {settings.graphql_max_tokens} tokens "
                "(GRAPHQL_MAX_TOKENS).", extensions={"code": LimitExceeded.code})
        ec.parse_options["max_tokens"] = settings.graphql_max_tokens
        rules: list[type[ASTValidationRule]] = [
            _coded(depth_validator(settings.graphql_max_depth, None), "GRAPHQL_MAX_DEPTH"),
            _coded(alias_validator(settings.graphql_max_aliases), "GRAPHQL_MAX_ALIASES"),
        ]
        if not settings.graphql_introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        ec.validation_rules = (*ec.validation_rules, *rules)
        yield
