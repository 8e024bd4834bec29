"""SQL credentials through GraphQL, role by role, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

import pytest

from backend.core.scram import ScramVerifier, verify_plaintext
from tests.credentials.conftest import World

CRED_FIELDS = """id username member { id role } dataSource { id name } createdAt updatedAt
  lastUsedAt openSessions downloadPath
  connection { postgres { host port database username command uri jdbcUrl sqlalchemyUrl }
               mysql { host port database username command uri jdbcUrl sqlalchemyUrl } }"""
CREATE = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { password downloadToken credential { FIELDS } }
  ... on UserError { code message field } } }""".replace("FIELDS", CRED_FIELDS)
ROTATE = """mutation($input: RotateSqlCredentialPasswordInput!) {
  rotateSqlCredentialPassword(input: $input) {
  __typename ... on SqlCredentialSecret { password downloadToken credential { FIELDS } }
  ... on UserError { code message field } } }""".replace("FIELDS", CRED_FIELDS)
UPDATE = """mutation($input: UpdateSqlCredentialInput!) { updateSqlCredential(input: $input) {
  __typename ... on SqlCredential { FIELDS } ... on UserError { code message field } } }""".replace(
    "FIELDS", CRED_FIELDS)
DELETE = """mutation($input: DeleteSqlCredentialInput!) { deleteSqlCredential(input: $input) {
  __typename ... on SqlCredential { FIELDS } ... on UserError { code message field } } }""".replace(
    "FIELDS", CRED_FIELDS)
LIST = """query($teamId: ID!) { sqlCredentials(teamId: $teamId) { FIELDS } }""".replace(
    "FIELDS", CRED_FIELDS)
AUDIT = """query($teamId: ID!) { auditEvents(teamId: $teamId, limit: 50) {
  id action target actor { email } detail clientAddr createdAt } }"""

ACTORS = ("owner", "admin", "member", "outsider")
TARGETS = ("owner", "admin", "member")
# May <actor> create a credential acting as <target>? (None: the team is invisible to them.)
BIND = {
    "owner": {"owner": "ok", "admin": "ok", "member": "ok"},
    "admin": {"owner": "FORBIDDEN", "admin": "ok", "member": "ok"},
    "member": {"owner": "FORBIDDEN", "admin": "FORBIDDEN", "member": "ok"},
    "outsider": {"owner": "NOT_FOUND", "admin": "NOT_FOUND", "member": "NOT_FOUND"},
}


async def create(world: World, by: str, target: str, ds: int = 0) -> dict[str, Any]:
    r = (await world[by].gql(CREATE, input={"memberId": world.members[target],
                                            "dataSourceId": world.ds[ds]}))
    result: dict[str, Any] = r["createSqlCredential"]
    return result


async def create_ok(world: World, target: str) -> dict[str, Any]:
    r = await create(world, "owner", target)
    assert r["__typename"] == "SqlCredentialSecret", r
    return r


@pytest.mark.parametrize("actor", ACTORS)
async def test_create(world: World, actor: str) -> None:
    for target in TARGETS:
        r = await create(world, actor, target)
        expected = BIND[actor][target]
        if expected == "ok":
            assert r["__typename"] == "SqlCredentialSecret", (actor, target, r)
            cred = r["credential"]
            assert cred["member"]["id"] == world.members[target]
            assert cred["dataSource"]["id"] == world.ds[0]
        else:
            assert r["__typename"] == "UserError" and r["code"] == expected, (actor, target, r)


async def test_member_cannot_bind_a_credential_to_the_owner(world: World) -> None:
    """The reference product's escalation: refused, and nothing was created."""
    r = await create(world, "member", "owner")
    assert r == {"__typename": "UserError", "code": "FORBIDDEN", "field": "memberId",
                 "message": r["message"]}
    listed = (await world["owner"].gql(LIST, teamId=world.team_id))["sqlCredentials"]
    assert listed == []
    audit = (await world["owner"].gql(AUDIT, teamId=world.team_id))["auditEvents"]
    assert not [e for e in audit if e["action"].startswith("credential.")]


async def test_generated_username_password_and_verifier(world: World,
                                                        maker: Any) -> None:
    r = await create_ok(world, "member")
    username, password = r["credential"]["username"], r["password"]
    assert re.fullmatch(r"[0-9a-z]{10}", username)
    assert len(password) >= 26 and password.isalnum()
    from sqlalchemy import select

    from backend.core.models import SqlCredential
    async with maker() as db:
        stored = await db.scalar(select(SqlCredential.verifier)
                                 .where(SqlCredential.username == username))
    assert stored.startswith("SCRAM-SHA-256$4096:")
    assert verify_plaintext(ScramVerifier.parse(stored), password)
    assert not verify_plaintext(ScramVerifier.parse(stored), password + "x")
    other = await create_ok(world, "member")
    assert other["credential"]["username"] != username and other["password"] != password


