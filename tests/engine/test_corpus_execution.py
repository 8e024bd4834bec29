"""Corpus cases with a hand-written reference, executed on DuckDB, PostgreSQL and MariaDB:
the compiled query must return the same rows as the reference."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services import PG_TEST_DSN, require_mariadb, require_postgres

from .corpus import Case, all_cases, case_params, compile_case
from .engines import (
    DuckRunner,
    MariaRunner,
    PostgresRunner,
    Runner,
    SqliteRunner,
    close_enough,
    normalise_rows,
    transpile_reference,
)

EXECUTED = [c for c in all_cases() if c.references and c.error is None]


@pytest.fixture(scope="module")
def duck() -> Iterator[DuckRunner]:
    runner = DuckRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def sqlite() -> Iterator[SqliteRunner]:
    runner = SqliteRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresRunner]:
    require_postgres()
    runner = PostgresRunner(PG_TEST_DSN)
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaRunner]:
    require_mariadb()
    runner = MariaRunner()
    yield runner
    runner.close()


def check(case: Case, runner: Runner) -> None:
    compiled = compile_case(case, runner.engine, runner.schema)
    native = case.references.get(runner.engine)
    reference = transpile_reference(
        native or case.references[""], runner.engine, runner.schema, native=native is not None
    )
    expected = normalise_rows(runner.run(reference), case.ordered)
    actual = normalise_rows(runner.run(compiled.sql), case.ordered)
    assert close_enough(actual, expected, case.tolerance), (
        f"{case.id} on {runner.engine}\ncompiled: {compiled.sql}\nreference: {reference}\n"
        f"actual[:5]: {actual[:5]}\nexpected[:5]: {expected[:5]}\n"
        f"rows: {len(actual)} vs {len(expected)}"
    )
    assert len(compiled.columns) == len(expected[0]) if expected else True


def test_corpus_executes_enough_cases() -> None:
    assert len(EXECUTED) >= 100


@pytest.mark.parametrize("case", case_params(EXECUTED, "duckdb"))
def test_duckdb(case: Case, duck: DuckRunner) -> None:
    check(case, duck)


# SQLite has no DATE_TRUNC/EXTRACT to write references with; those cases need a
# reference.sqlite of their own.
SQLITE = [
    c for c in EXECUTED
    if "sqlite" in c.references
    or not any(f in c.references[""].upper() for f in ("DATE_TRUNC", "EXTRACT"))
]


@pytest.mark.parametrize("case", case_params(SQLITE, "sqlite"))
def test_sqlite(case: Case, sqlite: SqliteRunner) -> None:
    check(case, sqlite)


@pytest.mark.postgres
@pytest.mark.parametrize("case", case_params(EXECUTED, "postgres"))
def test_postgres(case: Case, postgres: PostgresRunner) -> None:
    check(case, postgres)


@pytest.mark.mariadb
@pytest.mark.parametrize("case", case_params(EXECUTED, "mysql"))
def test_mariadb(case: Case, mariadb: MariaRunner) -> None:
    check(case, mariadb)
