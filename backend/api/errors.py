"""The GraphQL adapter of the error hierarchy.

Expected failures (``AppError``) become ``UserError`` union members; anything else is an
internal error, masked in the answer and logged with an id the user can quote.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from backend.api.context import Info
from backend.core.errors import AppError, ModelValidationFailed

log = logging.getLogger("metricsql.graphql")

T = TypeVar("T")


@strawberry.type(description="One problem in a set of model files.")
class ModelProblem:
    file: str
    line: int
    cube: str | None
    member: str | None
    message: str


@strawberry.type(description="An expected failure: bad input, a conflict, or a refusal.")
class UserError:
    code: str
    message: str
    field: str | None = None
    line: int | None = strawberry.field(
        default=None, description="For model validation: the line in the file named by field."
    )
    problems: list[ModelProblem] | None = strawberry.field(
        default=None, description="For model validation: every problem found, not just one."
    )


def model_problem(p: object) -> ModelProblem:
    return ModelProblem(
        file=str(getattr(p, "file", "")), line=int(getattr(p, "line", 0)),
        cube=getattr(p, "cube", None), member=getattr(p, "member", None),
        message=str(getattr(p, "message", p)),
    )


def user_error(exc: AppError) -> UserError:
    if isinstance(exc, ModelValidationFailed):
        problems = [model_problem(p) for p in exc.problems]
        first = problems[0] if problems else None
        return UserError(code=exc.code, message=exc.message,
                         field=first.file if first else exc.field,
                         line=first.line if first else None, problems=problems)
    return UserError(code=exc.code, message=exc.message, field=exc.field)


async def in_transaction(info: Info, work: Callable[[], Awaitable[T]]) -> T | UserError:
    """Run a mutation's work in one transaction: commit on success, roll back on any error."""
    db = info.context.db
    try:
        result = await work()
        await db.commit()
        return result
    except AppError as exc:
        await db.rollback()
        return user_error(exc)
    except BaseException:
        await db.rollback()
        raise


def _is_internal(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (AppError, GraphQLError))


class MaskInternalErrors(MaskErrors):
    """Hide unexpected exceptions behind an id; log the traceback under that id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = uuid.uuid4().hex[:12]
        log.error("internal error %s at %s", error_id, error.path, exc_info=error.original_error)
        return GraphQLError(
            message=f"Internal error (id {error_id}); it has been logged.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL", "errorId": error_id},
        )


def raise_for_query(exc: AppError) -> GraphQLError:
    """Queries have no union result; their expected failures carry the code in extensions."""
    return GraphQLError(exc.message, extensions={"code": exc.code, "field": exc.field})
