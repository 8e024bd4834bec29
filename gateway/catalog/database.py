"""An in-memory DuckDB holding the PostgreSQL catalog of one model version and access policy.

It contains catalog relations only (schemas ``pgc`` for pg_catalog and ``pgis`` for
information_schema) — never data. Client SQL, after the rewrite in ``rewrite``, runs in it, so
it is a ``sandbox.SandboxDatabase``: bounded memory and threads, no file or network access,
locked configuration, every statement checked by ``sandbox.guard``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gateway.catalog.column_types import (
    BUILTIN_DESCRIPTIONS,
    KEYWORDS,
    PG_PROC_ROWS,
    PG_TYPE_ROWS,
    TIMEZONE_ABBREVS,
)
from gateway.catalog.sandbox import CatalogLimits, SandboxDatabase, SandboxResult
from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG
from gateway.catalog.visible import VisibleTable
from gateway.postgres.types import ARRAY_ELEMENT, NAME_BY_OID, OID_BY_NAME, TYPES

PG_CATALOG_NS, PUBLIC_NS, INFO_SCHEMA_NS = 11, 2200, 13183
FIRST_TABLE_OID = 16390
OWNER_OID = 10
DATABASE_OWNER_OID = 6171  # pg_database_owner: owns schema public in PostgreSQL 15
DATABASE_OID = 16384
PG_CLASS_OID, PG_NAMESPACE_OID, PG_CONSTRAINT_OID, PG_TYPE_OID = 1259, 2615, 2606, 1247
PG_PROC_OID, PG_DATABASE_OID = 1255, 1262

SYSTEM_RELATION_OIDS = {
    "pg_type": 1247, "pg_attribute": 1249, "pg_proc": 1255, "pg_class": 1259,
    "pg_database": 1262, "pg_namespace": 2615, "pg_constraint": 2606, "pg_index": 2610,
    "pg_description": 2609, "pg_am": 2601, "pg_attrdef": 2604, "pg_trigger": 2620,
    "pg_rewrite": 2618, "pg_inherits": 2611, "pg_depend": 2608, "pg_collation": 3456,
    "pg_extension": 3079, "pg_authid": 1260, "pg_tablespace": 1213, "pg_enum": 3501,
}
# How PostgreSQL's format_type() spells each type.
DISPLAY_NAMES = {
    "bool": "boolean", "int2": "smallint", "int4": "integer", "int8": "bigint",
    "float4": "real", "float8": "double precision", "varchar": "character varying",
    "bpchar": "character", "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone", "time": "time without time zone",
    "char": '"char"',
}
CATEGORIES = {
    "bool": "B", "int2": "N", "int4": "N", "int8": "N", "float4": "N", "float8": "N",
    "numeric": "N", "oid": "N", "regclass": "N", "regtype": "N", "regproc": "N",
    "text": "S", "varchar": "S", "bpchar": "S", "name": "S", "char": "Z",
    "date": "D", "time": "D", "timestamp": "D", "timestamptz": "D", "interval": "T",
    "bytea": "U", "uuid": "U", "json": "U", "jsonb": "U", "unknown": "X",
}
INFO_SCHEMA_TYPES = {"text": "text", "numeric": "numeric", "int8": "bigint", "bool": "boolean",
                     "timestamp": "timestamp without time zone", "int4": "integer",
                     "float8": "double precision", "date": "date", "int2": "smallint",
                     "float4": "real", "timestamptz": "timestamp with time zone",
                     "time": "time without time zone"}

# What the macros look things up in, under column names no catalog relation has: a macro's
# argument is spliced into its body, so a client's bare column (``oid``, ``typname``) passed
# to it must not resolve to a column of the table the macro's subquery reads.
_LOOKUP_VIEWS = """
CREATE VIEW pgc.m_types AS SELECT oid AS m_oid, typname AS m_typname, fmt AS m_fmt
    FROM pgc.type_display;
CREATE VIEW pgc.m_classes AS SELECT oid AS m_oid, relname AS m_name, 0 AS m_system
    FROM pgc.pg_class UNION ALL SELECT oid, relname, 1 FROM pgc.system_relations;
CREATE VIEW pgc.m_namespaces AS SELECT oid AS m_oid, nspname AS m_name FROM pgc.pg_namespace;
CREATE VIEW pgc.m_roles AS SELECT oid AS m_oid, rolname AS m_name FROM pgc.pg_roles;
CREATE VIEW pgc.m_descriptions AS SELECT objoid AS m_objoid, objsubid AS m_objsubid,
    description AS m_text FROM pgc.pg_description;
