"""Model authoring is a privilege: who may publish models is a team setting, a role that may
author models cannot have an access list (in either order), and everyone else sees the source
only through their access list — no raw tables, no model YAML, only the allowed cubes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.models import AccessList
from tests.api.conftest import World, add_source_with_models
from tests.api.test_datasources import create, make_sqlite

AUTHORS = """mutation($input: UpdateModelAuthoringInput!) { updateModelAuthoring(input: $input) {
  __typename ... on Team { modelAuthorRole } ... on UserError { code message field } } }"""
ACL = """mutation($input: UpdateAccessListInput!) { updateAccessList(input: $input) {
  __typename ... on AccessList { role allowed } ... on UserError { code message field } } }"""
SAVE = """mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) {
  __typename ... on ModelVersion { number } ... on UserError { code message field } } }"""
GENERATE = """mutation($input: GenerateModelsInput!) { generateModels(input: $input) {
  __typename ... on ModelVersion { number } ... on UserError { code message field } } }"""
TABLES = """query($id: ID!) { dataSourceTables(dataSourceId: $id) { schema name } }"""
TEAM = """query($id: ID!) { team(id: $id) { modelAuthorRole viewerCanAuthorModels } }"""
MODELS = """query($id: ID!) { dataSource(id: $id) { models { number files { name code }
  cubes { name members { name kind type } } } } }"""
VERSIONS = """query($id: ID!) { modelVersions(dataSourceId: $id) { id files { name } } }"""
VERSION = """query($id: ID!) { modelVersion(id: $id) { files { name }
  cubes { name members { name } } } }"""

MODEL = """cubes:
  - name: orders
    sql_table: orders
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string }
      - { name: note, sql: status, type: string, public: false }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum }
    segments:
      - { name: paid, sql: "{CUBE}.status = 'paid'" }
  - name: customers
    sql_table: customers
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: name, sql: name, type: string }
"""
# What an admin restricted to orders.count tried in the review: read a hidden column.
STEALING_MODEL = """cubes:
  - name: orders
    sql: SELECT id, name AS status FROM customers
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string }
    measures:
      - { name: count, type: count }
