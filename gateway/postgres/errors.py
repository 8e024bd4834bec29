"""The one adapter from the platform's errors to PostgreSQL ErrorResponse fields."""

from __future__ import annotations

from backend.core.errors import AppError
from gateway.postgres.messages import ErrorFields

INTERNAL_SQLSTATE = "XX000"


def error_fields(exc: BaseException, *, fatal: bool = False) -> ErrorFields:
    severity = "FATAL" if fatal else "ERROR"
    if isinstance(exc, AppError):
        return ErrorFields(severity, exc.sqlstate, exc.message, hint=exc.hint)
    # Never leak internals (paths, driver messages) to the client; the log has the traceback.
    return ErrorFields(severity, INTERNAL_SQLSTATE, "internal error in the SQL API gateway")