CREATE VIEW pgc.m_constraints AS SELECT oid AS m_oid, def AS m_def FROM pgc.constraint_defs;
CREATE VIEW pgc.m_indexes AS SELECT oid AS m_oid, def AS m_def, pretty AS m_pretty
    FROM pgc.index_defs;
CREATE VIEW pgc.m_index_cols AS SELECT oid AS m_oid, n AS m_n, col AS m_col FROM pgc.index_cols;
CREATE VIEW pgc.m_settings AS SELECT name AS m_name, setting AS m_setting FROM pgc.pg_settings;
"""

_MACROS = """
CREATE MACRO pgc.format_type(t, m) AS (SELECT m_fmt FROM pgc.m_types WHERE m_oid = t);
CREATE MACRO pgc.pg_table_is_visible(x) AS true;
CREATE MACRO pgc.pg_type_is_visible(x) AS true;
CREATE MACRO pgc.pg_function_is_visible(x) AS true;
CREATE MACRO pgc.pg_collation_is_visible(x) AS true;
CREATE MACRO pgc.pg_conversion_is_visible(x) AS true;
CREATE MACRO pgc.pg_opclass_is_visible(x) AS true;
CREATE MACRO pgc.pg_operator_is_visible(x) AS true;
CREATE MACRO pgc.pg_ts_config_is_visible(x) AS true;
CREATE MACRO pgc.pg_statistics_obj_is_visible(x) AS true;
CREATE MACRO pgc.pg_get_expr(e, r) AS NULL::VARCHAR, (e, r, p) AS NULL::VARCHAR;
CREATE MACRO pgc.obj_description(o) AS (SELECT m_text FROM pgc.m_descriptions
    WHERE m_objoid = o AND m_objsubid = 0 LIMIT 1),
  (o, c) AS (SELECT m_text FROM pgc.m_descriptions WHERE m_objoid = o AND m_objsubid = 0
    LIMIT 1);
CREATE MACRO pgc.col_description(o, n) AS (SELECT m_text FROM pgc.m_descriptions
    WHERE m_objoid = o AND m_objsubid = n LIMIT 1);
CREATE MACRO pgc.shobj_description(o, c) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_constraintdef(o) AS (SELECT m_def FROM pgc.m_constraints
    WHERE m_oid = o), (o, p) AS (SELECT m_def FROM pgc.m_constraints WHERE m_oid = o);
CREATE MACRO pgc.pg_get_indexdef(o) AS (SELECT m_def FROM pgc.m_indexes WHERE m_oid = o),
  (o, c, p) AS CASE
    WHEN c > 0 THEN (SELECT m_col FROM pgc.m_index_cols WHERE m_oid = o AND m_n = c)
    WHEN p THEN (SELECT m_pretty FROM pgc.m_indexes WHERE m_oid = o)
    ELSE (SELECT m_def FROM pgc.m_indexes WHERE m_oid = o) END;
CREATE MACRO pgc.has_table_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO pgc.has_schema_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO pgc.has_database_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO pgc.has_column_privilege(a, b, c) AS true, (a, b, c, d) AS true;
CREATE MACRO pgc.has_any_column_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO pgc.pg_has_role(a, b) AS true, (a, b, c) AS true;
CREATE MACRO pgc.pg_encoding_to_char(e) AS 'UTF8';
CREATE MACRO pgc.pg_char_to_encoding(e) AS 6;
CREATE MACRO pgc.to_regtype(n) AS (SELECT m_oid FROM pgc.m_types
    WHERE m_fmt = lower(n) OR m_typname = lower(n) LIMIT 1);
CREATE MACRO pgc.ident_part(p) AS CASE WHEN p LIKE '"%"' THEN replace(p[2:-2], '""', '"')
    ELSE lower(p) END;
CREATE MACRO pgc.to_regclass(n) AS (SELECT m_oid FROM pgc.m_classes
    WHERE m_name = pgc.ident_part(split_part(n, '.', -1)) ORDER BY m_system LIMIT 1);
CREATE MACRO pgc.regclass_name(o) AS coalesce(
    (SELECT m_name FROM pgc.m_classes WHERE m_oid = o LIMIT 1), CAST(o AS VARCHAR));
CREATE MACRO pgc.regtype_name(o) AS coalesce((SELECT m_fmt FROM pgc.m_types
    WHERE m_oid = o), CAST(o AS VARCHAR));
