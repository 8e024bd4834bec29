"""Connection parameters of each data-source type, declared as data.

The declaration says which fields exist, which are required, which are secret and what the
defaults are. ``validate_params`` turns what a person typed into a normalised mapping (or an
``InvalidInput`` naming the field); ``public_params`` strips the secrets so the API layer can
return the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from backend.core.errors import InvalidInput

SOURCE_TYPES = ("POSTGRES", "MYSQL", "SQLITE", "DUCKDB")

FieldKind = Literal["string", "integer", "ssl", "path"]
SslMode = Literal["disable", "require", "verify-full"]


@dataclass(frozen=True)
class ParamField:
    name: str
    kind: FieldKind
    required: bool = False
    secret: bool = False
    default: Any = None
    description: str = ""


def _server_fields(default_port: int) -> tuple[ParamField, ...]:
    return (
        ParamField("host", "string", required=True, description="Host name or IP address"),
        ParamField("port", "integer", default=default_port, description="TCP port"),
        ParamField("database", "string", required=True, description="Database to connect to"),
        ParamField("user", "string", required=True, description="User name"),
        ParamField("password", "string", secret=True, default="", description="Password"),
        ParamField(
            "ssl",
            "ssl",
            default="disable",
            description='TLS: false/"disable", true/"require" (encrypt), "verify-full" '
            "(encrypt and verify the certificate and host name)",
        ),
    )


_FILE_FIELDS = (ParamField("path", "path", required=True, description="Path of the file"),)

_SCHEMAS: dict[str, tuple[ParamField, ...]] = {
    "POSTGRES": _server_fields(5432),
    "MYSQL": _server_fields(3306),
    "SQLITE": _FILE_FIELDS,
    "DUCKDB": _FILE_FIELDS,
}


def source_type(value: str) -> str:
    """The canonical (upper-case) source type, or ``InvalidInput`` on ``type``."""
    normalised = value.strip().upper() if isinstance(value, str) else ""
    if normalised not in _SCHEMAS:
        raise InvalidInput(
            f"unknown data source type {value!r}; expected one of {', '.join(SOURCE_TYPES)}",
            field="type",
        )
    return normalised


def params_schema(type_: str) -> tuple[ParamField, ...]:
    """The fields a data source of this type takes, in display order."""
    return _SCHEMAS[source_type(type_)]


def secret_fields(type_: str) -> frozenset[str]:
    return frozenset(f.name for f in params_schema(type_) if f.secret)


def public_params(type_: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The params without their secrets: what the API may show."""
    hidden = secret_fields(type_)
    return {k: v for k, v in params.items() if k not in hidden}


def validate_params(type_: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise params: every field present (defaults filled), right kind."""
    fields = params_schema(type_)
    known = {f.name for f in fields}
    for name in params:
        if name not in known:
            raise InvalidInput(
                f"unknown connection field {name!r} for {source_type(type_)}; "
                f"expected: {', '.join(sorted(known))}",
                field=name,
            )
    result: dict[str, Any] = {}
    for f in fields:
        raw = params.get(f.name)
        if raw is None or (isinstance(raw, str) and raw.strip() == "" and not f.secret):
            if f.required:
                raise InvalidInput(f"{f.name} is required", field=f.name)
            result[f.name] = f.default
            continue
        result[f.name] = _coerce(f, raw)
    return result


def _coerce(f: ParamField, raw: Any) -> Any:
    if f.kind == "integer":
        return _port(f.name, raw)
    if f.kind == "ssl":
        return ssl_mode(raw, field=f.name)
    if not isinstance(raw, str):
        raise InvalidInput(f"{f.name} must be a string", field=f.name)
    if f.secret:
        return raw
    value = raw.strip()
    if "\x00" in value:
        raise InvalidInput(f"{f.name} must not contain NUL characters", field=f.name)
    if f.kind == "string" and len(value) > 255:
        raise InvalidInput(f"{f.name} is longer than 255 characters", field=f.name)
    if f.name == "host" and (set(value) & set("/,@ \t\n") or value.startswith("-")):
        # One TCP host only: no socket directories (they would reach servers local to us
        # with their local trust rules), no multi-host lists, no user@host forms.
        raise InvalidInput("host must be a single host name or IP address", field="host")
    return value


def _port(name: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise InvalidInput(f"{name} must be a number between 1 and 65535", field=name)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a number between 1 and 65535", field=name) from None
    if isinstance(raw, float) and raw != value:
        raise InvalidInput(f"{name} must be a whole number", field=name)
    if not 1 <= value <= 65535:
        raise InvalidInput(f"{name} must be a number between 1 and 65535", field=name)
    return value


def ssl_mode(raw: Any, *, field: str = "ssl") -> SslMode:
    """Normalise the ``ssl`` field: a bool or one of the libpq-style mode names."""
    if raw is None or raw is False:
        return "disable"
    if raw is True:
        return "require"
    if isinstance(raw, str):
        value = raw.strip().lower()
        if value in ("", "false", "disable", "off"):
            return "disable"
        if value in ("true", "require", "on"):
            return "require"
        if value == "verify-full":
            return "verify-full"
    raise InvalidInput(
        'ssl must be true, false, "disable", "require" or "verify-full"', field=field
    )
