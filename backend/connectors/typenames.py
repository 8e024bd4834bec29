"""Source type names → the neutral type names of ``ResultColumn``.

Every engine names its types differently; the gateways only know the neutral set (bool, int2,
int4, int8, float4, float8, numeric, text, date, time, timestamp, timestamptz, interval, uuid,
json, bytea). Anything without a faithful neutral type (arrays, structs, enums, geometry) is
reported as ``text``: its values are whatever the driver returns and render as strings.
"""

from __future__ import annotations

import re

NEUTRAL_TYPES = frozenset(
    {
        "bool", "int2", "int4", "int8", "float4", "float8", "numeric", "text", "date", "time",
        "timestamp", "timestamptz", "interval", "uuid", "json", "bytea",
    }
)  # fmt: skip

_PARAMS = re.compile(r"\s*\(.*\)\s*")

# PostgreSQL: both the pg_type names (what asyncpg reports) and format_type() names
# (what list_tables reports) are here.
_POSTGRES = {
    "bool": "bool", "boolean": "bool",
    "int2": "int2", "smallint": "int2", "smallserial": "int2",
    "int4": "int4", "integer": "int4", "int": "int4", "serial": "int4",
    "int8": "int8", "bigint": "int8", "bigserial": "int8", "oid": "int8",
    "float4": "float4", "real": "float4",
    "float8": "float8", "double precision": "float8",
    "numeric": "numeric", "decimal": "numeric", "money": "numeric",
    "text": "text", "varchar": "text", "character varying": "text", "bpchar": "text",
    "character": "text", "char": "text", "name": "text", "citext": "text",
    "date": "date",
    "time": "time", "time without time zone": "time",
    "timestamp": "timestamp", "timestamp without time zone": "timestamp",
    "timestamptz": "timestamptz", "timestamp with time zone": "timestamptz",
    "interval": "interval", "uuid": "uuid", "json": "json", "jsonb": "json", "bytea": "bytea",
}  # fmt: skip

_MYSQL = {
    "tinyint": "int2", "smallint": "int2", "year": "int2",
    "mediumint": "int4", "int": "int4", "integer": "int4",
    "bigint": "int8",
    "float": "float4", "double": "float8", "real": "float8",
    "decimal": "numeric", "numeric": "numeric",
    "bool": "bool", "boolean": "bool", "bit": "int8",
    "char": "text", "varchar": "text", "text": "text", "tinytext": "text",
    "mediumtext": "text", "longtext": "text", "enum": "text", "set": "text",
    "date": "date", "time": "time", "datetime": "timestamp", "timestamp": "timestamp",
    "json": "json",
    "binary": "bytea", "varbinary": "bytea", "blob": "bytea", "tinyblob": "bytea",
    "mediumblob": "bytea", "longblob": "bytea",
}  # fmt: skip

# Unsigned integers need the next wider signed type.
_MYSQL_UNSIGNED = {
    "tinyint": "int2", "smallint": "int4", "mediumint": "int4", "int": "int8",
    "integer": "int8", "bigint": "numeric",
}  # fmt: skip

_DUCKDB = {
    "boolean": "bool", "bool": "bool",
    "tinyint": "int2", "smallint": "int2", "utinyint": "int2",
    "integer": "int4", "int": "int4", "usmallint": "int4",
    "bigint": "int8", "uinteger": "int8",
    "ubigint": "numeric", "hugeint": "numeric", "uhugeint": "numeric",
    "float": "float4", "real": "float4", "double": "float8",
    "decimal": "numeric", "numeric": "numeric",
    "varchar": "text", "text": "text", "string": "text",
    "date": "date", "time": "time",
    "timestamp": "timestamp", "timestamp_s": "timestamp", "timestamp_ms": "timestamp",
    "timestamp_ns": "timestamp", "datetime": "timestamp",
    "timestamp with time zone": "timestamptz", "timestamptz": "timestamptz",
    "interval": "interval", "uuid": "uuid", "json": "json", "blob": "bytea",
}  # fmt: skip


def bare_type(source_type: str) -> str:
    """A type name as ColumnInfo reports it: lower case, without length or precision."""
    return _PARAMS.sub(" ", source_type.strip().lower()).strip()


def neutral_type(dialect: str, source_type: str) -> str:
    """The neutral name for an engine's type name (case and length/precision ignored)."""
    name = bare_type(source_type)
    if dialect == "mysql" and name.endswith(" unsigned"):
        return _MYSQL_UNSIGNED.get(name.removesuffix(" unsigned").strip(), "numeric")
    if dialect == "sqlite":
        return _sqlite_affinity(name)
    table = {"postgres": _POSTGRES, "mysql": _MYSQL, "duckdb": _DUCKDB}[dialect]
    return table.get(name, "text")


def _sqlite_affinity(name: str) -> str:
    """SQLite declared types are free text; read them the way SQLite's affinity rules do,
    with the common date/time/boolean spellings recognised first."""
    if name in ("bool", "boolean"):
        return "bool"
    if name in ("date",):
        return "date"
    if name in ("datetime", "timestamp"):
        return "timestamp"
    if "int" in name:
        return "int8"
    if any(t in name for t in ("char", "clob", "text")):
        return "text"
    if name == "" or "blob" in name:
        return "text" if name == "" else "bytea"
    if any(t in name for t in ("real", "floa", "doub")):
        return "float8"
    if any(t in name for t in ("numeric", "decimal")):
        return "numeric"
    return "text"
