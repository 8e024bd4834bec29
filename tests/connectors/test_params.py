"""Connection params: declared per type, validated with the offending field named, secrets
kept out of what the API returns."""

from __future__ import annotations

from typing import Any

import pytest

from backend.connectors.factory import connector_for
from backend.connectors.params import (
    params_schema,
    public_params,
    secret_fields,
    source_type,
    validate_params,
)
from backend.connectors.typenames import neutral_type
from backend.core.errors import InvalidInput

SERVER = {"host": "db.example.com", "database": "shop", "user": "reader", "password": "pw"}


def _invalid(type_: str, params: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        validate_params(type_, params)
    return info.value


def test_schema_declares_fields_defaults_and_secrets() -> None:
    fields = {f.name: f for f in params_schema("POSTGRES")}
    assert list(fields) == ["host", "port", "database", "user", "password", "ssl"]
    assert fields["port"].default == 5432
    assert {f.name for f in fields.values() if f.required} == {"host", "database", "user"}
    assert {f.name: f.default for f in params_schema("MYSQL")}["port"] == 3306
    assert [f.name for f in params_schema("sqlite")] == ["path"]
    assert [f.name for f in params_schema("DUCKDB") if f.required] == ["path"]
    assert secret_fields("POSTGRES") == secret_fields("MYSQL") == {"password"}
    assert secret_fields("DUCKDB") == frozenset()


def test_defaults_are_filled_and_values_normalised() -> None:
    assert validate_params("MYSQL", {**SERVER, "port": "3307", "ssl": True}) == {
        **SERVER,
        "port": 3307,
        "ssl": "require",
    }
    assert validate_params("POSTGRES", {**SERVER, "host": " db.example.com "})["port"] == 5432
    assert validate_params("POSTGRES", SERVER)["ssl"] == "disable"
    assert validate_params("POSTGRES", {**SERVER, "ssl": "verify-full"})["ssl"] == "verify-full"
    without_password = {k: v for k, v in SERVER.items() if k != "password"}
    assert validate_params("POSTGRES", without_password)["password"] == ""


def test_public_params_strip_the_password() -> None:
    clean = public_params("POSTGRES", validate_params("POSTGRES", SERVER))
    assert "password" not in clean
    assert clean["host"] == "db.example.com"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"database": "x", "user": "u"}, "host"),
        ({**SERVER, "host": ""}, "host"),
        ({**SERVER, "user": None}, "user"),
        ({**SERVER, "port": 0}, "port"),
        ({**SERVER, "port": 70000}, "port"),
        ({**SERVER, "port": "abc"}, "port"),
        ({**SERVER, "port": True}, "port"),
        ({**SERVER, "ssl": "maybe"}, "ssl"),
        ({**SERVER, "host": "/var/run/postgresql"}, "host"),
        ({**SERVER, "host": "a,b"}, "host"),
        ({**SERVER, "password": 123}, "password"),
        ({**SERVER, "sslmode": "require"}, "sslmode"),
    ],
)
def test_invalid_params_name_their_field(params: dict[str, Any], field: str) -> None:
    error = _invalid("POSTGRES", params)
    assert error.field == field
    assert "pw" not in str(error)


def test_file_types_need_a_path() -> None:
    assert _invalid("SQLITE", {}).field == "path"
    assert _invalid("DUCKDB", {"path": "   "}).field == "path"


def test_unknown_type() -> None:
    with pytest.raises(InvalidInput) as info:
        source_type("ORACLE")
    assert info.value.field == "type"
    assert source_type("postgres") == "POSTGRES"
    with pytest.raises(InvalidInput):
        connector_for("ORACLE", {})


@pytest.mark.parametrize(
    ("dialect", "source", "neutral"),
    [
        ("postgres", "character varying", "text"),
        ("postgres", "timestamp with time zone", "timestamptz"),
        ("postgres", "int4", "int4"),
        ("postgres", "integer[]", "text"),
        ("mysql", "decimal(12,2)", "numeric"),
        ("mysql", "int unsigned", "int8"),
        ("mysql", "bigint unsigned", "numeric"),
        ("mysql", "datetime", "timestamp"),
        ("duckdb", "DECIMAL(12,2)", "numeric"),
        ("duckdb", "TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("duckdb", "HUGEINT", "numeric"),
        ("sqlite", "varchar(100)", "text"),
        ("sqlite", "numeric(12,2)", "numeric"),
        ("sqlite", "boolean", "bool"),
        ("sqlite", "bigint", "int8"),
    ],
)
def test_neutral_type_names(dialect: str, source: str, neutral: str) -> None:
    assert neutral_type(dialect, source) == neutral
