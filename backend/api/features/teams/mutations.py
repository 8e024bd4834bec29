from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Info
from backend.api.errors import UserError, in_transaction
from backend.api.features.teams.types import (
    AcceptInvitationInput,
    CancelInvitationInput,
    CreateTeamInput,
    DeclineInvitationInput,
    DeletedTeam,
    DeleteTeamInput,
    Invitation,
    InviteMemberInput,
    LeaveTeamInput,
    Member,
    ReceivedInvitation,
    RemoveMemberInput,
    Team,
    UpdateMemberRoleInput,
    UpdateModelAuthoringInput,
    UpdateTeamInput,
)
from backend.core.services import authoring
from backend.core.services import teams as svc

TeamResult = Annotated[Team | UserError, strawberry.union("TeamResult")]
DeleteTeamResult = Annotated[DeletedTeam | UserError, strawberry.union("DeleteTeamResult")]
MemberResult = Annotated[Member | UserError, strawberry.union("MemberResult")]
InviteMemberResult = Annotated[
    Member | Invitation | UserError, strawberry.union("InviteMemberResult")
]
InvitationResult = Annotated[Invitation | UserError, strawberry.union("InvitationResult")]
AcceptInvitationResult = Annotated[Team | UserError, strawberry.union("AcceptInvitationResult")]
DeclineInvitationResult = Annotated[
    ReceivedInvitation | UserError, strawberry.union("DeclineInvitationResult")
]


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

    @strawberry.mutation(description=(
        "Offer a role (ADMIN or MEMBER) to an email address. The answer is always an "
        "Invitation, whether or not the email has an account; nobody joins until they "
        "accept. (The union keeps Member for older clients; it is no longer returned.)"))
    async def invite_member(self, info: Info, input: InviteMemberInput) -> InviteMemberResult:
        async def work() -> Member | Invitation:
            inv = await svc.invite_member(
                info.context.db, info.context.actor, str(input.team_id), input.email,
                input.role.value,
            )
            return Invitation.from_model(inv)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Withdraw a pending invitation (owners and admins).")
    async def cancel_invitation(self, info: Info, input: CancelInvitationInput) -> InvitationResult:
        async def work() -> Invitation:
            inv = await svc.cancel_invitation(info.context.db, info.context.actor,
                                              str(input.invitation_id))
            return Invitation.from_model(inv)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Accept an invitation addressed to you: join its team.")
    async def accept_invitation(self, info: Info, input: AcceptInvitationInput
                                ) -> AcceptInvitationResult:
        async def work() -> Team:
            team, member = await svc.accept_invitation(info.context.db, info.context.actor,
                                                       str(input.invitation_id))
            return Team.from_model(team, member.role)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Decline an invitation addressed to you.")
    async def decline_invitation(self, info: Info, input: DeclineInvitationInput
                                 ) -> DeclineInvitationResult:
        async def work() -> ReceivedInvitation:
            r = await svc.decline_invitation(info.context.db, info.context.actor,
                                             str(input.invitation_id))
            return ReceivedInvitation.from_data(r)

        return await in_transaction(info, work)

    @strawberry.mutation(description="Choose the least role that may publish models (owners "
                                     "only); refused while such a role has an access list.")
    async def update_model_authoring(self, info: Info, input: UpdateModelAuthoringInput
                                     ) -> TeamResult:
        async def work() -> Team:
            team = await authoring.set_model_author_role(
                info.context.db, info.context.actor, str(input.team_id),
                input.author_role.value)
            return Team.from_model(team, "owner")

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
