"""Access lists through GraphQL: who may read and change them, and what they accept."""

from __future__ import annotations

from tests.api.conftest import World

AUTHORS = """mutation($input: UpdateModelAuthoringInput!) { updateModelAuthoring(input: $input) {
  __typename ... on Team { modelAuthorRole } ... on UserError { code message field } } }"""
READ = """query($t: ID!) { accessLists(teamId: $t) { role allowed } }"""
UPDATE = """mutation($input: UpdateAccessListInput!) { updateAccessList(input: $input) {
  __typename ... on AccessList { role allowed } ... on UserError { code message field } } }"""


async def test_defaults_allow_everything(world: World) -> None:
    lists = (await world.admin.gql(READ, t=world.team_id))["accessLists"]
    assert {(x["role"], x["allowed"]) for x in lists} == {
        ("OWNER", None),
        ("ADMIN", None),
        ("MEMBER", None),
    }


async def test_members_read_only_their_own_roles_list(world: World) -> None:
    # Other roles' lists name cubes and members that may be hidden from members.
    await world.owner.gql(UPDATE, input={"teamId": world.team_id, "role": "MEMBER",
                                         "allowed": ["orders.count"]})
    lists = (await world.member.gql(READ, t=world.team_id))["accessLists"]
    assert lists == [{"role": "MEMBER", "allowed": ["orders.count"]}]


async def test_admin_restricts_members_and_a_member_cannot(world: World) -> None:
    r = await world.admin.gql(
        UPDATE,
        input={
            "teamId": world.team_id,
            "role": "MEMBER",
            "allowed": ["orders.count", "customers", "orders.count"],
        },
    )
    assert r["updateAccessList"] == {
        "__typename": "AccessList",
        "role": "MEMBER",
        "allowed": ["customers", "orders.count"],
    }
    lists = (await world.owner.gql(READ, t=world.team_id))["accessLists"]
    assert {"role": "MEMBER", "allowed": ["customers", "orders.count"]} in lists
    r = await world.member.gql(
        UPDATE, input={"teamId": world.team_id, "role": "MEMBER", "allowed": None}
    )
    assert r["updateAccessList"]["code"] == "FORBIDDEN"
    r = await world.outsider.gql(
        UPDATE, input={"teamId": world.team_id, "role": "MEMBER", "allowed": None}
    )
    assert r["updateAccessList"]["code"] == "NOT_FOUND"


async def test_only_an_owner_restricts_owners_and_entries_are_checked(world: World) -> None:
    for role in ("OWNER", "ADMIN"):
        r = await world.admin.gql(
            UPDATE, input={"teamId": world.team_id, "role": role, "allowed": []}
        )
        assert r["updateAccessList"]["code"] == "FORBIDDEN", role
    r = await world.owner.gql(AUTHORS, input={"teamId": world.team_id, "authorRole": "OWNER"})
    assert r["updateModelAuthoring"]["modelAuthorRole"] == "OWNER"
    r = await world.owner.gql(
        UPDATE, input={"teamId": world.team_id, "role": "ADMIN", "allowed": ["orders"]}
    )
    assert r["updateAccessList"]["allowed"] == ["orders"]
    r = await world.owner.gql(
        UPDATE,
        input={"teamId": world.team_id, "role": "ADMIN", "allowed": ["orders; DROP TABLE x"]},
    )
    assert r["updateAccessList"]["code"] == "INVALID_INPUT"
    assert r["updateAccessList"]["field"] == "allowed"
