"""Model authoring: who may publish model versions, and why that excludes access lists.

A model's ``sql`` / ``sql_table`` runs as the data source's own database user, so whoever
publishes a model version reads everything that user can — an access list on that person's
role would only look like a limit (and their new version changes every member's results).
Each team therefore names the least role that may publish models (``Team.model_author_role``,
default ``admin``; owners always may), and the services refuse every combination of an
authoring role with an access list, in whichever order it is attempted:

* restricting a role that may author models (``check_access_list_change``),
* letting a restricted role author models (``set_model_author_role``),
* publishing while one's role is restricted (``require_author``: fails closed on data written
  before this rule existed).

Members who are not authors see the source only through their access list: no raw tables,
no model files, only the cubes and members their list allows (``backend.core.services.
modelversions``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import AuthoringConflict, InvalidInput, PermissionDenied
from backend.core.models import ROLES, AccessList, Member, Team
from backend.core.services import audit
from backend.core.services.authz import RANK, Actor, membership, require_role
from backend.semantic.model import ALLOW_ALL, AccessPolicy

_WHO = {"owner": "owners", "admin": "owners and admins", "member": "every member"}


def authors_phrase(author_role: str) -> str:
    """``owners and admins`` — the roles that may publish models, for messages."""
    return _WHO[author_role]


def role_may_author(role: str, author_role: str) -> bool:
    return RANK[role] >= RANK[author_role]


async def access_list_of(db: AsyncSession, team_id: str, role: str) -> list[str] | None:
    """A role's access list (None: no restriction)."""
    row = await db.scalar(
        select(AccessList).where(AccessList.team_id == team_id, AccessList.role == role)
    )
    return None if row is None else row.allowed


async def policy_of(db: AsyncSession, member: Member) -> AccessPolicy:
    allowed = await access_list_of(db, member.team_id, member.role)
    return ALLOW_ALL if allowed is None else AccessPolicy(frozenset(allowed))


async def is_author(db: AsyncSession, member: Member) -> bool:
    """May this member publish models and see the source as its database user does?

    A role restricted by an access list is never an author, whatever the team setting says
    (fail closed on data that predates the rule).
    """
    team = await db.get_one(Team, member.team_id)
    if not role_may_author(member.role, team.model_author_role):
        return False
    return await access_list_of(db, member.team_id, member.role) is None


async def require_author(db: AsyncSession, actor: Actor, team_id: str) -> Member:
    """The actor's membership if they may publish models; FORBIDDEN or AUTHORING_CONFLICT."""
    me = await membership(db, actor, team_id)
    team = await db.get_one(Team, team_id)
    if not role_may_author(me.role, team.model_author_role):
        raise PermissionDenied(
            f"In this team only {authors_phrase(team.model_author_role)} may publish models "
            f"or read the data source's tables; you are {me.role}. An owner can change who "
            "may author models in the team settings."
        )
    if await access_list_of(db, team_id, me.role) is not None:
        raise AuthoringConflict(
            f"The {me.role} role has an access list, so it cannot publish models: a model's "
            "SQL runs as the data source's own database user and would read past the list. "
            f"An owner can clear the {me.role} role's access list, or leave model authoring "
            "to higher roles."
        )
    return me


def check_access_list_change(author_role: str, role: str, allowed: list[str] | None) -> None:
    """Refuse an access list on a role that may author models."""
    if allowed is None or not role_may_author(role, author_role):
        return
    why = ("a model's SQL runs as the data source's own database user, so a role that may "
           "publish models reads everything that user can.")
    if role == "owner":
        raise AuthoringConflict(f"Owners always may publish models, so an access list cannot "
                                f"restrict them: {why}", field="role")
    higher = "owners" if role == "admin" else "owners and admins"
    raise AuthoringConflict(
        f"The {role} role may publish models in this team, so an access list cannot restrict "
        f"it: {why} First let only {higher} author models (team settings), then restrict "
        f"the {role} role.", field="role")


async def set_model_author_role(db: AsyncSession, actor: Actor, team_id: str,
                                author_role: str) -> Team:
    """Change the least role that may publish models (owners only)."""
    await require_role(db, actor, team_id, "owner")
    author_role = author_role.lower()
    if author_role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", field="authorRole")
    for role in ROLES:
        if role_may_author(role, author_role) and \
                await access_list_of(db, team_id, role) is not None:
            raise AuthoringConflict(
                f"The {role} role has an access list, and a role that may publish models "
                "reads everything the data source's own database user can. Clear the "
                f"{role} role's access list first, or let fewer roles author models.",
                field="authorRole")
    team = await db.get_one(Team, team_id)
    if team.model_author_role != author_role:
        old = team.model_author_role
        team.model_author_role = author_role
        audit.record(db, actor, "team.model_authors_changed", team_id=team_id,
                     target=team.name, old=old, new=author_role)
        await db.flush()
    return team
