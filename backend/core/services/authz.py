"""Who may do what: every authorisation rule the services apply is built from these.

Roles rank owner > admin > member. Owners do everything; admins manage members and resources
but not the team itself; members read and manage their own resources. An outsider of a team
is told the team does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import NotAuthenticated, NotFound, PermissionDenied
from backend.core.models import Member

RANK = {"member": 1, "admin": 2, "owner": 3}


@dataclass(frozen=True)
class Actor:
    """The person a service call acts for, and where the request came from (for the audit)."""

    user_id: str | None
    client_addr: str | None = None

    def require_user(self) -> str:
        if self.user_id is None:
            raise NotAuthenticated("You need to log in first.")
        return self.user_id


async def membership(db: AsyncSession, actor: Actor, team_id: str) -> Member:
    """The actor's membership of a team, or NotFound for anyone outside it."""
    user_id = actor.require_user()
    member = await db.scalar(
        select(Member).where(Member.team_id == team_id, Member.user_id == user_id)
    )
    if member is None:
        raise NotFound("Team not found.", field="teamId")
    return member


async def require_role(db: AsyncSession, actor: Actor, team_id: str, at_least: str) -> Member:
    member = await membership(db, actor, team_id)
    if RANK[member.role] < RANK[at_least]:
        raise PermissionDenied(
            f"This needs the {at_least} role in the team; you are {member.role}."
        )
    return member


async def member_in_my_team(db: AsyncSession, actor: Actor, member_id: str
                            ) -> tuple[Member, Member]:
    """A member acted upon, and the actor's own membership of that member's team.

    Members of teams the actor is not in are reported as not found, like the teams.
    """
    target = await db.get(Member, member_id)
    if target is None:
        raise NotFound("Member not found.", field="memberId")
    try:
        me = await membership(db, actor, target.team_id)
    except NotFound:
        raise NotFound("Member not found.", field="memberId") from None
    return target, me
