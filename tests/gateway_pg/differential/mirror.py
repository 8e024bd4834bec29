"""A database on the real PostgreSQL that mirrors what the gateway's catalog shows.

One table per visible cube in ``public``: the same column names, types and order, the same
primary key, and COMMENTs equal to the descriptions the gateway's catalog gives. Created fresh
(a unique name) for a run and dropped after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import sql

from backend.semantic.model import ALLOW_ALL, AccessPolicy, ModelSet
from backend.semantic.validate import check_models
from gateway.catalog.visible import VisibleTable, visible_tables
from tests.gateway_common import MODEL
from tests.services import PG_ADMIN_DSN

# The PostgreSQL spelling of each type name the catalog uses.
PG_DDL_TYPE = {"text": "text", "numeric": "numeric", "int8": "bigint", "int4": "integer",
               "int2": "smallint", "float8": "double precision", "float4": "real",
               "bool": "boolean", "date": "date", "timestamp": "timestamp",
               "timestamptz": "timestamptz", "time": "time", "interval": "interval",
               "uuid": "uuid", "json": "json", "bytea": "bytea"}


def model_tables(model: str = MODEL, access: AccessPolicy = ALLOW_ALL,
                 models: ModelSet | None = None) -> list[VisibleTable]:
    if models is None:
        models, problems = check_models({"orders.yml": model})
        assert not problems, problems
    return visible_tables(models, access)


def ddl(tables: list[VisibleTable]) -> list[sql.Composed]:
    out: list[sql.Composed] = []
    for t in tables:
        cols = [sql.SQL("{} {}{}").format(
            sql.Identifier(c.name), sql.SQL(PG_DDL_TYPE[c.pg_type]),
            sql.SQL(" NOT NULL") if c.primary_key else sql.SQL(""))
            for c in t.columns]
        pk = [sql.Identifier(c.name) for c in t.columns if c.primary_key]
        if pk:
            cols.append(sql.SQL("CONSTRAINT {} PRIMARY KEY ({})").format(
                sql.Identifier(f"{t.name}_pkey"), sql.SQL(", ").join(pk)))
        out.append(sql.SQL("CREATE TABLE public.{} ({})").format(
            sql.Identifier(t.name), sql.SQL(", ").join(cols)))
        if t.description:
            out.append(sql.SQL("COMMENT ON TABLE public.{} IS {}").format(
                sql.Identifier(t.name), sql.Literal(t.description)))
        for c in t.columns:
            if c.description:
                out.append(sql.SQL("COMMENT ON COLUMN public.{}.{} IS {}").format(
                    sql.Identifier(t.name), sql.Identifier(c.name), sql.Literal(c.description)))
    return out


@dataclass(frozen=True)
class Mirror:
    name: str

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:5432/{self.name}"


@contextmanager
def mirror_database(tables: list[VisibleTable]) -> Iterator[Mirror]:
    name = f"msql_diff_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        with psycopg.connect(Mirror(name).dsn, autocommit=True) as conn:
            for statement in ddl(tables):
                conn.execute(statement)
        yield Mirror(name)
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
