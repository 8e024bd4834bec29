from __future__ import annotations

import strawberry
from sqlalchemy import select

from backend.api.context import Info
from backend.api.errors import raise_for_query
from backend.api.features.credentials.types import AuditEvent, SqlCredential
from backend.core.errors import AppError, InvalidInput
from backend.core.models import User
from backend.core.services import audit
from backend.core.services import credentials as svc


@strawberry.type
class CredentialQueries:
    @strawberry.field(description="The team's SQL credentials: all of them for owners and "
                                  "admins, the viewer's own for members.")
    async def sql_credentials(self, info: Info, team_id: strawberry.ID) -> list[SqlCredential]:
        try:
            views = await svc.list_credentials(info.context.db, info.context.actor, str(team_id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return [SqlCredential.from_view(info.context.settings, v) for v in views]

    @strawberry.field(description="One SQL credential the viewer may manage.")
    async def sql_credential(self, info: Info, id: strawberry.ID) -> SqlCredential:
        try:
            view = await svc.get_credential(info.context.db, info.context.actor, str(id))
        except AppError as exc:
            raise raise_for_query(exc) from None
        return SqlCredential.from_view(info.context.settings, view)

    @strawberry.field(description="The team's audit log, newest first (owners and admins).")
    async def audit_events(self, info: Info, team_id: strawberry.ID, limit: int = 100,
                           before_id: strawberry.ID | None = None) -> list[AuditEvent]:
        db = info.context.db
        try:
            before = int(before_id) if before_id is not None else None
        except ValueError:
            raise raise_for_query(InvalidInput("beforeId must be an audit event id.",
                                              field="beforeId")) from None
        try:
            rows = await audit.list_audit_events(db, info.context.actor, str(team_id),
                                                 limit=max(limit, 1), before_id=before)
        except AppError as exc:
            raise raise_for_query(exc) from None
        actor_ids = {r.actor_user_id for r in rows if r.actor_user_id}
        users = {u.id: u for u in await db.scalars(select(User).where(User.id.in_(actor_ids)))
                 } if actor_ids else {}
        return [AuditEvent.from_model(r, users) for r in rows]
