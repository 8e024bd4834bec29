"""The audit log: who did what to which credential or member, and from where."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.models import AuditEvent
from backend.core.services.authz import Actor, require_role


def record(
    db: AsyncSession,
    actor: Actor | None,
    action: str,
    *,
    team_id: str | None,
    target: str | None = None,
    client_addr: str | None = None,
    **detail: Any,
) -> None:
    """Add an audit row to the caller's transaction (committed or rolled back with it)."""
    db.add(
        AuditEvent(
            team_id=team_id,
            actor_user_id=actor.user_id if actor else None,
            action=action,
            target=target,
            detail=detail,
            client_addr=client_addr or (actor.client_addr if actor else None),
        )
    )


async def list_audit_events(
    db: AsyncSession, actor: Actor, team_id: str, *, limit: int = 100, before_id: int | None = None
) -> list[AuditEvent]:
    await require_role(db, actor, team_id, "admin")
    query = select(AuditEvent).where(AuditEvent.team_id == team_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    rows = await db.scalars(query.order_by(AuditEvent.id.desc()).limit(min(limit, 500)))
    return list(rows)
