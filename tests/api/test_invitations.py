"""Invitations are offers: nobody joins a team, or gets a credential bound to them, without
accepting; the answer does not tell whether an account exists; nobody is made owner by
invitation; invitations expire. Driven through GraphQL as inviter, invitee and stranger."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.models import Invitation, utcnow
from tests.api.conftest import (
    ACCEPT,
    DECLINE,
    INVITE,
    MY_INVITATIONS,
    TEAM,
    World,
    unique_email,
)

CREATE_CRED = """mutation($input: CreateSqlCredentialInput!) { createSqlCredential(input: $input) {
  __typename ... on UserError { code message field } } }"""
CANCEL = """mutation($input: CancelInvitationInput!) { cancelInvitation(input: $input) {
  __typename ... on Invitation { id } ... on UserError { code message field } } }"""
AUDIT = """query($t: ID!) { auditEvents(teamId: $t) { action target } }"""
TEAMS = """{ viewer { teams { id role } } }"""


async def invite(world: World, email: str, role: str = "MEMBER", by: str = "owner"
                 ) -> dict[str, Any]:
    r: dict[str, Any] = (await world.as_role(by).gql(INVITE, input={
        "teamId": world.team_id, "email": email, "role": role}))["inviteMember"]
    return r


async def test_an_existing_account_is_not_added_until_it_accepts(world: World,
                                                                 client_factory: Any) -> None:
    victim = client_factory()
    email = unique_email("victim")
    await victim.sign_up(email, name="Vic")
    r = await invite(world, email, "ADMIN")
    assert r["__typename"] == "Invitation" and r["role"] == "ADMIN"
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert email not in [m["user"]["email"] for m in team["members"]]
    assert {"email": email, "role": "ADMIN"} in team["invitations"]
    teams = (await victim.gql(TEAMS))["viewer"]["teams"]
    assert world.team_id not in [t["id"] for t in teams]
    # Nothing to bind a credential to: the invitation is not a member.
    cred = (await world.owner.gql(CREATE_CRED, input={
        "memberId": r["id"], "dataSourceId": r["id"]}))["createSqlCredential"]
    assert cred == {"__typename": "UserError", "code": "NOT_FOUND",
                    "message": "Member not found.", "field": "memberId"}
    actions = [(e["action"], e["target"])
               for e in (await world.owner.gql(AUDIT, t=world.team_id))["auditEvents"]]
    assert ("member.invited", email) in actions
    assert not [a for a in actions if a[0] in ("member.added", "member.joined")
                and a[1] == email]
    # The invitee sees the offer, accepts, and only now is a member.
    mine = (await victim.gql(MY_INVITATIONS))["viewer"]["invitations"]
    assert [(i["id"], i["role"], i["team"]["name"]) for i in mine] == [
        (r["id"], "ADMIN", "Analytics")]
    joined = (await victim.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert joined["viewerRole"] == "ADMIN"
    teams = (await victim.gql(TEAMS))["viewer"]["teams"]
    assert {"id": world.team_id, "role": "ADMIN"} in teams
    assert (await victim.gql(MY_INVITATIONS))["viewer"]["invitations"] == []
    # Used up: accepting twice finds nothing.
    again = (await victim.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert again["code"] == "NOT_FOUND"


def _shape(r: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in r.items() if k != "id"}


async def test_the_answer_is_the_same_whether_or_not_the_account_exists(
        world: World, client_factory: Any) -> None:
    existing = unique_email("exists")
    await client_factory().sign_up(existing)
    absent = unique_email("exists")  # same shape, no account
    a = await invite(world, existing)
    b = await invite(world, absent)
    assert a["__typename"] == b["__typename"] == "Invitation"
    assert _shape(a) == {**_shape(b), "email": existing}
    full = """mutation($input: InviteMemberInput!) { inviteMember(input: $input) {
      __typename ... on Invitation { email role createdAt expiresAt } } }"""
    fa = (await world.owner.gql(full, input={"teamId": world.team_id, "email": existing,
                                             "role": "MEMBER"}))["inviteMember"]
    fb = (await world.owner.gql(full, input={"teamId": world.team_id, "email": absent,
                                             "role": "MEMBER"}))["inviteMember"]
    assert set(fa) == set(fb)
    # Refusals do not differ either.
    for role, code in (("OWNER", "INVALID_INPUT"),):
        ra = await invite(world, existing, role)
        rb = await invite(world, absent, role)
        assert ra == rb and ra["code"] == code


async def test_nobody_is_made_owner_by_invitation(world: World, client_factory: Any) -> None:
    email = unique_email("boss")
    await client_factory().sign_up(email)
    r = await invite(world, email, "OWNER")
    assert r == {"__typename": "UserError", "code": "INVALID_INPUT", "field": "role",
                 "message": "Nobody becomes owner by invitation: invite them as admin or "
                            "member, and make them owner once they have joined."}
    r = await invite(world, email, "OWNER", by="admin")
    assert r == {"__typename": "UserError", "code": "FORBIDDEN", "field": "role",
                 "message": "Only an owner can make someone an owner."}
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert team["invitations"] == []


async def test_decline_and_reinvite(world: World, client_factory: Any) -> None:
    invitee = client_factory()
    email = unique_email("no")
    await invitee.sign_up(email)
    r = await invite(world, email)
    declined = (await invitee.gql(DECLINE, input={"invitationId": r["id"]}))["declineInvitation"]
    assert declined == {"__typename": "ReceivedInvitation", "id": r["id"], "role": "MEMBER",
                        "team": {"id": world.team_id, "name": "Analytics"}}
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert team["invitations"] == [] and len(team["members"]) == 3
    accept = (await invitee.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert accept == {"__typename": "UserError", "code": "NOT_FOUND",
                      "message": "Invitation not found.", "field": "invitationId"}
    again = await invite(world, email)
    assert again["__typename"] == "Invitation"


async def test_only_the_invitee_answers_an_invitation(world: World, client_factory: Any
                                                     ) -> None:
    email = unique_email("right")
    await client_factory().sign_up(email)
    r = await invite(world, email)
    for who in ("outsider", "member", "admin", "owner"):
        for doc, field in ((ACCEPT, "acceptInvitation"), (DECLINE, "declineInvitation")):
            got = (await world.as_role(who).gql(doc, input={"invitationId": r["id"]}))[field]
            assert got == {"__typename": "UserError", "code": "NOT_FOUND",
                           "message": "Invitation not found.", "field": "invitationId"}, who
    assert (await world.outsider.gql(MY_INVITATIONS))["viewer"]["invitations"] == []


async def test_owners_and_admins_list_and_revoke_members_cannot(world: World,
                                                               client_factory: Any) -> None:
    invitee = client_factory()
    email = unique_email("rev")
    await invitee.sign_up(email)
    r = await invite(world, email)
    team = (await world.member.gql(TEAM, id=world.team_id))["team"]
    assert team["invitations"] == []  # members do not see invitations
    refused = (await world.member.gql(CANCEL, input={"invitationId": r["id"]}))
    assert refused["cancelInvitation"] == {"__typename": "UserError", "code": "NOT_FOUND",
                                           "message": "Invitation not found.",
                                           "field": "invitationId"}
    done = (await world.admin.gql(CANCEL, input={"invitationId": r["id"]}))["cancelInvitation"]
    assert done == {"__typename": "Invitation", "id": r["id"]}
    assert (await invitee.gql(MY_INVITATIONS))["viewer"]["invitations"] == []
    accept = (await invitee.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert accept["code"] == "NOT_FOUND"


async def test_invitations_expire_after_14_days(world: World, client_factory: Any,
                                               meta: async_sessionmaker[AsyncSession]) -> None:
    invitee = client_factory()
    email = unique_email("late")
    await invitee.sign_up(email)
    r = await invite(world, email)
    async with meta() as db:
        await db.execute(update(Invitation).where(Invitation.id == r["id"]).values(
            created_at=utcnow() - timedelta(days=14, minutes=1)))
        await db.commit()
    assert (await invitee.gql(MY_INVITATIONS))["viewer"]["invitations"] == []
    team = (await world.owner.gql(TEAM, id=world.team_id))["team"]
    assert team["invitations"] == []
    accept = (await invitee.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert accept == {"__typename": "UserError", "code": "NOT_FOUND",
                      "message": "Invitation not found.", "field": "invitationId"}
    # Inviting again renews the offer.
    again = await invite(world, email)
    assert again["id"] == r["id"]
    mine = (await invitee.gql(MY_INVITATIONS))["viewer"]["invitations"]
    assert [i["id"] for i in mine] == [r["id"]]


async def test_inviting_a_member_again_is_a_conflict(world: World) -> None:
    r = await invite(world, world.emails["member"])
    assert r == {"__typename": "UserError", "code": "CONFLICT", "field": "email",
                 "message": "This person is already a member of the team."}
