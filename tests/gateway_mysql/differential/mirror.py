"""A database on the real MariaDB that mirrors what the MySQL gateway's catalog shows.

One table per visible cube: the same column names, order and types (as the catalog spells them,
``mysql_type_name``), the same primary key, NOT NULL on key columns, and the column and table
comments the catalog gives. Created fresh for a run under a unique name (character set utf8mb4,
collation utf8mb4_general_ci, what the gateway reports) and dropped after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pymysql

from backend.semantic.model import ALLOW_ALL, AccessPolicy
from backend.semantic.validate import check_models
from gateway.engine.types import VirtualTable
from gateway.mysql.metadata import quote_identifier
from gateway.mysql.tables import catalog_tables
from gateway.mysql.values import mysql_type_name
from tests.gateway_common import MODEL
from tests.services import MARIADB_HOST, MARIADB_PORT


def model_tables(model: str = MODEL, access: AccessPolicy = ALLOW_ALL) -> list[VirtualTable]:
    """The tables the gateway shows for ``model`` (the same function its sessions use)."""
    models, problems = check_models({"orders.yml": model})
    assert not problems, problems
    return catalog_tables(models, access, "duckdb")


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def ddl(tables: list[VirtualTable]) -> list[str]:
    out = []
    for t in tables:
        cols = []
        for c in t.columns:
            line = f"{quote_identifier(c.name)} {mysql_type_name(c.type)}"
            line += " NOT NULL" if c.primary_key else " NULL"
            if c.description:
                line += f" COMMENT {_string(c.description)}"
            cols.append(line)
        keys = [quote_identifier(c.name) for c in t.columns if c.primary_key]
        if keys:
            cols.append(f"PRIMARY KEY ({', '.join(keys)})")
        statement = f"CREATE TABLE {quote_identifier(t.name)} ({', '.join(cols)})"
        if t.description:
            statement += f" COMMENT={_string(t.description)}"
        out.append(statement)
    return out


@dataclass(frozen=True)
class Mirror:
    name: str

    def connect(self, **options: Any) -> pymysql.Connection[Any]:
        return pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", password="",
                               database=self.name, charset="utf8mb4", autocommit=True,
                               **options)


@contextmanager
def mirror_database(tables: list[VirtualTable]) -> Iterator[Mirror]:
    name = f"msql_diff_{uuid.uuid4().hex[:10]}"
    admin = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", password="",
                            autocommit=True)
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                        "COLLATE utf8mb4_general_ci")
        try:
            with Mirror(name).connect() as conn, conn.cursor() as cur:
                for statement in ddl(tables):
                    cur.execute(statement)
            yield Mirror(name)
        finally:
            with admin.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        admin.close()