CREATE MACRO pgc.regtype_names(l) AS coalesce((SELECT list(d.m_fmt ORDER BY u.m_i)
    FROM (SELECT unnest(l) AS m_o, generate_subscripts(l, 1) AS m_i) u
    LEFT JOIN pgc.m_types d ON d.m_oid = u.m_o), CASE WHEN l IS NOT NULL THEN [] END);
CREATE MACRO pgc.regnamespace_oid(n) AS (SELECT m_oid FROM pgc.m_namespaces
    WHERE m_name = n);
CREATE MACRO pgc.regnamespace_name(o) AS (SELECT m_name FROM pgc.m_namespaces
    WHERE m_oid = o);
CREATE MACRO pgc.pg_advisory_unlock_all() AS NULL::VARCHAR;
CREATE MACRO pgc.pg_is_in_recovery() AS false;
CREATE MACRO pgc.pg_total_relation_size(o) AS 0::BIGINT;
CREATE MACRO pgc.pg_relation_size(o) AS 0::BIGINT, (o, f) AS 0::BIGINT;
CREATE MACRO pgc.pg_table_size(o) AS 0::BIGINT;
CREATE MACRO pgc.pg_indexes_size(o) AS 0::BIGINT;
CREATE MACRO pgc.pg_database_size(o) AS 0::BIGINT;
CREATE MACRO pgc.quote_ident(s) AS CASE WHEN regexp_full_match(s, '[a-z_][a-z0-9_$]*')
    THEN s ELSE '"' || replace(s, '"', '""') || '"' END;