"""

ADMIN_CONFLICT = (
    "The admin role may publish models in this team, so an access list cannot restrict it: "
    "a model's SQL runs as the data source's own database user, so a role that may publish "
    "models reads everything that user can. First let only owners author models (team "
    "settings), then restrict the admin role.")
OWNER_CONFLICT = (
    "Owners always may publish models, so an access list cannot restrict them: a model's SQL "
    "runs as the data source's own database user, so a role that may publish models reads "
    "everything that user can.")
MEMBER_FORBIDDEN = (
    "In this team only owners and admins may publish models or read the data source's "
    "tables; you are member. An owner can change who may author models in the team settings.")
ADMIN_FORBIDDEN = (
    "In this team only owners may publish models or read the data source's tables; you are "
    "admin. An owner can change who may author models in the team settings.")


async def set_authors(world: World, role: str, by: str = "owner") -> dict[str, Any]:
    r: dict[str, Any] = (await world.as_role(by).gql(AUTHORS, input={
        "teamId": world.team_id, "authorRole": role}))["updateModelAuthoring"]
    return r


async def restrict(world: World, role: str, allowed: list[str] | None) -> dict[str, Any]:
    r: dict[str, Any] = (await world.owner.gql(ACL, input={
        "teamId": world.team_id, "role": role, "allowed": allowed}))["updateAccessList"]
    return r


async def test_default_authors_are_owners_and_admins(world: World, tmp_path: Path,
                                                     meta: async_sessionmaker[AsyncSession]
                                                     ) -> None:
    ds, _ = await add_source_with_models(meta, world.team_id, tmp_path / "none.db",
                                         {"orders.yml": MODEL})
    flags = {}
    for role in ("owner", "admin", "member"):
        flags[role] = (await world.as_role(role).gql(TEAM, id=world.team_id))["team"]
    assert {r: (f["modelAuthorRole"], f["viewerCanAuthorModels"]) for r, f in flags.items()} \
        == {"owner": ("ADMIN", True), "admin": ("ADMIN", True), "member": ("ADMIN", False)}
    files = [{"name": "orders.yml", "code": MODEL}]
    r = (await world.member.gql(SAVE, input={"dataSourceId": ds, "files": files}))
    assert r["createModelVersion"] == {"__typename": "UserError", "code": "FORBIDDEN",
                                       "message": MEMBER_FORBIDDEN, "field": None}
    r = (await world.admin.gql(SAVE, input={"dataSourceId": ds, "files": [
        {"name": "orders.yml", "code": MODEL + "# v2\n"}]}))
    assert r["createModelVersion"] == {"__typename": "ModelVersion", "number": 2}


async def test_an_authoring_role_cannot_be_restricted(world: World) -> None:
    assert await restrict(world, "ADMIN", ["orders.count"]) == {
        "__typename": "UserError", "code": "AUTHORING_CONFLICT", "message": ADMIN_CONFLICT,
        "field": "role"}
    assert await restrict(world, "OWNER", ["orders"]) == {
        "__typename": "UserError", "code": "AUTHORING_CONFLICT", "message": OWNER_CONFLICT,
        "field": "role"}
    # Clearing a list (null) is always allowed, and members are restrictable by default.
    assert (await restrict(world, "ADMIN", None))["__typename"] == "AccessList"
    assert (await restrict(world, "MEMBER", ["orders"]))["allowed"] == ["orders"]


async def test_a_restricted_role_cannot_be_made_an_author(world: World) -> None:
    assert (await restrict(world, "MEMBER", ["orders"]))["__typename"] == "AccessList"
    r = await set_authors(world, "MEMBER")
    assert r == {"__typename": "UserError", "code": "AUTHORING_CONFLICT", "field": "authorRole",
                 "message": "The member role has an access list, and a role that may publish "
                            "models reads everything the data source's own database user "
                            "can. Clear the member role's access list first, or let fewer "
                            "roles author models."}
    assert (await restrict(world, "MEMBER", None))["__typename"] == "AccessList"
    assert (await set_authors(world, "MEMBER"))["modelAuthorRole"] == "MEMBER"
    member = await restrict(world, "MEMBER", ["orders"])
    assert member["code"] == "AUTHORING_CONFLICT"


async def test_only_owners_change_who_authors(world: World) -> None:
    r = await set_authors(world, "OWNER", by="admin")
    assert r == {"__typename": "UserError", "code": "FORBIDDEN", "field": None,
                 "message": "This needs the owner role in the team; you are admin."}
    assert (await set_authors(world, "OWNER", by="member"))["code"] == "FORBIDDEN"
    assert (await set_authors(world, "OWNER", by="outsider"))["code"] == "NOT_FOUND"
    assert (await set_authors(world, "OWNER"))["modelAuthorRole"] == "OWNER"


async def test_a_restricted_admin_cannot_publish_sql_past_the_list(
        world: World, tmp_path: Path, meta: async_sessionmaker[AsyncSession]) -> None:
    """The review's finding: a restricted admin saved a model whose sql read hidden columns."""
    ds, _ = await add_source_with_models(meta, world.team_id, tmp_path / "none.db",
                                         {"orders.yml": MODEL})
    assert (await set_authors(world, "OWNER"))["modelAuthorRole"] == "OWNER"
    assert (await restrict(world, "ADMIN", ["orders.count"]))["__typename"] == "AccessList"
    r = await world.admin.gql(SAVE, input={"dataSourceId": ds, "files": [
        {"name": "orders.yml", "code": STEALING_MODEL}]})
    assert r["createModelVersion"] == {"__typename": "UserError", "code": "FORBIDDEN",
                                       "message": ADMIN_FORBIDDEN, "field": None}
    r = await world.admin.gql(GENERATE, input={"dataSourceId": ds})
    assert r["generateModels"]["code"] == "FORBIDDEN"
    versions = (await world.owner.gql(VERSIONS, id=ds))["modelVersions"]
    assert len(versions) == 1  # everyone's results are unchanged
    # And back: authoring for admins again is refused while admins are restricted.
    assert (await set_authors(world, "ADMIN"))["code"] == "AUTHORING_CONFLICT"


