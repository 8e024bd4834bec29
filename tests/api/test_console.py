"""The SQL API page's query console (``runQuery``): the SQL API's engine over GraphQL.

Driven as the browser does (GraphQL with the session cookie), answers compared with the demo
DuckDB file queried directly, authorisation checked from every side (another team's member
gets "not found" for every id), hostile statements contained exactly as on the wire (54001),
errors carrying their SQLSTATE, and the per-user metering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.api.features.console.runner import CONSOLE_KEY, close_console, console_state
from backend.core.services.console import ConsoleLimits

from .conftest import World

pytest.importorskip("duckdb")

DEMO = """mutation($input: CreateDemoDataSourceInput!) { createDemoDataSource(input: $input) {
  __typename ... on DataSource { id params } ... on UserError { code message } } }"""
DATA_SOURCES = """query($t: ID!) { dataSources(teamId: $t) { id name } }"""
RUN = """mutation($input: RunQueryInput!) { runQuery(input: $input) {
  __typename
  ... on QueryRun { tag kind columns { name type } rows rowLimit truncated compiledSql elapsedMs }
  ... on QueryError { code sqlstate message hint field } } }"""
CREATE_CRED = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { credential { id username } }
  ... on UserError { code message field } } }"""
ACCESS = """mutation($input: UpdateAccessListInput!) { updateAccessList(input: $input) {
  __typename ... on UserError { code message } } }"""


@pytest.fixture(autouse=True)
async def _close_console(app: Any) -> Any:
    yield
    await close_console(app.state.services)  # the test transport runs no lifespan


async def demo_source(app: Any, client: Any, team_id: str) -> str:
    from backend.connectors.demo import ensure_demo

    ensure_demo(app.state.settings.data_dir, order_items=200)  # small, made first: fast
    ds = (await client.gql(DEMO, input={"teamId": team_id}))["createDemoDataSource"]
    assert ds["__typename"] == "DataSource", ds
    return str(ds["id"])


async def run(client: Any, team_id: str, sql: str, **target: str) -> dict[str, Any]:
    r: dict[str, Any] = (await client.gql(RUN, input={"teamId": team_id, "sql": sql,
                                                      **target}))["runQuery"]
    return r


