"""No oracles in GraphQL: another team's ids look exactly like ids that do not exist.

Every query and mutation that takes an id is run from a stranger's account (signed up, with a
team and a credential of their own) twice: once with the real id of something in team A, once
with a random id. Both must answer NOT_FOUND with the same message and field — nothing in the
answer tells the two apart. The same holds inside a team for what a member may not see
(another member's credentials, the team's invitations, someone else's invitation).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import INVITE, TEAM, Client, World, add_source_with_models, unique_email

MODEL = """cubes:
  - name: orders
    sql_table: orders
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string }
    measures:
      - { name: count, type: count }
"""

CREATE_CRED = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on SqlCredentialSecret { credential { id } }
  ... on UserError { code message field } } }"""


@dataclass(frozen=True)
class Op:
    """One GraphQL operation taking ids; ``vars`` builds its variables from an id map."""

    name: str
    document: str
    field: str
    vars: Any
    mutation: bool = True


def m(name: str, input_type: str, field: str, vars: Any) -> Op:
    doc = (f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ __typename "
           "... on UserError { code message field } } }")
    return Op(name, doc, field, vars)


def q(name: str, args: str, selection: str, field: str, vars: Any) -> Op:
    params = ", ".join(f"${a}: ID!" for a in args.split(","))
    call = ", ".join(f"{a}: ${a}" for a in args.split(","))
    doc = f"query({params}) {{ {field}({call}) {selection} }}"
    return Op(name, doc, field, vars, mutation=False)