async def test_connection_details(world: World) -> None:
    cred = (await create_ok(world, "admin"))["credential"]
    u = cred["username"]
    pg, my = cred["connection"]["postgres"], cred["connection"]["mysql"]
    assert pg == {
        "host": "sql.example.test", "port": 15432, "database": "db", "username": u,
        "command": f'psql "host=sql.example.test port=15432 dbname=db user={u} sslmode=require"',
        "uri": f"postgresql://{u}@sql.example.test:15432/db?sslmode=require",
        "jdbcUrl": f"jdbc:postgresql://sql.example.test:15432/db?user={u}&sslmode=require",
        "sqlalchemyUrl": f"postgresql+psycopg://{u}@sql.example.test:15432/db?sslmode=require",
    }
    assert my["command"] == f"mysql -h sql.example.test -P 13306 -u {u} -p --ssl db"
    assert my["port"] == 13306 and my["uri"] == f"mysql://{u}@sql.example.test:13306/db"
    assert cred["openSessions"] == 0 and cred["lastUsedAt"] is None


async def test_data_source_of_another_team(world: World) -> None:
    r = (await world["owner"].gql(CREATE, input={"memberId": world.members["member"],
                                                 "dataSourceId": world.other_ds}))
    assert r["createSqlCredential"]["code"] == "NOT_FOUND"
    assert r["createSqlCredential"]["field"] == "dataSourceId"


@pytest.mark.parametrize("actor", ACTORS)
async def test_list(world: World, actor: str) -> None:
    own = {t: (await create_ok(world, t))["credential"]["id"] for t in TARGETS}
    r = await world[actor].raw(LIST, teamId=world.team_id)
    body = r.json()
    if actor == "outsider":
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        return
    ids = {c["id"] for c in body["data"]["sqlCredentials"]}
    if actor == "member":
        assert ids == {own["member"]}
    else:
        assert ids == set(own.values())


@pytest.mark.parametrize("actor", ACTORS)
async def test_rotate(world: World, actor: str) -> None:
    creds = {t: await create_ok(world, t) for t in TARGETS}
    for target in TARGETS:
        before = creds[target]
        r = (await world[actor].gql(ROTATE, input={"id": before["credential"]["id"]})
             )["rotateSqlCredentialPassword"]
        if actor == "outsider" or (actor == "member" and target != "member"):
            assert r["code"] == "NOT_FOUND", (actor, target, r)
        elif BIND[actor][target] != "ok":
            assert r["code"] == "FORBIDDEN", (actor, target, r)
        else:
            assert r["__typename"] == "SqlCredentialSecret", (actor, target, r)
            assert r["password"] != before["password"]
            assert r["credential"]["username"] == before["credential"]["username"]


@pytest.mark.parametrize("actor", ACTORS)
async def test_delete(world: World, actor: str) -> None:
    creds = {t: (await create_ok(world, t))["credential"]["id"] for t in TARGETS}
    for target in TARGETS:
        r = (await world[actor].gql(DELETE, input={"id": creds[target]}))["deleteSqlCredential"]
        if actor == "outsider" or (actor == "member" and target != "member"):
            assert r["code"] == "NOT_FOUND", (actor, target, r)
        else:
            # Owners and admins manage every credential; deleting obtains nothing.
            assert r["__typename"] == "SqlCredential" and r["id"] == creds[target]
    remaining = {c["id"] for c in (await world["owner"].gql(LIST, teamId=world.team_id)
                                   )["sqlCredentials"]}
    if actor == "outsider":
        assert remaining == set(creds.values())
    elif actor == "member":
        assert remaining == {creds["owner"], creds["admin"]}
    else:
        assert remaining == set()


@pytest.mark.parametrize("actor", ACTORS)
async def test_update_moves_between_members_and_data_sources(world: World, actor: str) -> None:
    mine = (await create_ok(world, actor if actor != "outsider" else "member"))["credential"]
    r = (await world[actor].gql(UPDATE, input={"id": mine["id"], "dataSourceId": world.ds[1]})
         )["updateSqlCredential"]
    if actor == "outsider":
        assert r["code"] == "NOT_FOUND"
        return
    assert r["dataSource"]["id"] == world.ds[1] and r["username"] == mine["username"]
    assert r["updatedAt"] >= mine["updatedAt"]
    for target in TARGETS:
        r = (await world[actor].gql(UPDATE, input={"id": mine["id"],
                                                   "memberId": world.members[target]})
             )["updateSqlCredential"]
        if actor == "member" and target != "member":
            # Moving their own credential to someone else would bind it to them.
            assert r["code"] == "FORBIDDEN", (actor, target, r)
        elif BIND[actor][target] != "ok":
            assert r["code"] == "FORBIDDEN", (actor, target, r)
        else:
            assert r["member"]["id"] == world.members[target], (actor, target, r)
            mine = r
            if actor == "admin" and target == "member":
                break  # keep it where the admin can still move it


