from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.errors import raise_for_query
from backend.api.features.teams.types import Team
from backend.core.errors import AppError
from backend.core.services import teams as team_service


@strawberry.type
class TeamQueries:
    @strawberry.field(description="A team the viewer belongs to.")
    async def team(self, info: Info, id: strawberry.ID) -> Team:
        try:
            team, me = await team_service.get_team(info.context.db, info.context.actor, str(id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return Team.from_model(team, me.role)
