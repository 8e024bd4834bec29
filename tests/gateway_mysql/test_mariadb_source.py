"""A MariaDB data source behind the MySQL wire: its text rows reach the client as MariaDB
sent them (forwarded, not decoded), and every way a statement can end still ends it.

Differential: each query runs through the gateway and directly on MariaDB; the row packets'
payloads must be the same bytes (NULLs, decimals, dates, binary strings, utf8mb4 text, rows
split over 16 MiB frames), and real clients must read the same values. Then KILL QUERY,
revocation and the statement timeout in the middle of a stream: the client gets its error,
and the query stops on MariaDB.
"""

from __future__ import annotations

import secrets
import socket
import ssl
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mysql.connector
import pymysql
import pymysql.cursors
import pytest
from pymysql.constants import COMMAND

from backend.connectors.factory import connector_for
from backend.connectors.limits import Limits
from gateway.mysql.constants import Capability
from gateway.session import ConnectorCache
from tests.gateway_common import make_grant
from tests.services import MARIADB_HOST, MARIADB_PORT, require_mariadb

from .conftest import ThreadedGateway
from .rawclient import CLIENT_CAPS, RawClient

_COLUMNS = """
    id int PRIMARY KEY, big bigint unsigned, small tinyint, price decimal(12,4),
    neg decimal(30,10), f float, d double, name varchar(300), body mediumtext, raw blob,
    bin varbinary(10), day date, at datetime(6), t time(6), y year, e enum('a','b'), b bit(3),
    doc json, z int(5) zerofill
"""
_ROWS = [
    "(1, 18446744073709551615, -128, 12345678.1234, -0.0000000001, 1.5, -2.25e-300, 'héllo 🙂',"
    " REPEAT('x', 70000), X'00FF', X'01', '2024-02-29', '2024-01-02 03:04:05.000006',"
    " '-838:59:59', 2024, 'b', b'101', '{\"k\": [1, 2]}', 7)",
    "(2, 0, 0, 0, 0, 0, 1e20, REPEAT('é', 251), '', '', '', '1000-01-01', '1000-01-01 00:00:00',"
    " '00:00:00', 1901, 'a', b'0', 'null', 0)",
    "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL)",
]
_NAMES = ["id", "big", "small", "price", "neg", "f", "d", "name", "body", "raw", "bin", "day",
          "at", "t", "y", "e", "b", "doc", "z"]
_TYPES = {"day": "time", "at": "time", **dict.fromkeys(
    ("id", "big", "small", "price", "neg", "f", "d", "y", "z"), "number")}
SPLIT = 8 * 1024 * 1024  # two such values make a row of more than one 16 MiB frame


def _model(database: str) -> str:
    dims = "\n".join(
        f"      - {{ name: {n}, sql: {n}, type: {_TYPES.get(n, 'string')}"
        + (", primary_key: true }" if n == "id" else " }") for n in _NAMES)
    return f"""
cubes:
  - name: t
    sql_table: {database}.t
    dimensions:
{dims}
  - name: series
    sql: "SELECT seq AS n, md5(seq) AS label, seq / 7 AS ratio FROM seq_1_to_20000"
    dimensions:
      - {{ name: n, sql: n, type: number, primary_key: true }}
      - {{ name: label, sql: label, type: string }}
      - {{ name: ratio, sql: ratio, type: number }}
  - name: endless
    sql: "SELECT seq AS n, md5(seq) AS label FROM seq_1_to_100000000"
    dimensions:
      - {{ name: n, sql: n, type: number, primary_key: true }}
      - {{ name: label, sql: label, type: string }}
  - name: big
    sql: "SELECT 1 AS id, REPEAT('x', {SPLIT}) AS a, REPEAT('é', {SPLIT // 2}) AS b
          UNION ALL SELECT 2, 'small', NULL
          UNION ALL SELECT 3, REPEAT('y', 16777216), 'first value alone over 16 MiB'"
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: a, sql: a, type: string }}
      - {{ name: b, sql: b, type: string }}
"""


def _root(database: str | None = None) -> pymysql.Connection[Any]:
    return pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", password="",
                           database=database, autocommit=True, charset="utf8mb4")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    require_mariadb()
    name = "gwmysrc_" + secrets.token_hex(4)
    with _root() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cur.execute(f"CREATE TABLE `{name}`.t ({_COLUMNS})")
        cur.execute(f"INSERT INTO `{name}`.t VALUES {', '.join(_ROWS)}")
    try:
        yield name
    finally:
        with _root() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


