"""Write ``gateway/catalog/column_types.py``: the PostgreSQL 15 type of every column of the
catalog relations the gateway emulates, and the keyword and time-zone abbreviation lists, read
from the real PostgreSQL of this machine.

    .venv/bin/python -m tests.gateway_pg.differential.gen_column_types
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG
from tests.services import PG_TEST_DSN

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
