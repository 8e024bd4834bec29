"""The messages of PostgreSQL's frontend/backend protocol v3, as plain dataclasses.

Only data lives here; ``codec`` turns bytes into these (frontend messages) and these into bytes
(backend messages), and ``connection`` decides what to do with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROTOCOL_V3 = 196608  # 3 << 16
SSL_REQUEST_CODE = 80877103
GSSENC_REQUEST_CODE = 80877104
CANCEL_REQUEST_CODE = 80877102


# --- before startup (no type byte) ---------------------------------------------------------------


@dataclass(frozen=True)
class SSLRequest:
    pass


@dataclass(frozen=True)
class GSSENCRequest:
    pass


@dataclass(frozen=True)
class CancelRequest:
    process_id: int
    secret_key: int


@dataclass(frozen=True)
class StartupMessage:
    protocol: int
    params: dict[str, str]


# --- frontend messages after startup -------------------------------------------------------------


@dataclass(frozen=True)
class PasswordData:
    """A 'p' message: its meaning (password, SASLInitialResponse, SASLResponse) is contextual."""

    body: bytes


@dataclass(frozen=True)
class SASLInitialResponse:
    mechanism: str
    data: bytes


@dataclass(frozen=True)
class Query:
    sql: str


@dataclass(frozen=True)
class Parse:
    name: str
    sql: str
    param_oids: tuple[int, ...]


@dataclass(frozen=True)
class Bind:
    portal: str
    statement: str
    param_formats: tuple[int, ...]
    params: tuple[bytes | None, ...]
    result_formats: tuple[int, ...]


@dataclass(frozen=True)
class Describe:
    kind: str  # "S" statement or "P" portal
    name: str


@dataclass(frozen=True)
class Execute:
    portal: str
    max_rows: int


@dataclass(frozen=True)
class Close:
    kind: str
    name: str


@dataclass(frozen=True)
class Sync:
    pass


@dataclass(frozen=True)
class Flush:
    pass


@dataclass(frozen=True)
class Terminate:
    pass


@dataclass(frozen=True)
class Unsupported:
    """A valid message the gateway does not implement (COPY data, FunctionCall)."""

    type: str


FrontendMessage = (
    PasswordData | Query | Parse | Bind | Describe | Execute | Close | Sync | Flush | Terminate
    | Unsupported
)
StartupPacket = SSLRequest | GSSENCRequest | CancelRequest | StartupMessage


# --- backend message parts -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDescription:
    name: str
    type_oid: int
    type_size: int = -1
    type_modifier: int = -1
    format: int = 0
    table_oid: int = 0
    column_number: int = 0


@dataclass(frozen=True)
class ErrorFields:
    severity: str  # ERROR, FATAL, NOTICE, WARNING...
    code: str
    message: str
    detail: str | None = None
    hint: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