def _add_mariadb_user(tgw: ThreadedGateway, database: str) -> tuple[str, str]:
    user, password = "u_" + secrets.token_hex(4), "pw-" + secrets.token_urlsafe(10)
    params = {"host": MARIADB_HOST, "port": MARIADB_PORT, "database": database,
              "user": "root", "password": ""}
    tgw.gw.grants.grants[user] = make_grant(user, password, source_type="MYSQL",
                                            source_params=params, model=_model(database))
    return user, password


@pytest.fixture(scope="module")
def mgw(tls_dir: Path, demo_duckdb: Path, database: str) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb)
    t.gw.user, t.gw.password = _add_mariadb_user(t, database)
    yield t
    t.close()


def _tls(tgw: ThreadedGateway) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(tgw.gw.tls_dir / "server.crt"))
    ctx.check_hostname = False
    return ctx


def _gateway(tgw: ThreadedGateway, **extra: Any) -> pymysql.Connection[Any]:
    return pymysql.connect(host="127.0.0.1", port=tgw.gw.port, user=tgw.gw.user,
                           password=tgw.gw.password, database="db", ssl=_tls(tgw),
                           charset="utf8mb4", autocommit=True, read_timeout=60, **extra)


# --- the row packets themselves -------------------------------------------------------------


def _mariadb_payloads(database: str, sql: str) -> list[bytes]:
    """The row packets' payloads MariaDB sends for ``sql`` (PyMySQL's packet reader, which
    joins the frames of a split packet)."""
    conn = _root(database)
    try:
        conn._execute_command(COMMAND.COM_QUERY, sql)
        count = conn._read_packet().read_length_encoded_integer()
        for _ in range(count + 1):  # the column definitions and their EOF
            conn._read_packet()
        rows = []
        while not (packet := conn._read_packet()).is_eof_packet():
            rows.append(packet.get_all_data())
        return rows
    finally:
        conn.close()


class _Frames:
    """Frames read from the gateway by a raw client, each checked to be next in sequence."""

    def __init__(self, client: RawClient):
        self.client = client
        self.seq = 1  # after the command (0)

    def packet(self) -> bytes:
        parts = []
        while True:
            header = self.client._recv_exactly(4)
            assert header[3] == self.seq, (header[3], self.seq)
            self.seq = (self.seq + 1) & 0xFF
            length = int.from_bytes(header[:3], "little")
            parts.append(self.client._recv_exactly(length))
            if length < 0xFFFFFF:
                return b"".join(parts)


def _gateway_payloads(tgw: ThreadedGateway, sql: str, *, deprecate_eof: bool
                      ) -> list[bytes]:
    caps = CLIENT_CAPS | (Capability.DEPRECATE_EOF if deprecate_eof else 0)
    client = RawClient(tgw.gw.port, caps)
    try:
        client.start_tls()
        client.send(client.login_packet(tgw.gw.user, tgw.gw.password))
        assert client.read()[:1] == b"\x00"  # OK: logged in
        client.send(client.query_packet(sql))
        frames = _Frames(client)
        count = frames.packet()[0]
        for _ in range(count + (0 if deprecate_eof else 1)):
            frames.packet()
        rows: list[bytes] = []
        while True:
            payload = frames.packet()
            if payload[:1] == b"\xfe" and len(payload) < 9:  # EOF, or OK with 0xFE
                return rows
            assert payload[:1] != b"\xff", payload
            rows.append(payload)
    finally:
        client.close()


@pytest.mark.parametrize("deprecate_eof", [False, True], ids=["eof", "deprecate_eof"])
def test_row_packets_are_mariadbs_bytes(mgw: ThreadedGateway, database: str,
                                        deprecate_eof: bool) -> None:
    columns = ", ".join(_NAMES)
    ours = _gateway_payloads(mgw, f"SELECT {columns} FROM t ORDER BY id",
                             deprecate_eof=deprecate_eof)
    theirs = _mariadb_payloads(database, f"SELECT {columns} FROM t ORDER BY id")
    assert len(theirs) == 3 and b"\xfb" * 18 in theirs[2]  # the NULL row
    assert ours == theirs


@pytest.mark.parametrize("deprecate_eof", [False, True], ids=["eof", "deprecate_eof"])
def test_rows_over_16_mib_are_passed_on_whole(mgw: ThreadedGateway, database: str,
                                              deprecate_eof: bool) -> None:
    sql = "SELECT id, a, b FROM big ORDER BY id"
    ours = _gateway_payloads(mgw, sql, deprecate_eof=deprecate_eof)
    theirs = _mariadb_payloads(database, sql.replace("FROM big", f"FROM ({_big_sql()}) s"))
    assert [len(p) >= 0xFFFFFF for p in theirs] == [True, False, True]
    assert ours == theirs


