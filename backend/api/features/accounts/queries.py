from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.features.accounts.types import Viewer
from backend.core.models import User


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The logged-in user, or null when not logged in.")
    async def viewer(self, info: Info) -> Viewer | None:
        user_id = info.context.actor.user_id
        if user_id is None:
            return None
        user = await info.context.db.get(User, user_id)
        return Viewer.from_model(user) if user else None
