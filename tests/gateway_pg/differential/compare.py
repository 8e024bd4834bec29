"""Running one corpus statement on both servers and comparing the answers.

What legitimately differs is normalised here, explicitly and for every case alike:

* OIDs of user objects (the mirror's tables, indexes, constraints, row types, the database) are
  assigned by each server: values equal to one become ``<oid:name>``;
* version strings (``version()``, ``server_version``, ``server_version_num``) become
  ``<version>``;
* role names inside ACL items (``postgres=UC/postgres``) as well;
* the role and database names (``postgres`` and the mirror database vs the credential and
  ``db``) become ``<user>`` and ``<database>``.

Anything else that differs must be stated in the case's ``-- expect:`` lines:

* ``subset: why`` — PostgreSQL lists built-in objects the gateway does not have (types,
  functions, system tables); every row the gateway returns must be one PostgreSQL returns;
* ``ignore COL[, COL]: why`` — these columns' values differ (sizes, timestamps, versions);
  names and types are still compared;
* ``columns: why`` — only column names and type OIDs are compared (rows are the server's own);
* ``error SQLSTATE: why`` — the gateway refuses the statement with that SQLSTATE;
* ``gap: what`` — a known defect of the emulation, not yet fixed: the case must still differ
  (it fails once the answers agree, so the expectation is removed with the fix).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg

from tests.gateway_pg.differential.corpus import Case

_ACL_ITEM = re.compile(r"^[\w$\"-]*=[a-zA-Z*]*/[\w$\"-]+$")


@dataclass
class Answer:
    columns: list[tuple[str, int]] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    sqlstate: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Side:
    """One server as the corpus sees it: its own names and user-object OIDs."""

    user: str
    database: str
    oids: dict[int, str]  # OID -> name of a user object (or "database")
    versions: frozenset[str] = frozenset()  # version(), server_version, server_version_num

    def substitute(self, sql: str) -> str:
        by_name = {name: oid for oid, name in self.oids.items()}

        def oid_of(m: re.Match[str]) -> str:
            return str(by_name[m.group(1)])

        sql = re.sub(r"\{oid:(\w+)\}", oid_of, sql)
        return sql.replace("{database}", self.database).replace("{user}", self.user)

    def normalise(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            name = self.oids.get(value)
            return f"<oid:{name}>" if name else value
        if isinstance(value, str):
            if value == self.user:
                return "<user>"
            if value == self.database:
                return "<database>"
            if value in self.versions:
                return "<version>"
            if _ACL_ITEM.match(value):  # aclitem text: grantee=privileges/grantor
                grantee, _, grantor = value.partition("/")
                role, _, rights = grantee.partition("=")
                role = "<user>" if role == self.user else role
                grantor = "<user>" if grantor == self.user else grantor
                return f"{role}={rights}/{grantor}"
            return value
        if isinstance(value, list | tuple):
            return type(value)(self.normalise(v) for v in value)
        return value


USER_OIDS_SQL = """
SELECT c.oid, c.relname FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
UNION ALL SELECT c.reltype, c.relname || '_type' FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.reltype <> 0
UNION ALL SELECT t.typarray, c.relname || '_array' FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_type t ON t.oid = c.reltype
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
UNION ALL SELECT con.oid, con.conname || '_constraint' FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = 'public'
UNION ALL SELECT d.oid, 'database' FROM pg_catalog.pg_database d
  WHERE d.datname = current_database()
UNION ALL SELECT n.oid, 'information_schema' FROM pg_catalog.pg_namespace n
  WHERE n.nspname = 'information_schema'
"""


def side_of(conn: psycopg.Connection[Any], user: str, database: str) -> Side:
    rows = conn.execute(USER_OIDS_SQL).fetchall()
    versions = frozenset(str(conn.execute(q).fetchone()[0]) for q in (  # type: ignore[index]
        "SELECT version()", "SHOW server_version", "SHOW server_version_num"))
    return Side(user, database, {int(oid): str(name) for oid, name in rows if oid}, versions)


def run(conn: psycopg.Connection[Any], sql: str) -> Answer:
    try:
        cur = conn.execute(sql.encode())
    except psycopg.Error as exc:
        return Answer(sqlstate=exc.sqlstate, error=str(exc).splitlines()[0] if str(exc) else "")
    desc = cur.description or []
    rows = cur.fetchall() if desc else []
    return Answer([(d.name, d.type_code) for d in desc], [tuple(r) for r in rows])


def _key(row: tuple[Any, ...]) -> str:
    return repr(row)


def expectations(case: Case) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in case.expect:
        head, _, reason = line.partition(":")
        if not reason.strip():
            raise AssertionError(f"{case.id}: every expectation needs a reason ({line!r})")
        out[head.strip()] = reason.strip()
    return out


def compare(case: Case, pg: Answer, gw: Answer, pg_side: Side, gw_side: Side) -> list[str]:
    """The differences not explained by the case's expectations (empty: the same answer)."""
    expect = expectations(case)
    if "gap" in expect:
        problems = compare(Case(case.tool, case.name, case.sql), pg, gw, pg_side, gw_side)
        return [] if problems else ["the known gap is fixed: remove its expectation"]
    errors = [k for k in expect if k.startswith("error ")]
    if errors:
        want = errors[0].split()[1]
        if gw.sqlstate != want:
            return [f"expected the gateway to refuse with {want}, got "
                    f"{gw.sqlstate or 'an answer'} {gw.error or ''}"]
        return []
    if pg.sqlstate:
        return [f"PostgreSQL itself fails ({pg.sqlstate} {pg.error}): fix the corpus"]
    if gw.sqlstate:
        return [f"gateway fails: {gw.sqlstate} {gw.error}"]
    problems = []
    if pg.columns != gw.columns:
        problems.append(f"columns differ: PostgreSQL {pg.columns} gateway {gw.columns}")
    if "columns" in expect or problems:
        return problems
    ignored: set[int] = set()
    for k in expect:
        if k.startswith("ignore "):
            names = [n.strip() for n in k.removeprefix("ignore ").split(",")]
            idx = {c[0]: i for i, c in enumerate(pg.columns)}
            missing = [n for n in names if n not in idx]
            if missing:
                problems.append(f"ignored columns {missing} are not in the result")
            ignored |= {idx[n] for n in names if n in idx}

    def shaped(rows: list[tuple[Any, ...]], side: Side) -> Counter[str]:
        return Counter(_key(tuple("<ignored>" if i in ignored else side.normalise(v)
                                  for i, v in enumerate(r))) for r in rows)

    expected, got = shaped(pg.rows, pg_side), shaped(gw.rows, gw_side)
    extra = got - expected
    missing_rows = expected - got
    if extra:
        problems.append(f"gateway rows PostgreSQL does not give: {sorted(extra)[:5]}")
    if missing_rows and "subset" not in expect:
        problems.append(f"PostgreSQL rows the gateway lacks: {sorted(missing_rows)[:5]}")
    return problems
