"""The query console (``runQuery``) attacked as someone who simply signed up: a stranger with
their own team, and a member of a team who may not author its models. Driven as the browser
does (GraphQL with the session cookie over the app's HTTP interface)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import World
from .test_console import ACCESS, CREATE_CRED, demo_source, run

pytest.importorskip("duckdb")

# A 310-byte statement: GROUP BY CUBE of six keys over a subquery grouped by CUBE of six keys
# compiles the inner query once per outer grouping set (64 x 64 cube queries, ~1 MB of SQL,
# ~10 s). It is shorter than COMPILE_INLINE_BYTES, so it was planned on the web tier's event
# loop, which the console shares with every other request.
_KEYS = "status, id, customer_id, channel, created_at, shipped_at"
_INNER = f"SELECT {_KEYS}, COUNT(*) c FROM orders GROUP BY CUBE({_KEYS})"


async def test_a_non_author_sees_no_model_sql(world: World, app: Any) -> None:
    """Non-authors see the source only through their access list (docs/security.md: model
    versions show them no files). The compiled SQL is the model's SQL — source tables,
    dimension and cube expressions — so the console must not hand it to them; the wire
    gateways never show it to anyone."""
    ds = await demo_source(app, world.owner, world.team_id)
    sql = "SELECT status, MEASURE(count) FROM orders GROUP BY 1"
    member = await run(world.member, world.team_id, sql, dataSourceId=ds)
    assert member["__typename"] == "QueryRun", member
    assert member["rows"]
    assert member["compiledSql"] is None, member["compiledSql"]
    # A restricted admin is not an author either (fail closed).
    assert (await world.owner.gql(ACCESS, input={
        "teamId": world.team_id, "role": "ADMIN", "allowed": ["orders"]}
    ))["updateAccessList"]["__typename"] in ("AccessList", "UserError")
    # Authors still see it (the owner always authors).
    owner = await run(world.owner, world.team_id, sql, dataSourceId=ds)
    assert owner["__typename"] == "QueryRun" and owner["compiledSql"], owner


async def test_a_non_author_sees_no_model_sql_through_their_credential(
    world: World, app: Any
) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    made = (await world.member.gql(CREATE_CRED, input={"memberId": world.ids["member"],
                                                       "dataSourceId": ds}))
    cred = made["createSqlCredential"]["credential"]["id"]
    r = await run(world.member, world.team_id, "SELECT MEASURE(count) FROM orders",
                  credentialId=cred)
    assert r["__typename"] == "QueryRun", r
    assert r["compiledSql"] is None, r["compiledSql"]


async def test_a_multiplying_statement_is_refused_not_run_on_the_loop(
    world: World, app: Any
) -> None:
    ds = await demo_source(app, world.owner, world.team_id)
    sql = f"SELECT {_KEYS}, SUM(c) c FROM ({_INNER}) t GROUP BY CUBE({_KEYS})"
    assert len(sql) <= app.state.settings.compile_inline_bytes, len(sql)
    r = await run(world.member, world.team_id, sql, dataSourceId=ds)
    assert r["__typename"] == "QueryError" and r["sqlstate"] == "54001", r
    # The session goes on answering.
    ok = await run(world.owner, world.team_id, "SELECT MEASURE(count) FROM orders",
                   dataSourceId=ds)
    assert ok["__typename"] == "QueryRun", ok


async def test_a_stranger_reaches_nothing_of_another_team(world: World, app: Any) -> None:
    """The outsider's own team and demo source; the victim team's ids in every combination,
    and what the outsider's own (working) source answers for the victim's cube names."""
    ds = await demo_source(app, world.owner, world.team_id)
    own_team = (await world.outsider.gql("{ viewer { teams { id } } }"))["viewer"]["teams"][0]
    own_ds = await demo_source(app, world.outsider, own_team["id"])
    assert own_ds != ds
    made = (await world.owner.gql(CREATE_CRED, input={"memberId": world.ids["owner"],
                                                      "dataSourceId": ds}))
    victim_cred = made["createSqlCredential"]["credential"]["id"]
    sql = "SELECT MEASURE(count) FROM orders"
    for team_id, target in [
        (world.team_id, {"dataSourceId": own_ds}),
        (own_team["id"], {"dataSourceId": ds}),
        (own_team["id"], {"credentialId": victim_cred}),
        (world.team_id, {"credentialId": victim_cred}),
        (world.team_id, {"dataSourceId": ds, "credentialId": victim_cred}),
        (own_team["id"], {"dataSourceId": own_ds, "credentialId": victim_cred}),
    ]:
        r = await run(world.outsider, team_id, sql, **target)
        assert r["__typename"] == "QueryError" and r["code"] == "NOT_FOUND", (team_id, r)
    # Their own source works, and is their own demo file.
    mine = await run(world.outsider, own_team["id"], sql, dataSourceId=own_ds)
    assert mine["__typename"] == "QueryRun", mine


async def test_source_errors_do_not_carry_the_compiled_sql(world: World, app: Any) -> None:
    """A statement that fails on the data source (a cast of text to integer) must not return
    the source's error text with the compiled SQL or the source's table names in it to a
    member who may not see the model."""
    ds = await demo_source(app, world.owner, world.team_id)
    r = await run(world.member, world.team_id,
                  "SELECT CAST(status AS INTEGER) FROM orders", dataSourceId=ds)
    assert r["__typename"] == "QueryError", r
    text = f"{r['message']} {r['hint']}".lower()
    assert "main." not in text and "select" not in text and "line 1" not in text, r


async def test_access_list_holds_in_every_new_construct(world: World, app: Any) -> None:
    """A member whose list allows only customers: orders is not reachable through FILTER,
    windows, grouping sets, key-column joins or a join with a subquery."""
    ds = await demo_source(app, world.owner, world.team_id)
    assert (await world.owner.gql(ACCESS, input={
        "teamId": world.team_id, "role": "MEMBER", "allowed": ["customers"]}
    ))["updateAccessList"]["__typename"] == "AccessList"
    for sql in [
        "SELECT COUNT(*) FILTER (WHERE o.status = 'x') FROM customers c JOIN orders o "
        "ON o.customer_id = c.id",
        "SELECT ROW_NUMBER() OVER (ORDER BY o.id) FROM orders o",
        "SELECT status, COUNT(*) FROM orders GROUP BY ROLLUP(status)",
        "SELECT c.id FROM customers c JOIN (SELECT customer_id FROM orders) t "
        "ON t.customer_id = c.id",
        "WITH t AS (SELECT * FROM orders) SELECT * FROM customers c JOIN t ON t.id = c.id",
        "SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id",
    ]:
        r = await run(world.member, world.team_id, sql, dataSourceId=ds)
        assert r["__typename"] == "QueryError", (sql, r)
        assert r["sqlstate"] in ("42P01", "42501"), (sql, r)
