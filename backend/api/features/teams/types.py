from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend.api.context import Info
from backend.api.features.accounts.types import TeamRole
from backend.core.models import Invitation as InvitationModel
from backend.core.models import Member as MemberModel
from backend.core.models import Team as TeamModel
from backend.core.models import User as UserModel
from backend.core.services import datasources as datasource_service
from backend.core.services import teams as team_service
from backend.core.services.authoring import is_author
from backend.core.services.authz import membership

if TYPE_CHECKING:
    from backend.api.features.credentials.types import SqlCredential
    from backend.api.features.datasources.types import DataSource

DataSourceRef = Annotated["DataSource", strawberry.lazy("backend.api.features.datasources.types")]
SqlCredentialRef = Annotated[
    "SqlCredential", strawberry.lazy("backend.api.features.credentials.types")
]


@strawberry.type
class UserRef:
    id: strawberry.ID
    email: str
    display_name: str

    @classmethod
    def from_model(cls, user: UserModel) -> UserRef:
        return cls(id=strawberry.ID(user.id), email=user.email, display_name=user.display_name)


@strawberry.type
class Member:
    id: strawberry.ID
    role: TeamRole
    user: UserRef
    created_at: datetime

    @classmethod
    def from_model(cls, m: MemberModel) -> Member:
        return cls(id=strawberry.ID(m.id), role=TeamRole(m.role), user=UserRef.from_model(m.user),
                   created_at=m.created_at)


@strawberry.type(description="A pending offer to join the team, as its owners and admins see "
                             "it. Nobody joins until the invitee accepts.")
class Invitation:
    id: strawberry.ID
    email: str
    role: TeamRole
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_model(cls, inv: InvitationModel) -> Invitation:
        return cls(id=strawberry.ID(inv.id), email=inv.email, role=TeamRole(inv.role),
                   created_at=inv.created_at,
                   expires_at=team_service.invitation_expires_at(inv))


@strawberry.type(description="The team an invitation is for.")
class InvitingTeam:
    id: strawberry.ID
    name: str


@strawberry.type(description="An invitation addressed to the viewer: accept or decline it.")
class ReceivedInvitation:
    id: strawberry.ID
    role: TeamRole
    team: InvitingTeam
    invited_by: str | None = strawberry.field(description="The inviter's display name.")
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_data(cls, r: team_service.ReceivedInvitation) -> ReceivedInvitation:
        inv = r.invitation
        return cls(id=strawberry.ID(inv.id), role=TeamRole(inv.role),
                   team=InvitingTeam(id=strawberry.ID(r.team.id), name=r.team.name),
                   invited_by=r.invited_by, created_at=inv.created_at,
                   expires_at=team_service.invitation_expires_at(inv))


@strawberry.type
class Team:
    id: strawberry.ID
    name: str
    personal: bool
    viewer_role: TeamRole
    created_at: datetime
    model_author_role: TeamRole = strawberry.field(
        description="The least role that may publish model versions and read the source's "
                    "tables (owners always may). Such a role cannot have an access list: a "
                    "model's SQL runs as the data source's own database user."
    )

    @strawberry.field(description="Whether the viewer may publish models (and read model "
                                  "files and the source's tables).")
    async def viewer_can_author_models(self, info: Info) -> bool:
        me = await membership(info.context.db, info.context.actor, str(self.id))
        return await is_author(info.context.db, me)

    @strawberry.field
    async def members(self, info: Info) -> list[Member]:
        rows = await team_service.list_members(info.context.db, info.context.actor, str(self.id))
        return [Member.from_model(m) for m in rows]

    @strawberry.field(description="Pending invitations (owners and admins only; else empty).")
    async def invitations(self, info: Info) -> list[Invitation]:
        if self.viewer_role == TeamRole.MEMBER:
            return []
        rows = await team_service.list_invitations(
            info.context.db, info.context.actor, str(self.id)
        )
        return [Invitation.from_model(i) for i in rows]

    @strawberry.field
    async def data_sources(self, info: Info) -> list[DataSourceRef]:
        from backend.api.features.datasources.types import DataSource

        rows = await datasource_service.list_data_sources(
            info.context.db, info.context.actor, str(self.id)
        )
        return [DataSource.from_model(ds) for ds in rows]

    @strawberry.field(description="Owners and admins see every credential; members their own.")
    async def sql_credentials(self, info: Info) -> list[SqlCredentialRef]:
        from backend.api.features.credentials.types import SqlCredential
        from backend.core.services import credentials as credential_service

        views = await credential_service.list_credentials(
            info.context.db, info.context.actor, str(self.id)
        )
        return [SqlCredential.from_view(info.context.settings, v) for v in views]

    @classmethod
    def from_model(cls, team: TeamModel, role: str) -> Team:
        return cls(id=strawberry.ID(team.id), name=team.name, personal=team.personal,
                   viewer_role=TeamRole(role), created_at=team.created_at,
                   model_author_role=TeamRole(team.model_author_role))


@strawberry.input
class CreateTeamInput:
    name: str


@strawberry.input
class UpdateTeamInput:
    id: strawberry.ID
    name: str


@strawberry.input
class DeleteTeamInput:
    id: strawberry.ID


@strawberry.input
class InviteMemberInput:
    team_id: strawberry.ID
    email: str
    role: TeamRole = TeamRole.MEMBER


@strawberry.input
class UpdateMemberRoleInput:
    member_id: strawberry.ID
    role: TeamRole


@strawberry.input
class RemoveMemberInput:
    member_id: strawberry.ID


@strawberry.input
class LeaveTeamInput:
    team_id: strawberry.ID


@strawberry.input
class CancelInvitationInput:
    invitation_id: strawberry.ID


@strawberry.input
class AcceptInvitationInput:
    invitation_id: strawberry.ID


@strawberry.input
class DeclineInvitationInput:
    invitation_id: strawberry.ID


@strawberry.input
class UpdateModelAuthoringInput:
    team_id: strawberry.ID
    author_role: TeamRole = strawberry.field(
        description="The least role that may publish models: OWNER (owners only), ADMIN "
                    "(owners and admins, the default) or MEMBER (everyone)."
    )


@strawberry.type
class DeletedTeam:
    id: strawberry.ID