# Ids of team A: team, member (the member's membership), admin (the admin's membership),
# ds, version, cred (the admin's credential), inv (a pending invitation to someone else).
# "own_*" are the stranger's own team, membership, data source and credential.
OPERATIONS = [
    q("team", "id", "{ id }", "team", lambda i: {"id": i["team"]}),
    q("dataSources", "teamId", "{ id }", "dataSources", lambda i: {"teamId": i["team"]}),
    q("dataSource", "id", "{ id }", "dataSource", lambda i: {"id": i["ds"]}),
    q("dataSourceTables", "dataSourceId", "{ name }", "dataSourceTables",
      lambda i: {"dataSourceId": i["ds"]}),
    q("modelVersions", "dataSourceId", "{ id }", "modelVersions",
      lambda i: {"dataSourceId": i["ds"]}),
    q("modelVersion", "id", "{ id }", "modelVersion", lambda i: {"id": i["version"]}),
    q("accessLists", "teamId", "{ role }", "accessLists", lambda i: {"teamId": i["team"]}),
    q("sqlCredentials", "teamId", "{ id }", "sqlCredentials", lambda i: {"teamId": i["team"]}),
    q("sqlCredential", "id", "{ id }", "sqlCredential", lambda i: {"id": i["cred"]}),
    q("auditEvents", "teamId", "{ id }", "auditEvents", lambda i: {"teamId": i["team"]}),
    m("updateTeam", "UpdateTeamInput", "updateTeam",
      lambda i: {"id": i["team"], "name": "Mine now"}),
    m("deleteTeam", "DeleteTeamInput", "deleteTeam", lambda i: {"id": i["team"]}),
    m("inviteMember", "InviteMemberInput", "inviteMember",
      lambda i: {"teamId": i["team"], "email": "x@example.com", "role": "MEMBER"}),
    m("cancelInvitation", "CancelInvitationInput", "cancelInvitation",
      lambda i: {"invitationId": i["inv"]}),
    m("acceptInvitation", "AcceptInvitationInput", "acceptInvitation",
      lambda i: {"invitationId": i["inv"]}),
    m("declineInvitation", "DeclineInvitationInput", "declineInvitation",
      lambda i: {"invitationId": i["inv"]}),
    m("updateModelAuthoring", "UpdateModelAuthoringInput", "updateModelAuthoring",
      lambda i: {"teamId": i["team"], "authorRole": "MEMBER"}),
    m("updateMemberRole", "UpdateMemberRoleInput", "updateMemberRole",
      lambda i: {"memberId": i["member"], "role": "ADMIN"}),
    m("removeMember", "RemoveMemberInput", "removeMember", lambda i: {"memberId": i["member"]}),
    m("leaveTeam", "LeaveTeamInput", "leaveTeam", lambda i: {"teamId": i["team"]}),
    m("createDataSource", "CreateDataSourceInput", "createDataSource",
      lambda i: {"teamId": i["team"], "name": "x", "type": "POSTGRES",
                 "params": {"host": "db.example.com", "port": 5432, "database": "x",
                            "user": "x"}}),
    m("createDemoDataSource", "CreateDemoDataSourceInput", "createDemoDataSource",
      lambda i: {"teamId": i["team"]}),
    m("updateDataSource", "UpdateDataSourceInput", "updateDataSource",
      lambda i: {"id": i["ds"], "name": "x"}),
    m("deleteDataSource", "DeleteDataSourceInput", "deleteDataSource", lambda i: {"id": i["ds"]}),
    m("checkConnection(saved)", "CheckConnectionInput", "checkConnection",
      lambda i: {"dataSourceId": i["ds"]}),
    m("checkConnection(team)", "CheckConnectionInput", "checkConnection",
      lambda i: {"teamId": i["team"], "type": "POSTGRES",
                 "params": {"host": "db.example.com", "port": 5432, "database": "x",
                            "user": "x"}}),
    m("generateModels", "GenerateModelsInput", "generateModels",
      lambda i: {"dataSourceId": i["ds"]}),
    m("createModelVersion", "CreateModelVersionInput", "createModelVersion",
      lambda i: {"dataSourceId": i["ds"], "files": [{"name": "o.yml", "code": MODEL}]}),
    m("updateAccessList", "UpdateAccessListInput", "updateAccessList",
      lambda i: {"teamId": i["team"], "role": "MEMBER", "allowed": None}),
    m("createSqlCredential(their member)", "CreateSqlCredentialInput", "createSqlCredential",
      lambda i: {"memberId": i["member"], "dataSourceId": i["own_ds"]}),
    m("createSqlCredential(their source)", "CreateSqlCredentialInput", "createSqlCredential",
      lambda i: {"memberId": i["own_member"], "dataSourceId": i["ds"]}),
    m("rotateSqlCredentialPassword", "RotateSqlCredentialPasswordInput",
      "rotateSqlCredentialPassword", lambda i: {"id": i["cred"]}),
    m("updateSqlCredential", "UpdateSqlCredentialInput", "updateSqlCredential",
      lambda i: {"id": i["cred"], "memberId": i["own_member"]}),
    m("updateSqlCredential(to their member)", "UpdateSqlCredentialInput", "updateSqlCredential",
      lambda i: {"id": i["own_cred"], "memberId": i["member"]}),
    m("updateSqlCredential(to their source)", "UpdateSqlCredentialInput", "updateSqlCredential",
      lambda i: {"id": i["own_cred"], "dataSourceId": i["ds"]}),
    m("deleteSqlCredential", "DeleteSqlCredentialInput", "deleteSqlCredential",
      lambda i: {"id": i["cred"]}),
]

# The ids of team A an operation may name; the stranger's own ids stay real in both runs.
TEAM_A_KEYS = ("team", "member", "admin", "ds", "version", "cred", "inv")


async def outcome(client: Client, op: Op, ids: dict[str, str]) -> dict[str, Any]:
    """The error an operation answered with, as a client sees it (code, message, field)."""
    variables = op.vars(ids)
    if op.mutation:
        data = await client.gql(op.document, input=variables)
        result: dict[str, Any] = data[op.field]
        assert result["__typename"] == "UserError", (op.name, result)
        return {k: result[k] for k in ("code", "message", "field")}
    body = (await client.raw(op.document, **variables)).json()
    assert body["data"] is None and len(body["errors"]) == 1, (op.name, body)
    err = body["errors"][0]
    ext = err.get("extensions", {})
    return {"code": ext.get("code"), "message": err["message"], "field": ext.get("field"),
            "extensions": ext}