CREATE MACRO pgc.array_upper(a, d) AS len(a);
CREATE MACRO pgc.array_lower(a, d) AS CASE WHEN len(a) > 0 THEN 1 END;
CREATE MACRO pgc.txid_current() AS 1::BIGINT;
CREATE MACRO pgc.pg_get_viewdef(o) AS NULL::VARCHAR, (o, p) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_triggerdef(o) AS NULL::VARCHAR, (o, p) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_functiondef(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_function_result(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_function_arguments(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_function_identity_arguments(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_serial_sequence(t, c) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_partkeydef(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_get_statisticsobjdef_columns(o) AS NULL::VARCHAR;
CREATE MACRO pgc.pg_tablespace_location(o) AS '';
CREATE MACRO pgc.pg_relation_is_publishable(o) AS false;
CREATE MACRO pgc.pg_sleep(s) AS NULL::VARCHAR;
CREATE MACRO pgc.setting_of(n) AS (SELECT m_setting FROM pgc.m_settings
    WHERE lower(m_name) = lower(n) LIMIT 1);
CREATE MACRO pgc.parse_ident(s) AS list_transform(string_split(s, '.'),
    lambda p: CASE WHEN p LIKE '"%"' THEN replace(p[2:-2], '""', '"') ELSE lower(p) END),
  (s, strict) AS list_transform(string_split(s, '.'),
    lambda p: CASE WHEN p LIKE '"%"' THEN replace(p[2:-2], '""', '"') ELSE lower(p) END);
CREATE MACRO pgc.pg_get_userbyid(o) AS CASE WHEN o = 6171 THEN 'pg_database_owner'
    WHEN o = 10 THEN (SELECT m_name FROM pgc.m_roles WHERE m_oid = 10)
    ELSE 'unknown (OID=' || CAST(o AS VARCHAR) || ')' END;
CREATE MACRO pgc.pg_typeof(x) AS CASE
    WHEN typeof(x) = 'INTEGER' THEN 'integer' WHEN typeof(x) = 'BIGINT' THEN 'bigint'
    WHEN typeof(x) = 'SMALLINT' THEN 'smallint' WHEN typeof(x) = 'BOOLEAN' THEN 'boolean'
    WHEN typeof(x) = 'VARCHAR' THEN 'text' WHEN typeof(x) = 'DOUBLE' THEN 'double precision'
    WHEN typeof(x) = 'FLOAT' THEN 'real' WHEN typeof(x) = 'UINTEGER' THEN 'oid'
    WHEN typeof(x) = 'DATE' THEN 'date' WHEN typeof(x) = 'INTERVAL' THEN 'interval'
    WHEN typeof(x) = 'TIMESTAMP' THEN 'timestamp without time zone'
    WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone'
    WHEN typeof(x) = '"NULL"' THEN 'unknown'
    WHEN typeof(x) LIKE 'DECIMAL%' THEN 'numeric' WHEN typeof(x) LIKE '%[]' THEN 'text[]'
    ELSE lower(typeof(x)) END;
CREATE MACRO pgc._pg_expandarray(a) AS
    unnest(list_transform(range(1, len(a) + 1), lambda i: {'x': a[i], 'n': i}));
"""

CATALOG_FUNCTIONS = frozenset(
    line.split("(")[0].removeprefix("CREATE MACRO pgc.").strip()
    for line in _MACROS.splitlines()
    if line.startswith("CREATE MACRO")
)


CatalogResult = SandboxResult
# Rewritten SQL starts with the PostgreSQL types of its result columns (``result_types``),
# comma-separated, empty where DuckDB's type stands.
TYPES_HEADER = "/*pg_types:{}*/ "
_HEADER = re.compile(r"/\*pg_types:([\w,]*)\*/ ")


def duckdb_type_name(type_name: str) -> str:
    """A DuckDB result type as the neutral/PostgreSQL type name the wire reports."""
    t = type_name.upper()
    if t.startswith("PG:"):
        return type_name[3:]
    if t.endswith("[]"):
        return duckdb_type_name(t[:-2]) + "[]"
    if t.startswith("DECIMAL"):
        return "numeric"
    simple = {
        "BOOLEAN": "bool", "TINYINT": "int2", "SMALLINT": "int2", "INTEGER": "int4",
        "BIGINT": "int8", "HUGEINT": "numeric", "UTINYINT": "int2", "USMALLINT": "int4",
        "UINTEGER": "oid", "UBIGINT": "numeric", "FLOAT": "float4", "DOUBLE": "float8",
        "VARCHAR": "text", "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
        "TIMESTAMP WITH TIME ZONE": "timestamptz", "INTERVAL": "interval", "UUID": "uuid",
        "BLOB": "bytea", "JSON": "json",
    }
    return simple.get(t, "text")


# PostgreSQL's system columns of every table: name, attnum, type OID, length.
_SYSTEM_COLUMNS = (("tableoid", -6, 26, 4), ("cmax", -5, 29, 4), ("xmax", -4, 28, 4),
                   ("cmin", -3, 29, 4), ("xmin", -2, 28, 4), ("ctid", -1, 27, 6))


# Pseudo-types that appear as function result and argument types (regtype names only).
PSEUDO_TYPES = {"trigger": 2279, "void": 2278, "record": 2249, "any": 2276,
                "anyelement": 2283, "anyarray": 2277, "internal": 2281, "cstring": 2275,
                "event_trigger": 3838, "language_handler": 2280, "fdw_handler": 3115,
                "index_am_handler": 325, "tsm_handler": 3310, "table_am_handler": 269,
                "anynonarray": 2776, "anyenum": 3500, "anyrange": 3831,
                "anycompatible": 5077, "anycompatiblearray": 5078}
_TYPE_ROW_BY_OID = {int(str(row["oid"])): row for row in PG_TYPE_ROWS}
VECTOR_TYPES = frozenset({"int2vector", "oidvector"})  # lists here, "1 2" on the wire
_REG_TYPES = frozenset({"regproc", "regclass", "regtype"})


class OidName(str):
    """A reg* value: the object's name in text format and its OID in binary (``int()``)."""

    oid: int

    def __new__(cls, name: str, oid: int) -> OidName:
        value = super().__new__(cls, name)
        value.oid = oid
        return value

    def __int__(self) -> int:
        return self.oid


_KEYWORD_ROWS = [dict(zip(("word", "catcode", "barelabel", "catdesc", "baredesc"), k,
                          strict=True)) for k in KEYWORDS]
_ABBREV_ROWS = [{"abbrev": a, "utc_offset": dt.timedelta(seconds=o), "is_dst": d}
                for a, o, d in TIMEZONE_ABBREVS]
_DESCRIPTION_ROWS = [{"objoid": o, "classoid": c, "objsubid": 0, "description": d}
                     for o, c, d in BUILTIN_DESCRIPTIONS]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        return f"{int(value.total_seconds())} seconds"
    return value


def _typed(duck_type: str, hint: str) -> str:
    """The PostgreSQL type to report: the hint when it fits the value DuckDB computed."""
    if not hint or hint not in OID_BY_NAME:
        return duck_type
    listy = hint.startswith("_") or hint in VECTOR_TYPES
    if listy != str(duck_type).endswith("[]"):
        return duck_type
    return "pg:" + hint


class CatalogDatabase(SandboxDatabase):
    """One PostgreSQL catalog (queries serialised and guarded by ``SandboxDatabase``)."""

    def __init__(
        self, tables: Sequence[VisibleTable], *, username: str, database: str = "db",
        settings: Mapping[str, str] | None = None, limits: CatalogLimits | None = None,
    ):
        self.settings = dict(settings or {})
        self.tables = list(tables)
        self.database = database
        self.username = username
        self._reg_maps: dict[str, dict[str, int]] = {}
        super().__init__(limits or CatalogLimits(), lambda con: self._build())

    def execute(self, duck_sql: str, params: Sequence[object] = ()) -> SandboxResult:
        """Run rewritten SQL; result columns carry the PostgreSQL types its header names
        (as ``pg:<typname>``, which ``duckdb_type_name`` passes through)."""
        describe = duck_sql.startswith("DESCRIBE ")
        body = duck_sql[len("DESCRIBE "):] if describe else duck_sql
        m = _HEADER.match(body)
        if m is None:
            return super().execute(duck_sql, params)
        body = body[m.end():]
        hints = m.group(1).split(",")
        result = super().execute(("DESCRIBE " if describe else "") + body, params)
        if describe:
            rows = [(r[0], _typed(r[1], hints[i] if i < len(hints) else ""), *r[2:])
                    for i, r in enumerate(result.rows)]
            return SandboxResult(result.columns, rows)
        cols = [(name, _typed(t, hints[i] if i < len(hints) else ""))
                for i, (name, t) in enumerate(result.columns)]
        vectors = [i for i, (_, t) in enumerate(cols) if t[3:] in VECTOR_TYPES]
        regs = {i: t[3:] for i, (_, t) in enumerate(cols) if t[3:] in _REG_TYPES}
        rows = result.rows
        if vectors or regs:
            rows = [tuple(self._shaped(v, i, vectors, regs) for i, v in enumerate(row))
                    for row in rows]
        return SandboxResult(cols, rows)

    def _shaped(self, value: Any, i: int, vectors: list[int], regs: dict[int, str]) -> Any:
        if value is None:
            return None
        if i in vectors:
            return " ".join(str(x) for x in value)
        if i in regs and isinstance(value, str):
            return OidName(value, self._reg_oids(regs[i]).get(value, 0))
        return value

    def _reg_oids(self, kind: str) -> dict[str, int]:
        """Name -> OID of the objects a regproc/regclass/regtype value names (built once)."""
        if kind not in self._reg_maps:
            sql = {"regproc": "SELECT proname, min(oid) FROM pgc.pg_proc GROUP BY 1",
                   "regclass": "SELECT m_name, min(m_oid) FROM pgc.m_classes GROUP BY 1",
                   "regtype": "SELECT m_fmt, min(m_oid) FROM pgc.m_types GROUP BY 1"}[kind]
            with self._lock:
                self._reg_maps[kind] = {str(n): int(o) for n, o in self.con.execute(sql).fetchall()}
        return self._reg_maps[kind]

    # --- building ------------------------------------------------------------------------------

    def _insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows as one JSON parameter per set of columns: DuckDB parses JSON far faster than
        it binds a statement per row (seconds per catalog) or a long VALUES list."""
        groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(row), []).append(row)
        for names, group in groups.items():
            self._insert_json(table, names, group)

    def _insert_json(self, table: str, names: tuple[str, ...],
                     rows: Sequence[Mapping[str, Any]]) -> None:
        if not hasattr(self, "_column_types"):  # every table exists before the first insert
            self._column_types: dict[str, dict[str, str]] = {}
            for sch, tab, col, typ in self.con.execute(
                    "SELECT table_schema, table_name, column_name, data_type "
                    "FROM information_schema.columns").fetchall():
                self._column_types.setdefault(f"{sch}.{tab}", {})[col] = typ
        types = self._column_types[table]
        struct = "{" + ", ".join(f'"{n}": "{types[n]}"' for n in names) + "}"
        payload = json.dumps([{n: _jsonable(row[n]) for n in names} for row in rows])
        fields = ", ".join(f"r.{n}" for n in names)
        self.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {fields} "
            f"FROM (SELECT unnest(from_json(?::JSON, '[{struct}]')) AS r)", [payload])

    def _build(self) -> None:
        con = self.con
        con.execute("CREATE SCHEMA pgc; CREATE SCHEMA pgis;")
        for name, cols in PG_CATALOG.items():
            con.execute(f"CREATE TABLE pgc.{name} ({cols})")
        for name, cols in INFORMATION_SCHEMA.items():
            con.execute(f"CREATE TABLE pgis.{name} ({cols})")
        con.execute("CREATE TABLE pgc.type_display (oid UINTEGER, typname VARCHAR, fmt VARCHAR)")
        con.execute("CREATE TABLE pgc.constraint_defs (oid UINTEGER, def VARCHAR)")
        # pg_get_indexdef: schema-qualified, and the pretty form (table visible in search_path).
        con.execute("CREATE TABLE pgc.index_defs (oid UINTEGER, def VARCHAR, pretty VARCHAR)")
        con.execute("CREATE TABLE pgc.index_cols (oid UINTEGER, n INTEGER, col VARCHAR)")
        # System catalogs are not listed in pg_class (nothing but the models is), yet clients
        # write 'pg_class'::regclass to join pg_description and pg_depend.
        con.execute("CREATE TABLE pgc.system_relations (oid UINTEGER, relname VARCHAR)")
        con.execute("INSERT INTO pgc.system_relations VALUES " + ", ".join(
            f"({oid}, '{name}')" for name, oid in SYSTEM_RELATION_OIDS.items()))
        con.execute(_LOOKUP_VIEWS)
        con.execute(_MACROS)
        self._build_fixed()
        self._build_roles()
        self._build_types()
        self._build_tables()

    def _build_fixed(self) -> None:
        self._insert("pgc.pg_namespace", [
            {"oid": PG_CATALOG_NS, "nspname": "pg_catalog",
             "nspacl": [f"{self.username}=UC/{self.username}", f"=U/{self.username}"]},
            {"oid": PUBLIC_NS, "nspname": "public", "nspowner": DATABASE_OWNER_OID,
             "nspacl": ["pg_database_owner=UC/pg_database_owner", "=U/pg_database_owner"]},
            {"oid": INFO_SCHEMA_NS, "nspname": "information_schema",
             "nspacl": [f"{self.username}=UC/{self.username}", f"=U/{self.username}"]},
        ])
        self._insert("pgc.pg_description", [
            {"objoid": PUBLIC_NS, "classoid": PG_NAMESPACE_OID, "objsubid": 0,
             "description": "standard public schema"},
            {"objoid": PG_CATALOG_NS, "classoid": PG_NAMESPACE_OID, "objsubid": 0,
             "description": "system catalog schema"},
        ])
        self._insert("pgc.pg_description", _DESCRIPTION_ROWS)
        self._insert("pgc.pg_database", [{
            "oid": DATABASE_OID, "datname": self.database, "datdba": OWNER_OID, "encoding": 6,
            "datlocprovider": "c", "datistemplate": False, "datallowconn": True,
            "datconnlimit": -1, "dattablespace": 1663, "datcollate": "C.UTF-8",
            "datctype": "C.UTF-8",
        }])
        self._insert("pgc.pg_am", [
            {"oid": 2, "amname": "heap", "amhandler": "heap_tableam_handler", "amtype": "t"},
            {"oid": 403, "amname": "btree", "amhandler": "bthandler", "amtype": "i"},
        ])
        self._insert("pgc.pg_tablespace", [
            {"oid": 1663, "spcname": "pg_default", "spcowner": OWNER_OID},
            {"oid": 1664, "spcname": "pg_global", "spcowner": OWNER_OID},
        ])
        self._insert("pgc.pg_collation", [
            {"oid": 100, "collname": "default", "collnamespace": PG_CATALOG_NS,
             "collowner": OWNER_OID, "collprovider": "d", "collisdeterministic": True,
             "collencoding": -1},
        ])
        self._insert("pgc.pg_language", [
            {"oid": 12, "lanname": "internal", "lanowner": OWNER_OID, "lanispl": False,
             "lanpltrusted": False},
            {"oid": 14, "lanname": "sql", "lanowner": OWNER_OID, "lanispl": False,
             "lanpltrusted": True},
        ])
        # The functions catalog queries can call, as PostgreSQL 15 lists them (DBeaver and
        # pgcli look functions up here before calling them).
        self._insert("pgc.pg_proc", PG_PROC_ROWS)
        self._insert("pgc.pg_get_keywords", _KEYWORD_ROWS)
        self._insert("pgc.pg_timezone_abbrevs", _ABBREV_ROWS)
        self._insert("pgis.schemata", [
            {"catalog_name": self.database, "schema_name": s, "schema_owner": self.username}
            for s in ("information_schema", "pg_catalog", "public")
        ])
        self._insert("pgc.pg_settings", [
            {"name": name, "setting": value, "category": "Client Connection Defaults",
             "context": "user", "vartype": "string", "source": "default",
             "boot_val": value, "reset_val": value, "pending_restart": False}
            for name, value in sorted(self.settings.items())
        ])
        self._insert("pgis.character_sets", [{
            "character_set_name": "UTF8", "character_repertoire": "UCS", "form_of_use": "UTF8",
            "default_collate_catalog": self.database, "default_collate_schema": "pg_catalog",
            "default_collate_name": "C.UTF-8",
        }])

    def _build_roles(self) -> None:
        # The one role visible: the credential itself, owner of everything shown.
        self._insert("pgc.pg_roles", [{"rolname": self.username, "oid": OWNER_OID},
                                      {"rolname": "pg_database_owner", "oid": DATABASE_OWNER_OID,
                                       "rolcanlogin": False, "rolpassword": "********"}])
        self._insert("pgc.pg_user", [{"usename": self.username, "usesysid": OWNER_OID,
                                      "usecreatedb": False, "usesuper": False,
                                      "userepl": False, "usebypassrls": False,
                                      "passwd": "********"}])

    def _build_types(self) -> None:
        # The types the wire knows, as PostgreSQL 15 describes them (column_types.PG_TYPE_ROWS).
        self._insert("pgc.pg_type", PG_TYPE_ROWS)
        display = []
        for name, (oid, _typlen, _arr) in TYPES.items():
            display.append({"oid": oid, "typname": name, "fmt": DISPLAY_NAMES.get(name, name)})
        for arr, elem in ARRAY_ELEMENT.items():
            ename = NAME_BY_OID[elem]
            display.append({"oid": arr, "typname": "_" + ename,
                            "fmt": DISPLAY_NAMES.get(ename, ename) + "[]"})
        display.extend({"oid": oid, "typname": name, "fmt": '"any"' if name == "any" else name}
                       for name, oid in PSEUDO_TYPES.items())
        self._insert("pgc.type_display", display)

    def _build_tables(self) -> None:
        classes, attrs, descs, indexes, constraints, cdefs, idefs = [], [], [], [], [], [], []
        info_tables, info_cols, info_tc, info_kcu, pg_tables = [], [], [], [], []
        types: list[dict[str, Any]] = []
        icols: list[dict[str, Any]] = []
        db = self.database
        for i, t in enumerate(self.tables):
            oid = FIRST_TABLE_OID + 5 * i
            row_type, array_type = oid + 3, oid + 4
            pk = [n for n, c in enumerate(t.columns, 1) if c.primary_key]
            classes.append({
                "oid": oid, "relname": t.name, "relnamespace": PUBLIC_NS, "relkind": "r",
                "relam": 2, "relnatts": len(t.columns), "relhasindex": bool(pk),
                "relacl": None, "reltype": row_type, "relfilenode": oid,
            })
            # Every table has a composite row type and its array (psycopg's CompositeInfo).
            types.append({"oid": row_type, "typname": t.name, "typnamespace": PUBLIC_NS,
                          "typlen": -1, "typbyval": False, "typtype": "c", "typcategory": "C",
                          "typrelid": oid, "typarray": array_type, "typinput": "record_in",
                          "typoutput": "record_out", "typreceive": "record_recv",
                          "typsend": "record_send", "typalign": "d", "typstorage": "x"})
            types.append({"oid": array_type, "typname": "_" + t.name,
                          "typnamespace": PUBLIC_NS, "typlen": -1, "typbyval": False,
                          "typcategory": "A", "typelem": row_type, "typinput": "array_in",
                          "typoutput": "array_out", "typreceive": "array_recv",
                          "typsend": "array_send", "typsubscript": "array_subscript_handler",
                          "typalign": "d", "typstorage": "x"})
            pg_tables.append({"schemaname": "public", "tablename": t.name,
                              "tableowner": self.username, "hasindexes": bool(pk),
                              "hasrules": False, "hastriggers": False, "rowsecurity": False})
            info_tables.append({"table_catalog": db, "table_schema": "public",
                                "table_name": t.name, "table_type": "BASE TABLE",
                                "is_insertable_into": "NO", "is_typed": "NO"})
            if t.description:
                descs.append({"objoid": oid, "classoid": PG_CLASS_OID, "objsubid": 0,
                              "description": t.description})
            for name, num, typ, length in _SYSTEM_COLUMNS:
                attrs.append({"attrelid": oid, "attname": name, "atttypid": typ,
                              "attlen": length, "attnum": num, "attnotnull": True,
                              "attbyval": length != 6, "attstorage": "p"})
            for n, c in enumerate(t.columns, 1):
                typ = OID_BY_NAME[c.pg_type]
                described = _TYPE_ROW_BY_OID.get(typ, {})
                attrs.append({"attrelid": oid, "attname": c.name, "atttypid": typ,
                              "attlen": TYPES[c.pg_type][1], "attnum": n,
                              "attstorage": described.get("typstorage", "x"),
                              "attalign": described.get("typalign", "i"),
                              "attbyval": described.get("typbyval", False),
                              "attnotnull": c.primary_key,
                              "attcollation": 100 if c.pg_type == "text" else 0})
                if c.description:
                    descs.append({"objoid": oid, "classoid": PG_CLASS_OID, "objsubid": n,
                                  "description": c.description})
                info_cols.append({
                    "table_catalog": db, "table_schema": "public", "table_name": t.name,
                    "column_name": c.name, "ordinal_position": n,
                    "is_nullable": "NO" if c.primary_key else "YES",
                    "data_type": INFO_SCHEMA_TYPES.get(c.pg_type, c.pg_type),
                    "udt_catalog": db, "udt_schema": "pg_catalog", "udt_name": c.pg_type,
                    "dtd_identifier": str(n), "is_self_referencing": "NO",
                    "is_identity": "NO", "is_generated": "NEVER", "is_updatable": "NO",
                    "numeric_precision_radix": 10 if c.pg_type == "numeric" else None,
                })
            if pk:
                idx_oid, con_oid = oid + 1, oid + 2
                pk_name = f"{t.name}_pkey"
                pk_cols = ", ".join(t.columns[n - 1].name for n in pk)
                classes.append({"oid": idx_oid, "relname": pk_name, "relnamespace": PUBLIC_NS,
                                "relkind": "i", "relam": 403, "relnatts": len(pk),
                                "relfilenode": idx_oid,
                                "relreplident": "n"})
                for k, n in enumerate(pk, 1):
                    c = t.columns[n - 1]
                    attrs.append({"attrelid": idx_oid, "attname": c.name,
                                  "atttypid": OID_BY_NAME[c.pg_type], "attnum": k})
                indexes.append({"indexrelid": idx_oid, "indrelid": oid, "indnatts": len(pk),
                                "indnkeyatts": len(pk), "indisunique": True,
                                "indisprimary": True, "indkey": pk,
                                "indoption": [0] * len(pk)})
                constraints.append({"oid": con_oid, "conname": pk_name,
                                    "connamespace": PUBLIC_NS, "contype": "p",
                                    "conrelid": oid, "conindid": idx_oid, "conkey": pk})
                cdefs.append({"oid": con_oid, "def": f"PRIMARY KEY ({pk_cols})"})
                idefs.append({"oid": idx_oid, "def": f"CREATE UNIQUE INDEX {pk_name} ON "
                                                     f"public.{t.name} USING btree ({pk_cols})",
                              "pretty": f"CREATE UNIQUE INDEX {pk_name} ON {t.name} "
                                        f"USING btree ({pk_cols})"})
                icols.extend({"oid": idx_oid, "n": k, "col": t.columns[n - 1].name}
                             for k, n in enumerate(pk, 1))
                info_tc.append({"constraint_catalog": db, "constraint_schema": "public",
                                "constraint_name": pk_name, "table_catalog": db,
                                "table_schema": "public", "table_name": t.name,
                                "constraint_type": "PRIMARY KEY", "is_deferrable": "NO",
                                "initially_deferred": "NO", "enforced": "YES"})
                for k, n in enumerate(pk, 1):
                    info_kcu.append({"constraint_catalog": db, "constraint_schema": "public",
                                     "constraint_name": pk_name, "table_catalog": db,
                                     "table_schema": "public", "table_name": t.name,
                                     "column_name": t.columns[n - 1].name,
                                     "ordinal_position": k})
        self._insert("pgc.pg_type", types)
        self._insert("pgc.type_display", [
            {"oid": ty["oid"], "typname": ty["typname"],
             "fmt": ty["typname"] if ty.get("typtype") == "c" else ty["typname"][1:] + "[]"}
            for ty in types])
        self._insert("pgc.pg_class", classes)
        self._insert("pgc.pg_attribute", attrs)
        self._insert("pgc.pg_description", descs)
        self._insert("pgc.pg_index", indexes)
        self._insert("pgc.pg_constraint", constraints)
        self._insert("pgc.constraint_defs", cdefs)
        self._insert("pgc.index_defs", idefs)
        self._insert("pgc.index_cols", icols)
        self._insert("pgc.pg_tables", pg_tables)
        self._insert("pgis.tables", info_tables)
        self._insert("pgis.columns", info_cols)
        self._insert("pgis.table_constraints", info_tc)
        self._insert("pgis.key_column_usage", info_kcu)
