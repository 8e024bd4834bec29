"""The MySQL differential corpus, running one statement on both servers, comparing answers.

``tests/gateway_mysql/corpus/<tool>.sql`` holds blocks::

    -- name: get_columns (2)
    -- expect: ignore ENGINE: the gateway's tables are not InnoDB
    SHOW TABLE STATUS FROM {database};

Placeholders: ``{database}`` (``db`` on the gateway, the mirror's name on MariaDB).

What legitimately differs is normalised here, for every case alike (each rule says why):

* the database name (the mirror's unique name vs ``db``) and the user (``root@localhost`` vs
  the credential) become ``<database>`` and ``<user>``: each server names its own;
* version strings (either server's ``@@version``) become ``<version>``;
* integer display widths MariaDB still prints (``int(11)``, ``bigint(20)``; MySQL 8 dropped
  them, except ``tinyint(1)``) are removed from type names;
* and in ``SHOW TABLES``' column name (``Tables_in_<database>``);
* MariaDB spells a column without a default as the text ``NULL`` (COLUMN_DEFAULT, SHOW
  COLUMNS' Default); MySQL 8 and the gateway send SQL NULL, so MariaDB's ``'NULL'`` is NULL;
* column types are compared by the class a client acts on — integer, decimal, float, string,
  date/time, binary — because MariaDB's information_schema declares long texts (``longtext``,
  BLOB in the protocol) where MySQL 8 and the gateway send VARCHAR, and MariaDB widens some
  integer columns; values are compared as text.

Anything else must be stated in the case's ``-- expect:`` lines:

* ``subset: why`` — MariaDB lists objects the gateway does not have (its collations, engines,
  variables); every row the gateway returns must be one MariaDB returns (after ``ignore``);
* ``ignore COL[, COL]: why`` — these columns' values differ (engine, sizes, timestamps);
  names and types are still compared;
* ``columns: why`` — only column names and types are compared;
* ``mysql8: why`` — MySQL 8 answers where MariaDB 10.11 refuses (``@@transaction_isolation``):
  the gateway must answer; MariaDB's refusal is not compared;
* ``mysql8-rows NAME[, NAME]: why`` — rows whose first column is one of these names exist in
  MySQL 8 and not in MariaDB (``default_authentication_plugin``); they are left out;
* ``only-mariadb COL[, COL]: why`` — columns MariaDB adds that MySQL 8 does not have (SHOW
  INDEX ``Ignored``, SHOW PROCESSLIST ``Progress``): left out of MariaDB's answer;
* ``only-mysql8 COL[, COL]: why`` — columns MySQL 8 has and MariaDB lacks (SHOW INDEX
  ``Visible``, ``Expression``): left out of the gateway's answer;
* ``types-differ COL[, COL]: why`` — these columns' type classes differ (values are still
  compared), e.g. MariaDB types a CASE over unsigned and signed integers DECIMAL;
* ``unordered: why`` — rows are compared as a multiset (``ORDER BY`` a database name, which
  sorts differently on each side);
* ``error ERRNO: why`` — the gateway refuses the statement with that error number (MariaDB's
  answer is not compared: e.g. its ``mysql`` schema, readable by root);
* ``gap: what`` — a known defect of the emulation, not yet fixed: the case must still differ
  (it fails once the answers agree, so the expectation is removed with the fix).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymysql

CORPUS_DIR = Path(__file__).parent.parent / "corpus"
_BLOCK = re.compile(r"^-- name: ", re.M)
_WIDTH = re.compile(r"^(smallint|mediumint|int|bigint)\(\d+\)( unsigned)?$", re.I)


@dataclass(frozen=True)
class Case:
    tool: str
    name: str
    sql: str
    expect: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.tool}: {self.name}"


def parse_file(path: Path) -> list[Case]:
    text = path.read_text()
    starts = [m.start() for m in _BLOCK.finditer(text)]
    cases = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        lines = text[start:end].strip().splitlines()
        name = lines[0].removeprefix("-- name: ").strip()
        expect: list[str] = []
        body: list[str] = []
        for line in lines[1:]:
            if not body and line.startswith("-- expect: "):
                expect.append(line.removeprefix("-- expect: ").strip())
            elif body or not line.startswith("--"):
                body.append(line)
        sql = "\n".join(body).strip().rstrip(";").strip()
        assert sql, f"{path.name}: {name} has no statement"
        cases.append(Case(path.stem, name, sql, tuple(expect)))
    return cases


def load(directory: Path = CORPUS_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.sql")):
        cases.extend(parse_file(path))
    ids = [c.id for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"corpus names must be unique per tool: {sorted(dupes)}"
    return cases


# pymysql's FIELD_TYPE numbers, by what a client does with the value.
_TYPE_CLASSES = {0: "decimal", 246: "decimal", 1: "integer", 2: "integer", 3: "integer",
                 8: "integer", 9: "integer", 13: "integer", 16: "integer", 4: "float",
                 5: "float", 7: "datetime", 10: "date", 11: "time", 12: "datetime",
                 14: "date", 15: "string", 253: "string", 254: "string", 252: "string",
                 249: "string", 250: "string", 251: "string", 245: "string"}


@dataclass
class Answer:
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, type class)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    errno: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Side:
    """One server as the corpus sees it: its database, user and version names."""

    database: str
    users: frozenset[str]
    versions: frozenset[str]

    def substitute(self, sql: str) -> str:
        return sql.replace("{database}", self.database)

    def normalise(self, value: Any, *, mariadb: bool = False) -> Any:
        if value is None or (mariadb and value == "NULL"):
            return None
        if isinstance(value, bytes | bytearray):
            value = bytes(value).decode("utf-8", "replace")
        text = str(value)
        if text == self.database:
            return "<database>"
        if text in self.users:
            return "<user>"
        if text in self.versions:
            return "<version>"
        m = _WIDTH.match(text)
        if m:
            return m.group(1).lower() + (m.group(2) or "")
        # A statement text naming the database (SHOW CREATE DATABASE, ...).
        return text.replace(f"`{self.database}`", "`<database>`")

    def column_name(self, name: str) -> str:
        for user in self.users:
            name = name.replace(user, "<user>")
        return re.sub(rf"^Tables_in_{re.escape(self.database)}\b", "Tables_in_<database>", name)


def side_of(conn: pymysql.Connection[Any], database: str) -> Side:
    with conn.cursor() as cur:
        cur.execute("SELECT CURRENT_USER(), USER(), @@version")
        current, user, version = cur.fetchone()
    return Side(database, frozenset({str(current), str(user)}), frozenset({str(version)}))


def run(conn: pymysql.Connection[Any], sql: str) -> Answer:
    with conn.cursor() as cur:
        try:
            cur.execute(sql)
        except pymysql.MySQLError as exc:
            errno = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
            return Answer(errno=errno, error=str(exc))
        if cur.description is None:
            return Answer()
        columns = [(d[0], _TYPE_CLASSES.get(d[1], f"type {d[1]}")) for d in cur.description]
        return Answer(columns, [tuple(r) for r in cur.fetchall()])


def _names(case: Case, prefix: str) -> set[str]:
    out: set[str] = set()
    for e in case.expect:
        if e.startswith(prefix):
            out |= {c.strip().lower() for c in e[len(prefix):].split(":", 1)[0].split(",")}
    return out


def _ignored(case: Case) -> set[str]:
    return _names(case, "ignore ")


def _rows(answer: Answer, side: Side, ignored: set[str], *,
          mariadb: bool) -> list[tuple[Any, ...]]:
    keep = [i for i, (n, _) in enumerate(answer.columns) if n.lower() not in ignored]
    return [tuple(side.normalise(r[i], mariadb=mariadb) for i in keep) for r in answer.rows]


def _without(answer: Answer, side: Side, dropped: set[str]) -> Answer:
    """The answer without ``dropped`` columns, column names normalised."""
    keep = [i for i, (n, _) in enumerate(answer.columns) if n.lower() not in dropped]
    return Answer([(side.column_name(answer.columns[i][0]), answer.columns[i][1])
                   for i in keep], [tuple(r[i] for i in keep) for r in answer.rows],
                  answer.errno, answer.error)


def compare(case: Case, theirs: Answer, ours: Answer, their_side: Side,
            our_side: Side) -> list[str]:
    """What differs, as readable lines (empty: the same answer, given the expectations)."""
    kinds = {e.split(":", 1)[0].split()[0] for e in case.expect}
    problems = _differences(case, kinds, theirs, ours, their_side, our_side)
    if "gap" in kinds:
        return [] if problems else ["a known gap no longer differs: remove its expectation"]
    return problems


def _differences(case: Case, kinds: set[str], theirs: Answer, ours: Answer,
                 their_side: Side, our_side: Side) -> list[str]:
    if "error" in kinds:
        wanted = next(e for e in case.expect if e.startswith("error "))
        errno = int(wanted.split(":", 1)[0].split()[1])
        if ours.errno != errno:
            return [f"expected error {errno}, got {ours.errno or 'success'} {ours.error or ''}"]
        return []
    if "mysql8" in kinds:
        return [f"the gateway failed: {ours.error}"] if ours.error is not None else []
    if theirs.error is not None:
        if ours.error is None:
            return [f"MariaDB refused it ({theirs.error}) but the gateway answered"]
        return [] if theirs.errno == ours.errno else [
            f"different errors: MariaDB {theirs.error}; gateway {ours.error}"]
    if ours.error is not None:
        return [f"the gateway failed: {ours.error}"]
    theirs = _without(theirs, their_side, _names(case, "only-mariadb "))
    ours = _without(ours, our_side, _names(case, "only-mysql8 "))
    loose = _names(case, "types-differ ")
    for answer in (theirs, ours):
        answer.columns = [(n, "*" if n.lower() in loose else t) for n, t in answer.columns]
    if theirs.columns != ours.columns:
        return [f"columns differ:\n  MariaDB {theirs.columns}\n  gateway {ours.columns}"]
    if "columns" in kinds:
        return []
    ignored = _ignored(case)
    their_rows = _rows(theirs, their_side, ignored, mariadb=True)
    our_rows = _rows(ours, our_side, ignored, mariadb=False)
    only_mysql8 = _names(case, "mysql8-rows ")
    our_rows = [r for r in our_rows if not r or str(r[0]).lower() not in only_mysql8]
    if "subset" in kinds:
        missing = Counter(our_rows) - Counter(their_rows)
        return [f"rows MariaDB does not have: {sorted(missing, key=repr)[:10]}"] if missing \
            else []
    if "unordered" in kinds:
        their_rows, our_rows = sorted(their_rows, key=repr), sorted(our_rows, key=repr)
    if their_rows != our_rows:
        return [f"rows differ:\n  MariaDB {their_rows[:20]}\n  gateway {our_rows[:20]}"]
    return []
