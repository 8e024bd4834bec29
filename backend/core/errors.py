"""The one error hierarchy of the platform.

Every expected failure is an ``AppError`` subclass that carries a stable ``code`` (returned as
``UserError.code`` over GraphQL), a PostgreSQL SQLSTATE and a MySQL error number. Each surface
(GraphQL, the PostgreSQL wire, the MySQL wire) has exactly one adapter that renders these; no
other code invents error codes. ``docs/errors.md`` lists them all and a test keeps it in step.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An expected failure a person can act on."""

    code: str = "INTERNAL"
    sqlstate: str = "XX000"
    mysql_errno: int = 1105
    mysql_sqlstate: str = "HY000"

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole (hint and field too, whatever the subclass's constructor takes): work
        # done in a worker process raises its errors again in the caller.
        return (_restore_error, (type(self), self.args, self.__dict__))


def _restore_error(cls: type[AppError], args: tuple[Any, ...], state: dict[str, Any]) -> AppError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


# --- accounts, teams, authorisation (mostly GraphQL) -----------------------------------------


class AuthenticationFailed(AppError):
    """Wrong password or unknown user: deliberately the same error for both."""

    code = "AUTH_FAILED"
    sqlstate = "28P01"
    mysql_errno = 1045
    mysql_sqlstate = "28000"


class NotAuthenticated(AppError):
    code = "NOT_AUTHENTICATED"
    sqlstate = "28000"
    mysql_errno = 1045
    mysql_sqlstate = "28000"


class RateLimited(AppError):
    code = "RATE_LIMITED"
    sqlstate = "53400"
    mysql_errno = 1040
    mysql_sqlstate = "08004"


class PermissionDenied(AppError):
    code = "FORBIDDEN"
    sqlstate = "42501"
    mysql_errno = 1142
    mysql_sqlstate = "42000"


class NotFound(AppError):
    code = "NOT_FOUND"
    sqlstate = "42704"
    mysql_errno = 1146
    mysql_sqlstate = "42S02"


class Conflict(AppError):
    code = "CONFLICT"
    sqlstate = "23505"
    mysql_errno = 1062
    mysql_sqlstate = "23000"


class InvalidInput(AppError):
    code = "INVALID_INPUT"
    sqlstate = "22023"
    mysql_errno = 1210
    mysql_sqlstate = "HY000"


class ModelValidationFailed(InvalidInput):
    """A set of model files has problems; ``problems`` lists every one of them."""

    code = "MODEL_INVALID"

    def __init__(self, problems: list[object], *, message: str | None = None):
        text = message or f"{len(problems)} problem(s) in the model files"
        super().__init__(text)
        self.problems = problems


class AuthoringConflict(Conflict):
    """A role would be both narrowed by an access list and allowed to publish models.

    A model's SQL runs as the data source's own database user, so whoever publishes models
    reads whatever that user can: an access list on such a role would only look like a limit.
    """

    code = "AUTHORING_CONFLICT"


class LimitExceeded(InvalidInput):
    """An input is larger or deeper than a configured limit; the message names the setting."""

    code = "LIMIT_EXCEEDED"
    sqlstate = "54000"
    mysql_errno = 1153
    mysql_sqlstate = "08S01"


# --- data sources -----------------------------------------------------------------------------


class DataSourceError(AppError):
    code = "DATA_SOURCE_ERROR"
    sqlstate = "08000"
    mysql_errno = 2003
    mysql_sqlstate = "HY000"


class SourceUnreachable(DataSourceError):
    code = "HOST_UNREACHABLE"
    sqlstate = "08001"
    mysql_errno = 2003


class SourceAuthFailed(DataSourceError):
    code = "SOURCE_AUTH_FAILED"
    sqlstate = "08004"
    mysql_errno = 2003


class SourceDatabaseMissing(DataSourceError):
    code = "DATABASE_NOT_FOUND"
    sqlstate = "3D000"
    mysql_errno = 1049
    mysql_sqlstate = "42000"


class SourceTimeout(DataSourceError):
    code = "TIMEOUT"
    sqlstate = "57014"
    mysql_errno = 3024


class SourceConnectionLost(DataSourceError):
    """The connection to the data source broke while a statement ran (the server stopped or
    the network failed); the session stays usable and the next statement reconnects."""

    code = "SOURCE_CONNECTION_LOST"
    sqlstate = "08006"
    mysql_errno = 2013  # CR_SERVER_LOST: "Lost connection to MySQL server during query"


class SourceQueryFailed(DataSourceError):
    code = "SOURCE_QUERY_FAILED"
    sqlstate = "58000"
    mysql_errno = 1105


# --- the SQL API (engine and gateways) --------------------------------------------------------


class SqlError(AppError):
    code = "SQL_ERROR"


class SqlSyntaxError(SqlError):
    code = "SYNTAX_ERROR"
    sqlstate = "42601"
    mysql_errno = 1064
    mysql_sqlstate = "42000"


class UnknownTable(SqlError):
    code = "UNKNOWN_TABLE"
    sqlstate = "42P01"
    mysql_errno = 1146
    mysql_sqlstate = "42S02"


class UnknownColumn(SqlError):
    code = "UNKNOWN_COLUMN"
    sqlstate = "42703"
    mysql_errno = 1054
    mysql_sqlstate = "42S22"


class NotSupported(SqlError):
    code = "NOT_SUPPORTED"
    sqlstate = "0A000"
    mysql_errno = 1235
    mysql_sqlstate = "42000"


class ReadOnly(SqlError):
    code = "READ_ONLY"
    sqlstate = "25006"
    mysql_errno = 1290
    mysql_sqlstate = "HY000"


class AccessDenied(SqlError):
    """A query touched a member the credential's access list does not allow."""

    code = "ACCESS_DENIED"
    sqlstate = "42501"
    mysql_errno = 1142
    mysql_sqlstate = "42000"


class QueryCanceled(SqlError):
    code = "CANCELED"
    sqlstate = "57014"
    mysql_errno = 1317
    mysql_sqlstate = "70100"


class AuthenticationTimeout(QueryCanceled):
    """A login (TLS, startup, authentication) did not complete in time; PostgreSQL's own
    ``authentication_timeout`` answers with this FATAL (57014) before it closes."""

    code = "AUTHENTICATION_TIMEOUT"


class ProtocolViolation(SqlError):
    code = "PROTOCOL_VIOLATION"
    sqlstate = "08P01"
    mysql_errno = 1047
    mysql_sqlstate = "08S01"


class MetadataUnavailable(SqlError):
    """A gateway cannot reach the metadata database, so it cannot tell whether a credential is
    still valid: new logins are refused (fail closed) until it is back; sessions already open
    keep working from the gateway's credential cache."""

    code = "METADATA_UNAVAILABLE"
    sqlstate = "57P03"  # cannot_connect_now: what PostgreSQL says while it cannot take logins
    mysql_errno = 3032  # ER_SERVER_OFFLINE_MODE
    mysql_sqlstate = "HY000"


class SessionTerminated(SqlError):
    """The session lost its right to exist (credential deleted, rotated or revoked)."""

    code = "SESSION_TERMINATED"
    sqlstate = "57P01"
    mysql_errno = 1927
    mysql_sqlstate = "70100"


class TooManyConnections(SqlError):
    code = "TOO_MANY_CONNECTIONS"
    sqlstate = "53300"
    mysql_errno = 1040
    mysql_sqlstate = "08004"


class ResourceExhausted(SqlError):
    """A query needed more memory than its sandbox may use (the catalog's memory limit)."""

    code = "OUT_OF_MEMORY"
    sqlstate = "53200"
    mysql_errno = 1041
    mysql_sqlstate = "HY000"


class StatementTooComplex(SqlError):
    """A statement past an input bound (length, IN-list items, nesting) or one that took longer
    than the compile time limit: refused before it can stall anything."""

    code = "STATEMENT_TOO_COMPLEX"
    sqlstate = "54001"
    mysql_errno = 1473
    mysql_sqlstate = "HY000"


class ValueTooLarge(SqlError):
    """A statement would build a value longer than the engine allows (``MAX_VALUE_CHARS``,
    ``MAX_VALUE_FACTOR``): LPAD to a huge width, REPLACE or concatenation that multiplies a
    value. Refused before anything runs, as PostgreSQL refuses such a length."""

    code = "VALUE_TOO_LARGE"
    sqlstate = "54000"
    mysql_errno = 1301  # ER_WARN_ALLOWED_PACKET_OVERFLOWED: "Result of %s() was larger ..."
    mysql_sqlstate = "HY000"


class PlannerBusy(SqlError):
    """A credential already has as many long statements waiting for the planner's workers as
    it may (``COMPILE_QUEUE_PER_CREDENTIAL``): refused at once rather than queued."""

    code = "PLANNER_BUSY"
    sqlstate = "53400"
    mysql_errno = 1203  # ER_TOO_MANY_USER_CONNECTIONS: a per-user limit
    mysql_sqlstate = "42000"


def all_error_classes() -> list[type[AppError]]:
    """Every concrete error class, for the docs test and the wire adapters."""
    seen: list[type[AppError]] = []
    stack: list[type[AppError]] = [AppError]
    while stack:
        cls = stack.pop()
        seen.append(cls)
        stack.extend(cls.__subclasses__())
    return seen