@pytest.fixture
async def ids(world: World, meta: async_sessionmaker[AsyncSession], tmp_path: Path
              ) -> dict[str, str]:
    """Team A with a data source, a model version, the admin's credential and an invitation;
    the outsider's own team, membership, data source and credential."""
    ds, version = await add_source_with_models(meta, world.team_id, tmp_path / "a.db",
                                               {"orders.yml": MODEL})
    cred = (await world.admin.gql(CREATE_CRED, input={
        "memberId": world.ids["admin"], "dataSourceId": ds}))["createSqlCredential"]
    inv = (await world.owner.gql(INVITE, input={"teamId": world.team_id,
                                                "email": unique_email("someone"),
                                                "role": "MEMBER"}))["inviteMember"]
    viewer = (await world.outsider.gql("{ viewer { teams { id } } }"))["viewer"]
    own_team = viewer["teams"][0]["id"]
    own_ds, _ = await add_source_with_models(meta, own_team, tmp_path / "b.db",
                                             {"orders.yml": MODEL})
    team = (await world.outsider.gql(TEAM, id=own_team))["team"]
    own_member = team["members"][0]["id"]
    own_cred = (await world.outsider.gql(CREATE_CRED, input={
        "memberId": own_member, "dataSourceId": own_ds}))["createSqlCredential"]
    return {"team": world.team_id, "member": world.ids["member"], "admin": world.ids["admin"],
            "ds": ds, "version": version, "cred": cred["credential"]["id"], "inv": inv["id"],
            "own_team": own_team, "own_member": own_member, "own_ds": own_ds,
            "own_cred": own_cred["credential"]["id"]}


def random_ids(ids: dict[str, str]) -> dict[str, str]:
    return {k: (str(uuid.uuid4()) if k in TEAM_A_KEYS else v) for k, v in ids.items()}


async def test_every_id_of_another_team_is_not_found_like_a_missing_one(
        world: World, ids: dict[str, str]) -> None:
    missing = random_ids(ids)
    for op in OPERATIONS:
        real = await outcome(world.outsider, op, ids)
        fake = await outcome(world.outsider, op, missing)
        assert real["code"] == "NOT_FOUND", (op.name, real)
        assert real == fake, op.name
    # Nothing was changed by any of it.
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert team["name"] == "Analytics" and len(team["members"]) == 3
    assert len(team["invitations"]) == 1


MEMBER_HIDDEN = [op for op in OPERATIONS if op.name in {
    "sqlCredential", "rotateSqlCredentialPassword", "deleteSqlCredential", "cancelInvitation",
    "acceptInvitation", "declineInvitation"}]


async def test_what_a_member_may_not_see_is_not_found_like_a_missing_one(
        world: World, ids: dict[str, str]) -> None:
    # The admin's credential and the team's invitations are hidden from members.
    missing = random_ids(ids)
    assert len(MEMBER_HIDDEN) == 6
    for op in MEMBER_HIDDEN:
        real = await outcome(world.member, op, ids)
        fake = await outcome(world.member, op, missing)
        assert real["code"] == "NOT_FOUND", (op.name, real)
        assert real == fake, op.name


async def test_model_version_ids_and_messages(world: World, ids: dict[str, str]) -> None:
    op = next(o for o in OPERATIONS if o.name == "modelVersion")
    got = await outcome(world.outsider, op, ids)
    assert got["message"] == "Model version not found." and got["field"] == "id"
    op = next(o for o in OPERATIONS if o.name == "acceptInvitation")
    got = await outcome(world.outsider, op, ids)
    assert got == {"code": "NOT_FOUND", "message": "Invitation not found.",
                   "field": "invitationId"}
