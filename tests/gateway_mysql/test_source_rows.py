"""Rows streamed from MariaDB by the MySQL connector (the gateway's usual source) come out of
its fast row parser exactly as aiomysql's own parser gives them, for every kind of column."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import aiomysql
import pytest

from backend.connectors.mysql import MySQLConnector
from tests.services import MARIADB_HOST, MARIADB_PORT, require_mariadb

_COLUMNS = """
    id int PRIMARY KEY, big bigint unsigned, small tinyint, price decimal(12,4),
    neg decimal(30,10), f float, d double, name varchar(300), body mediumtext, raw blob,
    bin varbinary(10), day date, at datetime(6), t time(6), y year, e enum('a','b'), b bit(3),
    doc json
"""
_ROWS = [
    "(1, 18446744073709551615, -128, 12345678.1234, -0.0000000001, 1.5, -2.25e-300, 'héllo',"
    " REPEAT('x', 70000), X'00FF', X'01', '2024-02-29', '2024-01-02 03:04:05.000006',"
    " '-838:59:59', 2024, 'b', b'101', '{\"k\": [1, 2]}')",
    "(2, 0, 0, 0, 0, 0, 0, REPEAT('é', 251), '', '', '', '1000-01-01', '1000-01-01 00:00:00',"
    " '00:00:00', 1901, 'a', b'0', 'null')",
    "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL)",
]


@pytest.fixture
async def database() -> AsyncIterator[str]:
    require_mariadb()
    name = "gwrows_" + secrets.token_hex(4)
    conn = await aiomysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root",
                                  autocommit=True)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            await cur.execute(f"CREATE TABLE `{name}`.t ({_COLUMNS})")
            await cur.execute(f"INSERT INTO `{name}`.t VALUES {', '.join(_ROWS)}")
        yield name
    finally:
        async with conn.cursor() as cur:
            await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


async def _reference_rows(database: str, sql: str) -> list[tuple[Any, ...]]:
    conn = await aiomysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root",
                                  db=database, autocommit=True)
    try:
        async with conn.cursor(aiomysql.SSCursor) as cur:
            await cur.execute(sql)
            return [tuple(r) for r in await cur.fetchall()]
    finally:
        conn.close()


async def test_streamed_rows_match_aiomysql(database: str) -> None:
    sql = "SELECT * FROM t ORDER BY id"
    expected = await _reference_rows(database, sql)
    connector = MySQLConnector(host=MARIADB_HOST, port=MARIADB_PORT, database=database,
                               user="root")
    try:
        result = await connector.execute(sql)
        try:
            got = [tuple(r) async for batch in result.rows(2) for r in batch]
        finally:
            await result.close()
    finally:
        await connector.close()
    assert len(expected) == 3 and expected[2] == (3,) + (None,) * 17
    for ours, theirs in zip(got, expected, strict=True):
        for a, b in zip(ours, theirs, strict=True):
            assert type(a) is type(b) and a == b