async def test_update_refuses_another_teams_data_source_and_member(world: World) -> None:
    cred = (await create_ok(world, "member"))["credential"]
    r = (await world["owner"].gql(UPDATE, input={"id": cred["id"], "dataSourceId": world.other_ds})
         )["updateSqlCredential"]
    assert r["code"] == "NOT_FOUND"
    outsider_member = world.team.members["outsider"]  # the owner of another team
    r = (await world["owner"].gql(UPDATE, input={"id": cred["id"], "memberId": outsider_member})
         )["updateSqlCredential"]
    assert r["code"] == "NOT_FOUND"


@pytest.mark.parametrize("actor,allowed", [("owner", True), ("admin", True),
                                           ("member", False), ("outsider", False)])
async def test_audit_events(world: World, actor: str, allowed: bool) -> None:
    cred = (await create_ok(world, "member"))["credential"]
    await world["member"].gql(UPDATE, input={"id": cred["id"], "dataSourceId": world.ds[1]})
    await world["member"].gql(ROTATE, input={"id": cred["id"]})
    await world["member"].gql(DELETE, input={"id": cred["id"]})
    r = (await world[actor].raw(AUDIT, teamId=world.team_id)).json()
    if not allowed:
        assert r["errors"][0]["extensions"]["code"] == ("FORBIDDEN" if actor == "member"
                                                       else "NOT_FOUND")
        return
    events = [e for e in r["data"]["auditEvents"] if e["target"] == cred["username"]]
    assert [e["action"] for e in events] == ["credential.deleted", "credential.rotated",
                                            "credential.updated", "credential.created"]
    assert all(e["clientAddr"] == "127.0.0.1" for e in events)
    assert events[1]["actor"]["email"].startswith("member-")


async def test_not_logged_in(client_factory: Any, world: World) -> None:
    anon = client_factory()
    r = (await anon.gql(CREATE, input={"memberId": world.members["member"],
                                       "dataSourceId": world.ds[0]}))["createSqlCredential"]
    assert r["code"] == "NOT_AUTHENTICATED"


async def test_removing_a_member_or_data_source_revokes_credentials(world: World) -> None:
    await create_ok(world, "member")
    other = (await create_ok(world, "admin"))["credential"]
    await world["owner"].gql("""mutation($input: RemoveMemberInput!) { removeMember(input: $input)
        { __typename } }""", input={"memberId": world.members["member"]})
    listed = {c["id"] for c in (await world["owner"].gql(LIST, teamId=world.team_id)
                                )["sqlCredentials"]}
    assert listed == {other["id"]}
    r = (await world["owner"].gql("""mutation($input: DeleteDataSourceInput!) {
        deleteDataSource(input: $input) { __typename } }""", input={"id": world.ds[0]}))
    assert r["deleteDataSource"]["__typename"] == "DataSource"
    assert (await world["owner"].gql(LIST, teamId=world.team_id))["sqlCredentials"] == []


async def test_moving_to_another_member_resets_the_password(world: World, maker: Any) -> None:
    """The password known to the old holder must not carry the new holder's access."""
    from sqlalchemy import select

    from backend.core.models import SqlCredential

    created = await create_ok(world, "member")
    cred, old_password = created["credential"], created["password"]

    async def verifier() -> str:
        async with maker() as db:
            value: str = await db.scalar(select(SqlCredential.verifier)
                                         .where(SqlCredential.id == cred["id"]))
            return value

    # Moving to another data source keeps the password (same holder).
    await world["admin"].gql(UPDATE, input={"id": cred["id"], "dataSourceId": world.ds[1]})
    assert verify_plaintext(ScramVerifier.parse(await verifier()), old_password)
    r = (await world["owner"].gql(UPDATE, input={"id": cred["id"],
                                                 "memberId": world.members["admin"]}))
    assert r["updateSqlCredential"]["member"]["id"] == world.members["admin"]
    assert not verify_plaintext(ScramVerifier.parse(await verifier()), old_password)
    rotated = (await world["admin"].gql(ROTATE, input={"id": cred["id"]}))
    new_password = rotated["rotateSqlCredentialPassword"]["password"]
    assert verify_plaintext(ScramVerifier.parse(await verifier()), new_password)
