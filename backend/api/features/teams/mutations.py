from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Info
from backend.api.errors import UserError, in_transaction
from backend.api.features.teams.types import (
    CancelInvitationInput,
    CreateTeamInput,
    DeletedTeam,
    DeleteTeamInput,
    Invitation,
    InviteMemberInput,
    LeaveTeamInput,
    Member,
    RemoveMemberInput,
    Team,
    UpdateMemberRoleInput,
    UpdateTeamInput,
)
from backend.core.services import teams as svc

TeamResult = Annotated[Team | UserError, strawberry.union("TeamResult")]
DeleteTeamResult = Annotated[DeletedTeam | UserError, strawberry.union("DeleteTeamResult")]
MemberResult = Annotated[Member | UserError, strawberry.union("MemberResult")]
InviteMemberResult = Annotated[
    Member | Invitation | UserError, strawberry.union("InviteMemberResult")
]
InvitationResult = Annotated[Invitation | UserError, strawberry.union("InvitationResult")]


@strawberry.type
class TeamMutations:
    @strawberry.mutation
    async def create_team(self, info: Info, input: CreateTeamInput) -> TeamResult:
        async def work() -> Team:
            team = await svc.create_team(info.context.db, info.context.actor, input.name)
            return Team.from_model(team, "owner")

        return await in_transaction(info, work)

    @strawberry.mutation(description="Rename a team (owners only).")
    async def update_team(self, info: Info, input: UpdateTeamInput) -> TeamResult:
        async def work() -> Team:
            team = await svc.rename_team(info.context.db, info.context.actor, str(input.id),
                                         input.name)
            return Team.from_model(team, "owner")

        return await in_transaction(info, work)

    @strawberry.mutation(description="Delete a team and everything in it (owners only).")
    async def delete_team(self, info: Info, input: DeleteTeamInput) -> DeleteTeamResult:
        async def work() -> DeletedTeam:
            await svc.delete_team(info.context.db, info.context.actor, str(input.id))
            return DeletedTeam(id=input.id)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Add an existing user at once, or invite an unknown email.")
    async def invite_member(self, info: Info, input: InviteMemberInput) -> InviteMemberResult:
        async def work() -> Member | Invitation:
            result = await svc.invite_member(
                info.context.db, info.context.actor, str(input.team_id), input.email,
                input.role.value,
            )
            if result.member is not None:
                return Member.from_model(result.member)
            assert result.invitation is not None
            return Invitation.from_model(result.invitation)

        return await in_transaction(info, work)

    @strawberry.mutation
    async def cancel_invitation(self, info: Info, input: CancelInvitationInput) -> InvitationResult:
        async def work() -> Invitation:
            inv = await svc.cancel_invitation(info.context.db, info.context.actor,
                                              str(input.invitation_id))
            return Invitation.from_model(inv)

        return await in_transaction(info, work)

    @strawberry.mutation
    async def update_member_role(self, info: Info, input: UpdateMemberRoleInput) -> MemberResult:
        async def work() -> Member:
            m = await svc.update_member_role(info.context.db, info.context.actor,
                                             str(input.member_id), input.role.value)
            return Member.from_model(m)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Remove a member; their SQL credentials stop working.")
    async def remove_member(self, info: Info, input: RemoveMemberInput) -> MemberResult:
        async def work() -> Member:
            m = await svc.remove_member(info.context.db, info.context.actor, str(input.member_id))
            return Member.from_model(m)

        return await in_transaction(info, work)

    @strawberry.mutation
    async def leave_team(self, info: Info, input: LeaveTeamInput) -> MemberResult:
        async def work() -> Member:
            m = await svc.leave_team(info.context.db, info.context.actor, str(input.team_id))
            return Member.from_model(m)

        return await in_transaction(info, work)
