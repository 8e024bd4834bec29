"""Access lists: which cubes and members each role of a team may query over SQL.

``allowed`` is None (everything) or a list of ``cube`` / ``cube.member`` entries. The list of
a credential's member's role is applied by the gateways on every path — selected columns,
filters, grouping, ordering and the catalog. Changing a list emits a change-feed event so
open sessions pick it up (or end, when they lost access).

A role that may publish models cannot have a list (``backend.core.services.authoring``).
Members read only their own role's list: the others name cubes and members that may be
hidden from them. Owners and admins, who manage the lists, read all of them.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import InvalidInput, PermissionDenied
from backend.core.models import ROLES, AccessList, Team, utcnow
from backend.core.services import audit, events
from backend.core.services.authoring import check_access_list_change
from backend.core.services.authz import RANK, Actor, membership, require_role

ENTRY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
MAX_ENTRIES = 2000


def check_entries(allowed: list[str] | None) -> list[str] | None:
    if allowed is None:
        return None
    if len(allowed) > MAX_ENTRIES:
        raise InvalidInput(f"At most {MAX_ENTRIES} entries.", field="allowed")
    clean = []
    for entry in allowed:
        entry = entry.strip()
        if not ENTRY_RE.match(entry):
            raise InvalidInput(f"{entry!r} is not a cube or cube.member name.", field="allowed")
        clean.append(entry)
    return sorted(set(clean))


async def list_access_lists(db: AsyncSession, actor: Actor, team_id: str
                            ) -> dict[str, list[str] | None]:
    """Every role's list for owners and admins, a member's own role's list for members
    (roles without a row allow everything)."""
    me = await membership(db, actor, team_id)
    rows = await db.scalars(select(AccessList).where(AccessList.team_id == team_id))
    lists: dict[str, list[str] | None] = dict.fromkeys(ROLES)
    for row in rows:
        lists[row.role] = row.allowed
    if RANK[me.role] < RANK["admin"]:
        return {me.role: lists[me.role]}
    return lists


async def set_access_list(db: AsyncSession, actor: Actor, team_id: str, role: str,
                          allowed: list[str] | None) -> list[str] | None:
    me = await require_role(db, actor, team_id, "admin")
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", field="role")
    if role in ("owner", "admin") and me.role != "owner":
        # Otherwise an admin could lift a restriction an owner put on admins.
        raise PermissionDenied(f"Only an owner can change the {role} role's access list.",
                               field="role")
    clean = check_entries(allowed)
    team = await db.get_one(Team, team_id)
    check_access_list_change(team.model_author_role, role, clean)
    row = await db.scalar(
        select(AccessList).where(AccessList.team_id == team_id, AccessList.role == role)
    )
    if row is None:
        row = AccessList(team_id=team_id, role=role)
        db.add(row)
    row.allowed = clean
    row.updated_at = utcnow()
    await events.emit(db, events.ACCESS_LIST_CHANGED, team_id=team_id)
    audit.record(db, actor, "access_list.changed", team_id=team_id, target=role,
                 allowed=clean)
    await db.flush()
    return clean