async def test_data_written_before_the_rule_fails_closed(
        world: World, tmp_path: Path, meta: async_sessionmaker[AsyncSession]) -> None:
    ds, _ = await add_source_with_models(meta, world.team_id, tmp_path / "none.db",
                                         {"orders.yml": MODEL})
    async with meta() as db:  # an admin list next to admin authoring: the old, unsafe state
        db.add(AccessList(team_id=world.team_id, role="admin", allowed=["orders.count"]))
        await db.commit()
    team = (await world.admin.gql(TEAM, id=world.team_id))["team"]
    assert team == {"modelAuthorRole": "ADMIN", "viewerCanAuthorModels": False}
    r = await world.admin.gql(SAVE, input={"dataSourceId": ds, "files": [
        {"name": "orders.yml", "code": STEALING_MODEL}]})
    assert r["createModelVersion"]["code"] == "AUTHORING_CONFLICT"
    assert r["createModelVersion"]["message"].startswith(
        "The admin role has an access list, so it cannot publish models")
    models = (await world.admin.gql(MODELS, id=ds))["dataSource"]["models"]
    assert models["files"] == []
    assert [c["name"] for c in models["cubes"]] == ["orders"]


async def test_members_see_only_the_cubes_their_list_allows(
        world: World, tmp_path: Path, meta: async_sessionmaker[AsyncSession]) -> None:
    ds, version = await add_source_with_models(meta, world.team_id, tmp_path / "none.db",
                                               {"orders.yml": MODEL})
    assert (await restrict(world, "MEMBER", ["orders.count", "orders.status"]))["allowed"]
    seen = (await world.member.gql(MODELS, id=ds))["dataSource"]["models"]
    assert seen == {"number": 1, "files": [], "cubes": [
        {"name": "orders", "members": [{"name": "status", "kind": "dimension", "type": "string"},
                                       {"name": "count", "kind": "measure", "type": "count"}]}]}
    assert (await world.member.gql(VERSIONS, id=ds))["modelVersions"] == [
        {"id": version, "files": []}]
    assert (await world.member.gql(VERSION, id=version))["modelVersion"] == {
        "files": [], "cubes": [{"name": "orders", "members": [{"name": "status"},
                                                              {"name": "count"}]}]}
    # Unrestricted members still get cubes, not YAML; hidden (public: false) members stay out.
    assert (await restrict(world, "MEMBER", None))["allowed"] is None
    seen = (await world.member.gql(MODELS, id=ds))["dataSource"]["models"]
    assert seen["files"] == []
    assert {c["name"]: [m["name"] for m in c["members"]] for c in seen["cubes"]} == {
        "orders": ["id", "status", "count", "amount", "paid"], "customers": ["id", "name"]}
    # Authors read the files.
    admin = (await world.admin.gql(MODELS, id=ds))["dataSource"]["models"]
    assert admin["files"] == [{"name": "orders.yml", "code": MODEL}]
    assert [c["name"] for c in admin["cubes"]] == ["orders", "customers"]


async def test_raw_tables_are_for_authors(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "files" / world.team_id  # the team's own folder (DATA_DIR/files/<id>)
    folder.mkdir(parents=True)
    ds = await create(world.owner, world.team_id, "SQLITE",
                      {"path": str(make_sqlite(folder / "shop.sqlite"))})
    assert ds["__typename"] == "DataSource", ds
    tables = (await world.admin.gql(TABLES, id=ds["id"]))["dataSourceTables"]
    assert {t["name"] for t in tables} == {"customers", "orders"}
    body = (await world.member.raw(TABLES, id=ds["id"])).json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == MEMBER_FORBIDDEN
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
