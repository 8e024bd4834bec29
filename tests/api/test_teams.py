"""Teams and members through GraphQL, role by role, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import (
    ACCEPT,
    CREATE_TEAM,
    INVITE,
    MY_INVITATIONS,
    TEAM,
    World,
    unique_email,
)

UPDATE_ROLE = """mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) {
  __typename ... on Member { id role } ... on UserError { code message } } }"""
REMOVE = """mutation($input: RemoveMemberInput!) { removeMember(input: $input) {
  __typename ... on Member { id } ... on UserError { code message } } }"""
LEAVE = """mutation($input: LeaveTeamInput!) { leaveTeam(input: $input) {
  __typename ... on Member { id } ... on UserError { code message } } }"""
RENAME = """mutation($input: UpdateTeamInput!) { updateTeam(input: $input) {
  __typename ... on Team { name } ... on UserError { code message } } }"""
DELETE = """mutation($input: DeleteTeamInput!) { deleteTeam(input: $input) {
  __typename ... on DeletedTeam { id } ... on UserError { code message } } }"""



async def test_each_role_reads_the_team_and_an_outsider_cannot(world: World) -> None:
    for role in ("owner", "admin", "member"):
        team = (await world.as_role(role).gql(TEAM, id=world.team_id))["team"]
        assert team["viewerRole"] == role.upper()
        assert len(team["members"]) == 3
    r = await world.outsider.raw(TEAM, id=world.team_id)
    body = r.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("role,allowed", [("owner", True), ("admin", True), ("member", False),
                                          ("outsider", False)])
async def test_invite(world: World, role: str, allowed: bool) -> None:
    r = (await world.as_role(role).gql(INVITE, input={
        "teamId": world.team_id, "email": unique_email("new"), "role": "MEMBER"}))["inviteMember"]
    if allowed:
        assert r["__typename"] == "Invitation" and r["role"] == "MEMBER"
    else:
        assert r["__typename"] == "UserError"
        assert r["code"] == ("FORBIDDEN" if role == "member" else "NOT_FOUND")


async def test_an_invitation_to_a_new_email_waits_for_the_new_account(
        world: World, client_factory: Any) -> None:
    email = unique_email("later")
    r = (await world.admin.gql(INVITE, input={"teamId": world.team_id, "email": email,
                                              "role": "ADMIN"}))["inviteMember"]
    assert r["__typename"] == "Invitation"
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert {"email": email, "role": "ADMIN"} in team["invitations"]
    newcomer = client_factory()
    viewer = await newcomer.sign_up(email)
    # Signing up joins nothing: the invitation is an offer the new account answers.
    assert [t["name"] for t in viewer["teams"]] == ["Ann's team"]
    mine = (await newcomer.gql(MY_INVITATIONS))["viewer"]["invitations"]
    assert mine == [{"id": r["id"], "role": "ADMIN", "invitedBy": "Admin",
                     "team": {"id": world.team_id, "name": "Analytics"}}]
    accepted = (await newcomer.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert accepted == {"__typename": "Team", "id": world.team_id, "name": "Analytics",
                        "viewerRole": "ADMIN"}
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert team["invitations"] == []
    assert len(team["members"]) == 4


async def test_admin_cannot_make_an_owner_but_an_owner_can(world: World) -> None:
    r = (await world.admin.gql(UPDATE_ROLE, input={"memberId": world.ids["member"],
                                                   "role": "OWNER"}))["updateMemberRole"]
    assert r["code"] == "FORBIDDEN"
    r = (await world.admin.gql(INVITE, input={"teamId": world.team_id,
                                              "email": unique_email(), "role": "OWNER"}))
    assert r["inviteMember"]["code"] == "FORBIDDEN"
    r = (await world.owner.gql(UPDATE_ROLE, input={"memberId": world.ids["member"],
                                                   "role": "OWNER"}))["updateMemberRole"]
    assert r["role"] == "OWNER"


@pytest.mark.parametrize("role,allowed", [("owner", True), ("admin", True), ("member", False),
                                          ("outsider", False)])
async def test_change_role(world: World, role: str, allowed: bool) -> None:
    r = (await world.as_role(role).gql(UPDATE_ROLE, input={
        "memberId": world.ids["member"], "role": "ADMIN"}))["updateMemberRole"]
    if allowed:
        assert r["role"] == "ADMIN"
    else:
        assert r["code"] == ("FORBIDDEN" if role == "member" else "NOT_FOUND")


async def test_admin_cannot_touch_the_owner(world: World) -> None:
    r = (await world.admin.gql(UPDATE_ROLE, input={"memberId": world.ids["owner"],
                                                   "role": "MEMBER"}))["updateMemberRole"]
    assert r["code"] == "FORBIDDEN"
    r = (await world.admin.gql(REMOVE, input={"memberId": world.ids["owner"]}))["removeMember"]
    assert r["code"] == "FORBIDDEN"


async def test_last_owner_stays(world: World) -> None:
    r = (await world.owner.gql(UPDATE_ROLE, input={"memberId": world.ids["owner"],
                                                   "role": "ADMIN"}))["updateMemberRole"]
    assert r["code"] == "CONFLICT"
    r = (await world.owner.gql(LEAVE, input={"teamId": world.team_id}))["leaveTeam"]
    assert r["code"] == "CONFLICT"


@pytest.mark.parametrize("role,allowed", [("owner", True), ("admin", True), ("member", False),
                                          ("outsider", False)])
async def test_remove_member(world: World, role: str, allowed: bool) -> None:
    # A member removing their own membership is leaving (allowed), so they try the admin.
    target = world.ids["admin"] if role == "member" else world.ids["member"]
    r = (await world.as_role(role).gql(REMOVE, input={"memberId": target}))
    if allowed:
        assert r["removeMember"]["__typename"] == "Member"
        r2 = await world.member.raw(TEAM, id=world.team_id)
        assert r2.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    else:
        assert r["removeMember"]["code"] == ("FORBIDDEN" if role == "member" else "NOT_FOUND")


async def test_member_can_leave(world: World) -> None:
    r = (await world.member.gql(LEAVE, input={"teamId": world.team_id}))["leaveTeam"]
    assert r["__typename"] == "Member"
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert len(team["members"]) == 2


@pytest.mark.parametrize("role,allowed", [("owner", True), ("admin", False), ("member", False),
                                          ("outsider", False)])
async def test_rename_and_delete_team(world: World, role: str, allowed: bool) -> None:
    c = world.as_role(role)
    renamed = (await c.gql(RENAME, input={"id": world.team_id, "name": "Renamed"}))["updateTeam"]
    deleted = (await c.gql(DELETE, input={"id": world.team_id}))["deleteTeam"]
    if allowed:
        assert renamed["name"] == "Renamed"
        assert deleted["__typename"] == "DeletedTeam"
        r = await world.admin.raw(TEAM, id=world.team_id)
        assert r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    else:
        expected = "NOT_FOUND" if role == "outsider" else "FORBIDDEN"
        assert renamed["code"] == expected and deleted["code"] == expected
        team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
        assert team["name"] == "Analytics"


async def test_personal_team_cannot_be_deleted_or_left(client_factory: Any) -> None:
    c = client_factory()
    viewer = await c.sign_up()
    personal = viewer["teams"][0]["id"]
    assert (await c.gql(DELETE, input={"id": personal}))["deleteTeam"]["code"] == "FORBIDDEN"
    assert (await c.gql(LEAVE, input={"teamId": personal}))["leaveTeam"]["code"] == "FORBIDDEN"


async def test_not_logged_in_is_refused(client_factory: Any) -> None:
    r = (await client_factory().gql(CREATE_TEAM, input={"name": "X"}))["createTeam"]
    assert r["code"] == "NOT_AUTHENTICATED"


async def test_invalid_role_and_names(world: World) -> None:
    r = await world.owner.raw(INVITE, input={"teamId": world.team_id, "email": unique_email(),
                                             "role": "GOD"})
    assert "errors" in r.json()
    r2 = (await world.owner.gql(CREATE_TEAM, input={"name": "x" * 101}))["createTeam"]
    assert r2["code"] == "INVALID_INPUT" and r2["field"] == "name"
    r3 = (await world.owner.gql(INVITE, input={"teamId": world.team_id,
                                               "email": world.emails["admin"], "role": "MEMBER"}))
    assert r3["inviteMember"]["code"] == "CONFLICT"


async def test_unknown_emails_cannot_be_invited_as_owner(world: World) -> None:
    r = (await world.owner.gql(INVITE, input={"teamId": world.team_id, "email": unique_email(),
                                              "role": "OWNER"}))["inviteMember"]
    assert r["code"] == "INVALID_INPUT" and r["field"] == "role"


async def test_expired_invitations_are_not_honoured(world: World, app: Any,
                                                    client_factory: Any) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from backend.core.models import Invitation, utcnow

    email = unique_email("late")
    r = (await world.owner.gql(INVITE, input={"teamId": world.team_id, "email": email,
                                              "role": "ADMIN"}))["inviteMember"]
    assert r["__typename"] == "Invitation"
    async with app.state.sessionmaker() as db:
        await db.execute(update(Invitation).where(Invitation.email == email)
                         .values(created_at=utcnow() - timedelta(days=15)))
        await db.commit()
    viewer = await client_factory().sign_up(email)
    assert [t["name"] for t in viewer["teams"]] != ["Analytics"]
    assert all(t["name"] != "Analytics" for t in viewer["teams"])
