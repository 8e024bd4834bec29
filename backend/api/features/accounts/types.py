from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend.api.context import Info
from backend.core.models import User
from backend.core.services import teams as team_service

if TYPE_CHECKING:
    from backend.api.features.teams.types import ReceivedInvitation

ReceivedInvitationRef = Annotated[
    "ReceivedInvitation", strawberry.lazy("backend.api.features.teams.types")
]


@strawberry.enum(description="A member's role in a team.")
class TeamRole(Enum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


@strawberry.type
class ViewerTeam:
    id: strawberry.ID
    name: str
    role: TeamRole
    personal: bool


@strawberry.type(description="The logged-in user.")
class Viewer:
    id: strawberry.ID
    email: str
    display_name: str

    @strawberry.field
    async def teams(self, info: Info) -> list[ViewerTeam]:
        rows = await team_service.list_teams(info.context.db, info.context.actor)
        return [
            ViewerTeam(id=strawberry.ID(t.id), name=t.name, role=TeamRole(role),
                       personal=t.personal)
            for t, role in rows
        ]

    @strawberry.field(description="Invitations addressed to the viewer's email that wait for "
                                  "an answer (acceptInvitation / declineInvitation).")
    async def invitations(self, info: Info) -> list[ReceivedInvitationRef]:
        from backend.api.features.teams.types import ReceivedInvitation

        rows = await team_service.list_received_invitations(info.context.db, info.context.actor)
        return [ReceivedInvitation.from_data(r) for r in rows]

    @classmethod
    def from_model(cls, user: User) -> Viewer:
        return cls(id=strawberry.ID(user.id), email=user.email, display_name=user.display_name)


@strawberry.type
class AuthPayload:
    viewer: Viewer


@strawberry.input
class SignUpInput:
    email: str
    password: str
    display_name: str


@strawberry.input
class LogInInput:
    email: str
    password: str
