"""GraphQL for access lists: read every role's list, replace one."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Info
from backend.api.errors import UserError, in_transaction, raise_for_query
from backend.api.features.accounts.types import TeamRole
from backend.core.errors import AppError
from backend.core.services import accesslists as svc


@strawberry.type(description="What a role may query over SQL; allowed null means everything.")
class AccessList:
    role: TeamRole
    allowed: list[str] | None


@strawberry.input
class UpdateAccessListInput:
    team_id: strawberry.ID
    role: TeamRole
    allowed: list[str] | None = strawberry.field(
        description="Entries `cube` or `cube.member`; null allows every cube and member."
    )


AccessListResult = Annotated[AccessList | UserError, strawberry.union("AccessListResult")]


@strawberry.type
class AccessListQueries:
    @strawberry.field
    async def access_lists(self, info: Info, team_id: strawberry.ID) -> list[AccessList]:
        try:
            lists = await svc.list_access_lists(info.context.db, info.context.actor,
                                                str(team_id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [AccessList(role=TeamRole(role), allowed=allowed)
                for role, allowed in lists.items()]


@strawberry.type
class AccessListMutations:
    @strawberry.mutation(description="Replace the access list of one role of a team.")
    async def update_access_list(self, info: Info, input: UpdateAccessListInput
                                 ) -> AccessListResult:
        async def work() -> AccessList:
            allowed = await svc.set_access_list(info.context.db, info.context.actor,
                                                str(input.team_id), input.role.value,
                                                input.allowed)
            return AccessList(role=input.role, allowed=allowed)

        return await in_transaction(info, work)
