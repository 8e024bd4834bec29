"""MySQL's information_schema for one credential, in a sandboxed in-memory DuckDB.

The tables (schema ``myis``; DuckDB keeps its own ``information_schema``) hold rows built from
the visible cubes only — already filtered by the access policy — and never data. Client SQL
over them runs there after ``catalog_sql.to_duckdb``; the database is a
``gateway.catalog.sandbox.SandboxDatabase`` (bounded memory and threads, no file or network
access, locked configuration, every statement guarded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from gateway.catalog.sandbox import CatalogLimits, SandboxDatabase
from gateway.engine.types import VirtualColumn, VirtualTable

from .constants import DATABASE
from .values import mysql_type_name

SCHEMA = "myis"
INFORMATION_SCHEMA = "information_schema"
DATABASES = (INFORMATION_SCHEMA, DATABASE)

TABLES: dict[str, tuple[str, ...]] = {
    "schemata": ("catalog_name", "schema_name", "default_character_set_name",
                 "default_collation_name", "sql_path"),
    "tables": ("table_catalog", "table_schema", "table_name", "table_type", "engine", "version",
               "row_format", "table_rows", "avg_row_length", "data_length", "max_data_length",
               "index_length", "data_free", "auto_increment", "create_time", "update_time",
               "check_time", "table_collation", "checksum", "create_options", "table_comment"),
    "columns": ("table_catalog", "table_schema", "table_name", "column_name",
                "ordinal_position", "column_default", "is_nullable", "data_type",
                "character_maximum_length", "character_octet_length", "numeric_precision",
                "numeric_scale", "datetime_precision", "character_set_name", "collation_name",
                "column_type", "column_key", "extra", "privileges", "column_comment",
                "generation_expression"),
    "views": ("table_catalog", "table_schema", "table_name", "view_definition"),
    "routines": ("specific_name", "routine_catalog", "routine_schema", "routine_name",
                 "routine_type", "data_type", "routine_body", "routine_definition",
                 "external_language", "parameter_style", "is_deterministic", "sql_data_access",
                 "security_type", "created", "last_altered", "sql_mode", "routine_comment",
                 "definer"),
    "triggers": ("trigger_catalog", "trigger_schema", "trigger_name", "event_manipulation",
                 "event_object_catalog", "event_object_schema", "event_object_table",
                 "action_order", "action_statement", "action_timing", "created", "sql_mode",
                 "definer"),
    "check_constraints": ("constraint_catalog", "constraint_schema", "constraint_name",
                          "check_clause"),
    "parameters": ("specific_catalog", "specific_schema", "specific_name", "parameter_name"),
    "statistics": ("table_catalog", "table_schema", "table_name", "non_unique", "index_schema",
                   "index_name", "seq_in_index", "column_name", "collation", "cardinality",
                   "sub_part", "packed", "nullable", "index_type", "comment", "index_comment"),
    "key_column_usage": ("constraint_catalog", "constraint_schema", "constraint_name",
                         "table_catalog", "table_schema", "table_name", "column_name",
                         "ordinal_position", "position_in_unique_constraint",
                         "referenced_table_schema", "referenced_table_name",
                         "referenced_column_name"),
    "table_constraints": ("constraint_catalog", "constraint_schema", "constraint_name",
                          "table_schema", "table_name", "constraint_type"),
    "referential_constraints": ("constraint_catalog", "constraint_schema", "constraint_name",
                                "unique_constraint_schema", "unique_constraint_name",
                                "update_rule", "delete_rule", "table_name",
                                "referenced_table_name"),
    "character_sets": ("character_set_name", "default_collate_name", "description", "maxlen"),
    "collations": ("collation_name", "character_set_name", "id", "is_default", "is_compiled",
                   "sortlen"),
    "engines": ("engine", "support", "comment", "transactions", "xa", "savepoints"),
}

INTEGER_COLUMNS = frozenset({
    "ordinal_position", "table_rows", "version", "avg_row_length", "data_length",
    "max_data_length", "index_length", "data_free", "auto_increment", "character_maximum_length",
    "character_octet_length", "numeric_precision", "numeric_scale", "datetime_precision",
    "maxlen", "id", "sortlen", "non_unique", "seq_in_index", "position_in_unique_constraint",
    "cardinality", "sub_part", "action_order",
})

COLLATIONS = [
    ("utf8mb4_general_ci", "utf8mb4", 45, "Yes", "Yes", 1),
    ("utf8mb4_bin", "utf8mb4", 46, "", "Yes", 1),
    ("utf8mb4_unicode_ci", "utf8mb4", 224, "", "Yes", 8),
    ("utf8mb4_0900_ai_ci", "utf8mb4", 255, "", "Yes", 0),
    ("binary", "binary", 63, "Yes", "Yes", 1),
]


def column_key(c: VirtualColumn) -> str:
    return "PRI" if c.primary_key else ""


def nullable(c: VirtualColumn) -> str:
    return "NO" if c.primary_key else "YES"


def _data_type(neutral: str) -> str:
    return mysql_type_name(neutral).split("(")[0]


_PRECISION = {"int8": 19, "int4": 10, "int2": 5, "numeric": 65, "bool": 3, "float8": 22,
              "float4": 12}


def _column_row(t: VirtualTable, pos: int, c: VirtualColumn) -> tuple[Any, ...]:
    type_name = mysql_type_name(c.type)
    textual = type_name == "text"
    precision = _PRECISION.get(c.type)
    scale = 30 if c.type == "numeric" else (0 if precision and c.type.startswith("int")
                                            else None)
    return (
        "def", DATABASE, t.name, c.name, pos, None, nullable(c), _data_type(c.type),
        # TEXT: 65535 characters, 65535 bytes (what MySQL 8 and MariaDB report).
        65535 if textual else None, 65535 if textual else None, precision, scale,
        6 if c.type in ("timestamp", "timestamptz", "time") else None,
        "utf8mb4" if textual else None, "utf8mb4_general_ci" if textual else None,
        type_name, column_key(c), "", "select", c.description or "", "",
    )


def information_schema_rows(tables: Sequence[VirtualTable]) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    rows["schemata"] = [("def", d, "utf8mb4", "utf8mb4_general_ci", None) for d in DATABASES]
    for t in tables:
        rows["tables"].append(("def", DATABASE, t.name, "BASE TABLE", "MetricSQL", 10,
                               "Dynamic", None, None, None, None, None, None, None, None, None,
                               None, "utf8mb4_general_ci", None, "", t.description or ""))
        # ORDINAL_POSITION starts at 1
        rows["columns"] += [_column_row(t, pos, c) for pos, c in enumerate(t.columns, start=1)]
        keys = [c.name for c in t.columns if c.primary_key]
        if keys:
            rows["table_constraints"].append(
                ("def", DATABASE, "PRIMARY", DATABASE, t.name, "PRIMARY KEY"))
        for seq, key in enumerate(keys, start=1):
            rows["statistics"].append(("def", DATABASE, t.name, 0, DATABASE, "PRIMARY", seq, key,
                                       "A", None, None, None, "", "BTREE", "", ""))
            rows["key_column_usage"].append(("def", DATABASE, "PRIMARY", "def", DATABASE, t.name,
                                             key, seq, None, None, None, None))
    rows["character_sets"] = [("utf8mb4", "utf8mb4_general_ci", "UTF-8 Unicode", 4),
                              ("binary", "binary", "Binary pseudo charset", 1)]
    rows["collations"] = list(COLLATIONS)
    rows["engines"] = [("MetricSQL", "DEFAULT", "Semantic models", "NO", "NO", "NO")]
    return rows


def _build(con: duckdb.DuckDBPyConnection, tables: Sequence[VirtualTable]) -> None:
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    data = information_schema_rows(tables)
    for name, cols in TABLES.items():
        # Upper-case column names: what MySQL 8 reports for SELECT * from these views.
        defs = ", ".join(f'"{c.upper()}" {"BIGINT" if c in INTEGER_COLUMNS else "VARCHAR"}'
                         for c in cols)
        con.execute(f"CREATE TABLE {SCHEMA}.{name} ({defs})")
        if data[name]:
            marks = ", ".join("?" for _ in cols)
            con.executemany(f"INSERT INTO {SCHEMA}.{name} VALUES ({marks})",
                            [list(r) for r in data[name]])


class MysqlCatalog(SandboxDatabase):
    """The information_schema of one credential's view of its models."""

    def __init__(self, tables: Sequence[VirtualTable], limits: CatalogLimits | None = None):
        self.tables = list(tables)
        super().__init__(limits or CatalogLimits(), lambda con: _build(con, self.tables))
