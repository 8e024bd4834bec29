"""Write ``gateway/catalog/column_types.py``: the PostgreSQL 15 type of every column of the
catalog relations the gateway emulates, and the keyword and time-zone abbreviation lists, read
from the real PostgreSQL of this machine.

    .venv/bin/python -m tests.gateway_pg.differential.gen_column_types
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG
from gateway.postgres.types import NAME_BY_OID
from tests.services import PG_TEST_DSN

# Functions answered by the rewrite or by DuckDB itself under PostgreSQL's name.
EXTRA_FUNCTIONS = ("pg_get_keywords", "pg_partition_ancestors", "string_to_array",
                   "pg_typeof", "current_schemas", "generate_series", "unnest",
                   "array_to_string", "array_agg", "string_agg", "regexp_replace", "lower",
                   "upper", "length", "substring", "coalesce", "pg_tablespace_location")
OUT = Path(__file__).parents[3] / "gateway" / "catalog" / "column_types.py"
QUERY = """
SELECT c.relname, a.attname,
       CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
WHERE n.nspname = %s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""


def main() -> None:
    lines = ["# ruff: noqa: E501",
             '"""The PostgreSQL 15 type (typname) of each column of the emulated catalog '
             'relations.',
             "", "Generated from a real PostgreSQL 15 by",
             "``tests/gateway_pg/differential/gen_column_types.py``; do not edit by hand.",
             '"""', "", "from __future__ import annotations", ""]
    with psycopg.connect(PG_TEST_DSN) as conn:
        for var, schema, tables in (("PG_CATALOG_TYPES", "pg_catalog", PG_CATALOG),
                                    ("INFORMATION_SCHEMA_TYPES", "information_schema",
                                     INFORMATION_SCHEMA)):
            by_table: dict[str, dict[str, str]] = {}
            for rel, att, typ in conn.execute(QUERY, [schema]).fetchall():
                if rel in tables:
                    by_table.setdefault(rel, {})[att] = typ
            lines.append(f"{var}: dict[str, dict[str, str]] = {{")
            for rel in sorted(by_table):
                lines.append(f'    "{rel}": {{')
                items = [f'"{a}": "{t}"' for a, t in by_table[rel].items()]
                line = "       "
                for item in items:
                    if len(line) + len(item) + 2 > 99:
                        lines.append(line.rstrip())
                        line = "       "
                    line += f" {item},"
                lines.append(line)
                lines.append("    },")
            lines.append("}")
            lines.append("")
    with psycopg.connect(PG_TEST_DSN) as conn:
        keywords = conn.execute("SELECT word, catcode, barelabel, catdesc, baredesc "
                                "FROM pg_get_keywords() ORDER BY word").fetchall()
        abbrevs = conn.execute("SELECT abbrev, extract(epoch FROM utc_offset)::int, is_dst "
                               "FROM pg_timezone_abbrevs ORDER BY abbrev").fetchall()
    with psycopg.connect(PG_TEST_DSN) as conn:
        cur = conn.execute(
            "SELECT oid, typname, typlen, typbyval, typtype, typcategory, typispreferred, "
            "typdelim, typsubscript::text, typelem, typarray, typinput::text, typoutput::text, "
            "typreceive::text, typsend::text, typmodin::text, typmodout::text, "
            "typanalyze::text, typalign, typstorage, typcollation FROM pg_type "
            "WHERE oid = ANY(%s) ORDER BY oid", [sorted(NAME_BY_OID)])
        names = [d.name for d in cur.description or []]
        type_rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    from gateway.catalog.database import CATALOG_FUNCTIONS, PSEUDO_TYPES
    from gateway.catalog.rewrite import SESSION_FUNCTIONS
    io_functions = {str(r[k]) for r in type_rows
                    for k in ("typinput", "typoutput", "typreceive", "typsend")} - {"-"}
    answered = sorted(CATALOG_FUNCTIONS | SESSION_FUNCTIONS | set(EXTRA_FUNCTIONS)
                      | io_functions)
    with psycopg.connect(PG_TEST_DSN) as conn:
        cur = conn.execute(
            "SELECT oid, proname, pronamespace, proowner, prolang, procost, prorows, "
            "provariadic, prosupport::text, prokind, prosecdef, proleakproof, proisstrict, "
            "proretset, provolatile, proparallel, pronargs, pronargdefaults, prorettype, "
            "proargtypes::oid[], proallargtypes, proargmodes::text[], proargnames, "
            "proargdefaults::text, prosrc FROM pg_proc "
            "WHERE proname = ANY(%s) AND pronamespace = 11 ORDER BY oid", [answered])
        names = [d.name for d in cur.description or []]
        known = set(NAME_BY_OID) | set(PSEUDO_TYPES.values())
        proc_rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        # Only functions whose argument and result types the catalog can name.
        proc_rows = [r for r in proc_rows if {r["prorettype"], *(r["proargtypes"] or []),
                                              *(r["proallargtypes"] or [])} <= known]
    with psycopg.connect(PG_TEST_DSN) as conn:
        descriptions = conn.execute(
            "SELECT objoid, classoid, description FROM pg_description "
            "WHERE objsubid = 0 AND ((classoid = 'pg_type'::regclass AND objoid = ANY(%s)) "
            "OR (classoid = 'pg_proc'::regclass AND objoid = ANY(%s))) ORDER BY 2, 1",
            [[r["oid"] for r in type_rows], [r["oid"] for r in proc_rows]]).fetchall()
    lines.append("# pg_description of those types and functions: objoid, classoid, description")
    lines.append("BUILTIN_DESCRIPTIONS: list[tuple[int, int, str]] = [")
    lines.extend(f"    {tuple(d)!r}," for d in descriptions)
    lines.append("]")
    lines.append("")
    lines.append("# pg_proc rows of the functions catalog queries can call")
    lines.append("PG_PROC_ROWS: list[dict[str, object]] = [")
    lines.extend(f"    {row!r}," for row in proc_rows)
    lines.append("]")
    lines.append("")
    lines.append("# pg_type rows of the types the wire knows (gateway.postgres.types)")
    lines.append("PG_TYPE_ROWS: list[dict[str, object]] = [")
    lines.extend(f"    {row!r}," for row in type_rows)
    lines.append("]")
    lines.append("")
    lines.append("# pg_get_keywords(): word, catcode, barelabel, catdesc, baredesc")
    lines.append("KEYWORDS: list[tuple[str, str, bool, str, str]] = [")
    lines.extend(f"    {tuple(k)!r}," for k in keywords)
    lines.append("]")
    lines.append("")
    lines.append("# pg_timezone_abbrevs: abbrev, utc_offset in seconds, is_dst")
    lines.append("TIMEZONE_ABBREVS: list[tuple[str, int, bool]] = [")
    lines.extend(f"    {tuple(a)!r}," for a in abbrevs)
    lines.append("]")
    lines.append("")
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