def duck(app: Any, sql: str) -> list[tuple[Any, ...]]:
    """The answer of the demo file itself, from a copy (the connector holds the original open,
    and DuckDB refuses a second connection with other settings in the same process)."""
    import shutil

    import duckdb

    from backend.connectors.demo import DEMO_FILE

    data_dir = Path(app.state.settings.data_dir)
    copy = data_dir / "oracle-copy.duckdb"
    if not copy.exists():
        shutil.copy(data_dir / DEMO_FILE, copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


async def test_demo_data_twice_makes_one_source(world: World, app: Any) -> None:
    first = await demo_source(app, world.owner, world.team_id)
    again = await demo_source(app, world.owner, world.team_id)
    assert again == first
    sources = (await world.owner.gql(DATA_SOURCES, t=world.team_id))["dataSources"]
    assert [s["id"] for s in sources] == [first]


async def test_console_answers_like_the_source(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    r = await run(world.owner, world.team_id,
                  "SELECT status, MEASURE(count) AS n FROM orders GROUP BY 1 ORDER BY 1",
                  dataSourceId=ds)
    assert r["__typename"] == "QueryRun", r
    expected = duck(app, "SELECT status, count(*) FROM orders GROUP BY 1 ORDER BY 1")
    assert r["rows"] == [[s, str(n)] for s, n in expected]
    assert [c["name"] for c in r["columns"]] == ["status", "n"]
    assert r["columns"][1]["type"] in ("int8", "numeric")
    assert r["kind"] == "engine" and r["tag"] == f"SELECT {len(expected)}"
    assert r["truncated"] is False and r["rowLimit"] == 1000
    assert r["elapsedMs"] >= 0
    # The compiled data-source SQL: the engine's, not the member's text.
    assert "MEASURE" not in r["compiledSql"].upper() and "orders" in r["compiledSql"]
    # Catalog queries go to the catalog sandbox and have no compiled SQL.
    cat = await run(world.owner, world.team_id,
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' ORDER BY 1", dataSourceId=ds)
    assert cat["__typename"] == "QueryRun", cat
    assert cat["kind"] == "catalog" and cat["compiledSql"] is None
    assert ["orders"] in cat["rows"]


async def test_rows_are_bounded(world: World, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.core.services import console

    ds = await demo_source(app, world.owner, world.team_id)
    total = duck(app, "SELECT count(*) FROM order_items")[0][0]
    monkeypatch.setattr(console, "ROW_LIMIT", 50)  # the small demo file has 200 items
    assert total > 50, total
    r = await run(world.owner, world.team_id, "SELECT id FROM order_items", dataSourceId=ds)
    assert r["__typename"] == "QueryRun", r
    assert len(r["rows"]) == 50 and r["truncated"] is True and r["rowLimit"] == 50
    # Within the bound: every row, not truncated.
    r = await run(world.owner, world.team_id, "SELECT id FROM order_items LIMIT 50",
                  dataSourceId=ds)
    assert len(r["rows"]) == 50 and r["truncated"] is False


async def test_errors_carry_sqlstate(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    cases = {
        "SELECT no_such_column FROM orders": "42703",
        "SELECT 1 FROM no_such_cube": "42P01",
        "DELETE FROM orders": "25006",
        "SELECT 1; SELECT 2": "42601",
        "SELEC 1": "42601",
    }
    for sql, state in cases.items():
        r = await run(world.owner, world.team_id, sql, dataSourceId=ds)
        assert r["__typename"] == "QueryError" and r["sqlstate"] == state, (sql, r)
        assert r["message"]


async def test_hostile_statements_are_contained_as_on_the_wire(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    or_chain = "SELECT MEASURE(count) FROM orders WHERE " + " OR ".join(
        f"id = {i}" for i in range(15_000))
    long_in = "SELECT MEASURE(count) FROM orders WHERE id IN (" + ", ".join(
        map(str, range(200_000))) + ")"
    deep = "SELECT " + "(" * 2_000 + "1" + ")" * 2_000
    for sql in (or_chain, long_in, deep):
        r = await run(world.owner, world.team_id, sql, dataSourceId=ds)
        assert r["__typename"] == "QueryError" and r["sqlstate"] == "54001", r
    # A long but reasonable statement is planned in a worker (past COMPILE_INLINE_BYTES).
    in_list = "SELECT MEASURE(count) FROM orders WHERE id IN (" + ", ".join(
        map(str, range(1, 3001))) + ")"
    r = await run(world.owner, world.team_id, in_list, dataSourceId=ds)
    assert r["__typename"] == "QueryRun", r
    expected = duck(app, "SELECT count(*) FROM orders WHERE id BETWEEN 1 AND 3000")[0][0]
    assert r["rows"] == [[str(expected)]]


async def test_members_use_their_own_access_only(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    mine = (await world.member.gql(CREATE_CRED, input={"memberId": world.ids["member"],
                                                       "dataSourceId": ds}))
    cred = mine["createSqlCredential"]["credential"]["id"]
    owners = (await world.owner.gql(CREATE_CRED, input={"memberId": world.ids["owner"],
                                                        "dataSourceId": ds}))
    owner_cred = owners["createSqlCredential"]["credential"]["id"]
    sql = "SELECT MEASURE(count) FROM orders"
    ok = await run(world.member, world.team_id, sql, credentialId=cred)
    assert ok["__typename"] == "QueryRun", ok
    # Not the owner's credential, even though it is in the same team.
    r = await run(world.member, world.team_id, sql, credentialId=owner_cred)
    assert r["__typename"] == "QueryError" and r["code"] == "NOT_FOUND", r
    # The member's role's access list applies, with or without a credential.
    assert (await world.owner.gql(ACCESS, input={
        "teamId": world.team_id, "role": "MEMBER", "allowed": ["customers"]}
    ))["updateAccessList"]["__typename"] == "AccessList"
    for target in ({"credentialId": cred}, {"dataSourceId": ds}):
        r = await run(world.member, world.team_id, sql, **target)
        assert r["__typename"] == "QueryError", r
        assert r["sqlstate"] in ("42501", "42P01"), r  # denied or hidden, as on the wire
    allowed = await run(world.owner, world.team_id, sql, dataSourceId=ds)
    assert allowed["__typename"] == "QueryRun"  # the owner's role is not restricted


async def test_another_team_gets_nothing(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    cred = (await world.owner.gql(CREATE_CRED, input={"memberId": world.ids["owner"],
                                                      "dataSourceId": ds})
            )["createSqlCredential"]["credential"]["id"]
    own_team = (await world.outsider.gql("{ viewer { teams { id } } }"))["viewer"]["teams"][0]
    sql = "SELECT MEASURE(count) FROM orders"
    attempts = [
        (world.team_id, {"dataSourceId": ds}),
        (world.team_id, {"credentialId": cred}),
        (own_team["id"], {"dataSourceId": ds}),
        (own_team["id"], {"credentialId": cred}),
    ]
    for team_id, target in attempts:
        r = await run(world.outsider, team_id, sql, **target)
        assert r["__typename"] == "QueryError" and r["code"] == "NOT_FOUND", (team_id, r)
        assert "rows" not in r


async def test_console_runs_are_metered_per_user(world: World, app: Any) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    services, _ = console_state(app.state.services)
    app.state.services.extra[CONSOLE_KEY] = (services, ConsoleLimits(runs_per_minute=2))
    sql = "SELECT MEASURE(count) FROM orders"
    for _ in range(2):
        assert (await run(world.owner, world.team_id, sql, dataSourceId=ds)
                )["__typename"] == "QueryRun"
    r = await run(world.owner, world.team_id, sql, dataSourceId=ds)
    assert r["__typename"] == "QueryError" and r["code"] == "RATE_LIMITED", r
    assert r["sqlstate"] == "53400"
    # Another user is not held back by it.
    assert (await run(world.admin, world.team_id, sql, dataSourceId=ds)
            )["__typename"] == "QueryRun"


CREATE_WITH_PASSWORD = """mutation($input: CreateSqlCredentialInput!) {
  createSqlCredential(input: $input) {
    __typename ... on SqlCredentialSecret { password credential { id username } }
    ... on UserError { code message } } }"""


async def test_console_answers_what_the_postgres_wire_answers(
    world: World, app: Any, metadata_url: str
) -> None:
    """Differential: the same statements through the console and through the PostgreSQL gateway
    (a real socket, psycopg, the credential's password) give the same rows and SQLSTATEs."""
    import dataclasses

    import psycopg

    from backend.core.db import make_engine
    from backend.core.services.feed import FeedSubscriber
    from gateway.server import start_pg_gateway

    ds = await demo_source(app, world.owner, world.team_id)
    made = (await world.member.gql(CREATE_WITH_PASSWORD, input={
        "memberId": world.ids["member"], "dataSourceId": ds}))["createSqlCredential"]
    assert made["__typename"] == "SqlCredentialSecret", made
    cred, password = made["credential"], made["password"]
    settings = dataclasses.replace(app.state.settings, pg_port=0, bind_host="127.0.0.1")
    engine = make_engine(metadata_url)
    feed = FeedSubscriber(engine, settings.secret_key, poll_interval=0.05)
    await feed.start()
    server = await start_pg_gateway(settings, feed)
    statements = [
        "SELECT status, MEASURE(count) AS n FROM orders GROUP BY 1 ORDER BY 1",
        "SELECT MEASURE(count) FROM orders WHERE status = 'completed'",
        "SELECT no_such_column FROM orders",
        "SELECT 1 FROM no_such_cube",
        "DELETE FROM orders",
        "SELECT " + "(" * 2_000 + "1" + ")" * 2_000,
    ]
    try:
        conn = await psycopg.AsyncConnection.connect(
            f"host=127.0.0.1 port={server.port} user={cred['username']} password={password} "
            "dbname=db sslmode=require", autocommit=True)
        try:
            for sql in statements:
                console = await run(world.member, world.team_id, sql, credentialId=cred["id"])
                try:
                    cur = await conn.execute(sql)
                    wire_rows = [[None if v is None else str(v) for v in row]
                                 for row in await cur.fetchall()]
                    assert console["__typename"] == "QueryRun", (sql, console)
                    assert console["rows"] == wire_rows, sql
                    assert [c["name"] for c in console["columns"]] == [
                        d.name for d in cur.description or []], sql
                except psycopg.Error as exc:
                    assert console["__typename"] == "QueryError", (sql, console)
                    assert console["sqlstate"] == exc.sqlstate, (sql, console)
        finally:
            await conn.close()
    finally:
        await server.stop()
        await feed.stop()
        await engine.dispose()