def _big_sql() -> str:
    return (f"SELECT 1 AS id, REPEAT('x', {SPLIT}) AS a, REPEAT('é', {SPLIT // 2}) AS b "
            "UNION ALL SELECT 2, 'small', NULL "
            "UNION ALL SELECT 3, REPEAT('y', 16777216), 'first value alone over 16 MiB'")


# --- what real clients read -----------------------------------------------------------------


def test_pymysql_reads_mariadbs_values(mgw: ThreadedGateway, database: str) -> None:
    # Binary strings and TIME are string dimensions in the model, so the catalog (and the
    # column definitions) call them text, where MariaDB says BLOB or TIME: PyMySQL would
    # decode them differently, so their bytes are compared above, not their values here.
    names = [n for n in _NAMES if n not in ("raw", "bin", "b", "t")]
    sql = f"SELECT {', '.join(names)} FROM t ORDER BY id"
    with _gateway(mgw) as conn, conn.cursor() as cur:
        cur.execute(sql)
        ours = cur.fetchall()
    with _root(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        theirs = cur.fetchall()
    assert ours == theirs
    assert ours[0][names.index("name")] == "héllo 🙂"
    assert ours[2] == (3,) + (None,) * (len(names) - 1)


def test_big_rows_through_real_clients(mgw: ThreadedGateway) -> None:
    with _gateway(mgw) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, a, b FROM big ORDER BY id")
        rows = cur.fetchall()
    assert rows == ((1, "x" * SPLIT, "é" * (SPLIT // 2)), (2, "small", None),
                    (3, "y" * 16777216, "first value alone over 16 MiB"))
    c = mysql.connector.connect(host="127.0.0.1", port=mgw.gw.port, user=mgw.gw.user,
                                password=mgw.gw.password, database="db", use_pure=True,
                                ssl_verify_cert=False)
    try:
        cur = c.cursor()
        cur.execute("SELECT id, b FROM big ORDER BY id")
        assert cur.fetchall() == [(1, "é" * (SPLIT // 2)), (2, None),
                                  (3, "first value alone over 16 MiB")]
    finally:
        c.close()


def test_a_long_stream_is_the_sources(mgw: ThreadedGateway, database: str) -> None:
    sql = "SELECT n, label, ratio FROM series ORDER BY n"
    with _gateway(mgw, cursorclass=pymysql.cursors.SSCursor) as conn, conn.cursor() as cur:
        cur.execute(sql)
        ours = list(cur)
    with _root(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT seq, md5(seq), seq / 7 FROM seq_1_to_20000 ORDER BY seq")
        theirs = list(cur.fetchall())
    assert len(ours) == 20000 and ours == theirs
    with _gateway(mgw) as conn, conn.cursor() as cur:  # the pooled connection is reusable
        cur.execute("SELECT n FROM series ORDER BY n LIMIT 2")
        assert cur.fetchall() == ((1,), (2,))


def test_prepared_statements_still_decode(mgw: ThreadedGateway, database: str) -> None:
    """The binary protocol re-encodes decoded values; it must read the same as direct."""
    c = mysql.connector.connect(host="127.0.0.1", port=mgw.gw.port, user=mgw.gw.user,
                                password=mgw.gw.password, database="db",
                                ssl_verify_cert=False, use_pure=True)
    try:
        cur = c.cursor(prepared=True)
        cur.execute("SELECT id, price, neg, d, name, day, at, y FROM t WHERE id < ? "
                    "ORDER BY id", (3,))
        ours = cur.fetchall()
    finally:
        c.close()
    with _root(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, price, neg, d, name, day, at, y FROM t WHERE id < 3 ORDER BY id")
        theirs = cur.fetchall()
    assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]


# --- ending a stream midway -----------------------------------------------------------------


def _source_queries(label: str) -> list[tuple[Any, ...]]:
    with _root() as conn, conn.cursor() as cur:
        cur.execute("SELECT ID, INFO FROM information_schema.PROCESSLIST "
                    "WHERE INFO LIKE %s AND INFO NOT LIKE '%%PROCESSLIST%%'", (f"%{label}%",))
        return list(cur.fetchall())


def _wait_gone(label: str) -> None:
    for _ in range(200):
        if not _source_queries(label):
            return
        time.sleep(0.05)
    pytest.fail(f"the source query is still running: {_source_queries(label)}")


def _forget(cur: Any) -> None:
    """Drop a PyMySQL cursor's unread result: its finalizers would read the rest from a
    connection that is gone, and their exception, raised wherever the collector runs them
    (inside CPython 3.11's AST construction, say), breaks what runs there."""
    for holder in (cur, cur.connection):
        result = getattr(holder, "_result", None)
        if result is not None:
            result.unbuffered_active = False
        holder._result = None


def _stream_until_error(cur: Any, rows: list[Any]) -> BaseException:
    try:
        while batch := cur.fetchmany(1000):
            rows.extend(batch)
    except BaseException as exc:
        return exc
    pytest.fail(f"the stream ended normally after {len(rows)} rows")


def test_kill_query_in_the_middle_of_a_stream(mgw: ThreadedGateway) -> None:
    victim = _gateway(mgw, cursorclass=pymysql.cursors.SSCursor)
    admin = _gateway(mgw)
    try:
        with victim.cursor() as cur:
            cur.execute("SELECT n, label FROM endless")
            rows = list(cur.fetchmany(5000))
            assert _source_queries("seq_1_to_100000000")
            with admin.cursor() as a:
                a.execute(f"KILL QUERY {victim.thread_id()}")
            error = _stream_until_error(cur, rows)
        assert isinstance(error, pymysql.err.MySQLError) and error.args[0] == 1317, error
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        _wait_gone("seq_1_to_100000000")
        with victim.cursor() as cur:  # the session goes on
            cur.execute("SELECT n FROM series ORDER BY n LIMIT 1")
            assert list(cur.fetchall()) == [(1,)]
    finally:
        victim.close()
        admin.close()


def test_revocation_in_the_middle_of_a_stream(mgw: ThreadedGateway, database: str) -> None:
    user, password = _add_mariadb_user(mgw, database)
    conn = pymysql.connect(host="127.0.0.1", port=mgw.gw.port, user=user, password=password,
                           database="db", ssl=_tls(mgw), read_timeout=60,
                           cursorclass=pymysql.cursors.SSCursor)
    try:
        cur = conn.cursor()  # not closed: the connection it would read to the end is gone
        cur.execute("SELECT n, label FROM endless WHERE n > 7")
        rows = list(cur.fetchmany(5000))
        del mgw.gw.grants.grants[user]
        mgw.loop.call_soon_threadsafe(mgw.gw.server.on_grant_changed, user, None)
        error = _stream_until_error(cur, rows)
        assert isinstance(error, pymysql.err.MySQLError), error
        _wait_gone("n > 7")
    finally:
        _forget(cur)
        conn.close()


def test_statement_timeout_in_the_middle_of_a_stream(tls_dir: Path, demo_duckdb: Path,
                                                     database: str) -> None:
    t = ThreadedGateway(tls_dir, demo_duckdb)
    t.services.connectors = ConnectorCache(
        lambda type_, params: connector_for(type_, params, limits=Limits(statement_timeout=1.0)))
    try:
        t.gw.user, t.gw.password = _add_mariadb_user(t, database)
        with _gateway(t, cursorclass=pymysql.cursors.SSCursor) as conn, conn.cursor() as cur:
            cur.execute("SELECT n, label FROM endless WHERE n > 3")
            rows: list[Any] = []  # 10^8 of them take far longer than the 1 s allowed
            error = _stream_until_error(cur, rows)
            assert isinstance(error, pymysql.err.MySQLError), error
            assert "statement timeout" in str(error.args[1]), error
        _wait_gone("n > 3")
    finally:
        t.close()


def test_a_client_that_goes_away_stops_the_source(mgw: ThreadedGateway) -> None:
    conn = _gateway(mgw, cursorclass=pymysql.cursors.SSCursor)
    cur = conn.cursor()  # never closed: closing it would read the endless rest
    cur.execute("SELECT n, label FROM endless WHERE n > 5")
    assert len(cur.fetchmany(100)) == 100
    sock = conn._sock
    assert sock is not None
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn._rfile.close()  # (it holds the socket open)
    sock.close()  # a reset: the gateway's next write fails
    _wait_gone("n > 5")
    _forget(cur)


def test_abandoned_streams_give_their_source_connections_up(mgw: ThreadedGateway) -> None:
    """More streams broken off in turn than the pool has connections: none is kept."""
    for _ in range(7):
        conn = _gateway(mgw, cursorclass=pymysql.cursors.SSCursor)
        cur = conn.cursor()
        cur.execute("SELECT n, label FROM endless WHERE n > 9")
        assert len(cur.fetchmany(10)) == 10
        _forget(cur)
        conn.close()  # COM_QUIT with the rest unread
    with _gateway(mgw) as c, c.cursor() as cur2:
        cur2.execute("SELECT n FROM series ORDER BY n LIMIT 1")
        assert cur2.fetchall() == ((1,),)
    _wait_gone("n > 9")
