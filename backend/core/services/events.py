"""Writing to the change feed (the ``credential_events`` outbox).

``emit`` adds the event to the caller's transaction, so an event exists exactly when the change
it reports was committed. On PostgreSQL a NOTIFY in the same transaction wakes the gateways
(delivered by PostgreSQL only on commit); on SQLite they poll.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.models import CredentialEvent

NOTIFY_CHANNEL = "credential_events"

# Kinds of event; the subscriber decides what to reload from the kind and the ids.
CREDENTIAL_CREATED = "credential.created"
CREDENTIAL_UPDATED = "credential.updated"
CREDENTIAL_ROTATED = "credential.rotated"
CREDENTIAL_DELETED = "credential.deleted"
MEMBER_REMOVED = "member.removed"
MEMBER_ROLE_CHANGED = "member.role_changed"
ACCESS_LIST_CHANGED = "access_list.changed"
DATA_SOURCE_CHANGED = "data_source.changed"
DATA_SOURCE_DELETED = "data_source.deleted"
MODEL_VERSION_CREATED = "model_version.created"


async def emit(
    db: AsyncSession,
    kind: str,
    *,
    team_id: str | None = None,
    credential_id: str | None = None,
    username: str | None = None,
    data_source_id: str | None = None,
    member_id: str | None = None,
) -> None:
    db.add(
        CredentialEvent(
            kind=kind,
            team_id=team_id,
            credential_id=credential_id,
            username=username,
            data_source_id=data_source_id,
            member_id=member_id,
        )
    )
    if db.get_bind().dialect.name == "postgresql":
        await db.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
