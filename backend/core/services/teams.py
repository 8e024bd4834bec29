"""Teams and their members: create, invite, change roles, remove, leave, rename, delete.

Rules (tested role by role): owners do everything; admins manage members but cannot grant or
take the owner role, touch an owner, or change the team itself; members only read and leave.
An invitation is an offer to an email address: nobody joins a team until the account with
that email accepts it, so nobody can be given a membership (or a credential bound to one)
without consent; invitations never carry the owner role and expire after 14 days.
A team always keeps at least one owner. Removing a member revokes their SQL credentials (the
rows cascade and a change-feed event tells the gateways to end their sessions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from backend.core.models import ROLES, Invitation, Member, SqlCredential, Team, User, utcnow
from backend.core.services import audit, events
from backend.core.services.accounts import INVITATION_TTL, normalise_email
from backend.core.services.authz import RANK, Actor, member_in_my_team, membership, require_role


def check_team_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("Enter a team name of 1 to 100 characters.", field="name")
    return name


def check_role(role: str) -> str:
    role = role.lower()
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", field="role")
    return role


@dataclass(frozen=True)
class ReceivedInvitation:
    """An invitation as its invitee sees it: which team, which role, who sent it."""

    invitation: Invitation
    team: Team
    invited_by: str | None  # the inviter's display name


def invitation_expires_at(inv: Invitation) -> datetime:
    return inv.created_at + INVITATION_TTL


def _live(inv: Invitation) -> bool:
    return utcnow() < invitation_expires_at(inv)


async def list_teams(db: AsyncSession, actor: Actor) -> list[tuple[Team, str]]:
    user_id = actor.require_user()
    rows = await db.execute(
        select(Team, Member.role)
        .join(Member, Member.team_id == Team.id)
        .where(Member.user_id == user_id)
        .order_by(Team.created_at, Team.id)
    )
    return [(team, role) for team, role in rows]


async def get_team(db: AsyncSession, actor: Actor, team_id: str) -> tuple[Team, Member]:
    me = await membership(db, actor, team_id)
    team = await db.get(Team, team_id)
    if team is None:
        raise NotFound("Team not found.", field="teamId")
    return team, me


async def create_team(db: AsyncSession, actor: Actor, name: str) -> Team:
    user_id = actor.require_user()
    team = Team(name=check_team_name(name))
    db.add(team)
    await db.flush()
    db.add(Member(team_id=team.id, user_id=user_id, role="owner"))
    audit.record(db, actor, "team.created", team_id=team.id, target=team.name)
    await db.flush()
    return team


async def rename_team(db: AsyncSession, actor: Actor, team_id: str, name: str) -> Team:
    team, _ = await get_team(db, actor, team_id)
    await require_role(db, actor, team_id, "owner")
    team.name = check_team_name(name)
    audit.record(db, actor, "team.renamed", team_id=team_id, target=team.name)
    await db.flush()
    return team


async def delete_team(db: AsyncSession, actor: Actor, team_id: str) -> None:
    team, _ = await get_team(db, actor, team_id)
    await require_role(db, actor, team_id, "owner")
    if team.personal:
        raise PermissionDenied("A personal team cannot be deleted.")
    for cred in await db.scalars(select(SqlCredential).where(SqlCredential.team_id == team_id)):
        await events.emit(db, events.CREDENTIAL_DELETED, team_id=team_id,
                          credential_id=cred.id, username=cred.username)
    audit.record(db, actor, "team.deleted", team_id=team_id, target=team.name)
    await db.delete(team)
    await db.flush()


async def list_members(db: AsyncSession, actor: Actor, team_id: str) -> list[Member]:
    await membership(db, actor, team_id)
    rows = await db.execute(
        select(Member, User)
        .join(User, User.id == Member.user_id)
        .where(Member.team_id == team_id)
        .order_by(Member.created_at, Member.id)
    )
    members = []
    for member, user in rows:
        member.user = user
        members.append(member)
    return members


async def list_invitations(db: AsyncSession, actor: Actor, team_id: str) -> list[Invitation]:
    """The team's pending (unexpired) invitations, for owners and admins."""
    await require_role(db, actor, team_id, "admin")
    rows = await db.scalars(
        select(Invitation).where(Invitation.team_id == team_id)
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [inv for inv in rows if _live(inv)]


async def invite_member(
    db: AsyncSession, actor: Actor, team_id: str, email: str, role: str
) -> Invitation:
    """Offer a role in the team to an email address; nobody joins until they accept.

    The answer is the same whether or not an account has that email, so inviting cannot be
    used to find out who has an account. Inviting again renews the offer (new role, new
    expiry). Nobody becomes owner by invitation: invite, let them accept, then promote.
    """
    me = await require_role(db, actor, team_id, "admin")
    role = check_role(role)
    if role == "owner":
        if me.role != "owner":
            raise PermissionDenied("Only an owner can make someone an owner.", field="role")
        raise InvalidInput("Nobody becomes owner by invitation: invite them as admin or "
                           "member, and make them owner once they have joined.", field="role")
    email = normalise_email(email)
    # Team members are listed to everyone in the team already: saying so reveals nothing.
    already = await db.scalar(
        select(Member.id).join(User, User.id == Member.user_id)
        .where(Member.team_id == team_id, User.email == email)
    )
    if already is not None:
        raise Conflict("This person is already a member of the team.", field="email")
    invitation = await db.scalar(
        select(Invitation).where(Invitation.team_id == team_id, Invitation.email == email)
    )
    if invitation is None:
        invitation = Invitation(team_id=team_id, email=email)
        db.add(invitation)
    invitation.role = role
    invitation.invited_by = actor.user_id
    invitation.created_at = utcnow()
    audit.record(db, actor, "member.invited", team_id=team_id, target=email, role=role)
    await db.flush()
    return invitation


async def _team_invitation(db: AsyncSession, actor: Actor, invitation_id: str) -> Invitation:
    """An invitation of a team the actor manages; NotFound for everyone else alike."""
    inv = await db.get(Invitation, invitation_id)
    if inv is not None:
        try:
            me = await membership(db, actor, inv.team_id)
        except NotFound:
            me = None
        # Members do not see invitations, so for them one is as missing as for strangers.
        if me is not None and RANK[me.role] >= RANK["admin"]:
            return inv
    raise NotFound("Invitation not found.", field="invitationId")


async def cancel_invitation(db: AsyncSession, actor: Actor, invitation_id: str) -> Invitation:
    """Withdraw an offer (owners and admins of its team)."""
    inv = await _team_invitation(db, actor, invitation_id)
    await db.delete(inv)
    audit.record(db, actor, "invitation.canceled", team_id=inv.team_id, target=inv.email)
    await db.flush()
    return inv


async def _user_email(db: AsyncSession, actor: Actor) -> str:
    user = await db.get(User, actor.require_user())
    if user is None:
        raise NotAuthenticated("You need to log in first.")
    return user.email


async def list_received_invitations(db: AsyncSession, actor: Actor) -> list[ReceivedInvitation]:
    """The viewer's pending invitations (addressed to their email, not expired)."""
    email = await _user_email(db, actor)
    rows = await db.execute(
        select(Invitation, Team, User.display_name)
        .join(Team, Team.id == Invitation.team_id)
        .outerjoin(User, User.id == Invitation.invited_by)
        .where(Invitation.email == email)
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [ReceivedInvitation(inv, team, by) for inv, team, by in rows if _live(inv)]


async def _my_invitation(db: AsyncSession, actor: Actor, invitation_id: str) -> Invitation:
    """An invitation addressed to the actor and still open; NotFound for anything else."""
    email = await _user_email(db, actor)
    inv = await db.get(Invitation, invitation_id)
    if inv is None or inv.email != email or not _live(inv):
        raise NotFound("Invitation not found.", field="invitationId")
    return inv


async def accept_invitation(db: AsyncSession, actor: Actor, invitation_id: str
                            ) -> tuple[Team, Member]:
    """Join the team with the offered role; the invitation is used up."""
    inv = await _my_invitation(db, actor, invitation_id)
    user_id = actor.require_user()
    if inv.role not in ("admin", "member"):
        # Never written since invitations stopped carrying the owner role; fail closed.
        raise InvalidInput("This invitation cannot be accepted; ask for a new one.",
                           field="invitationId")
    team = await db.get_one(Team, inv.team_id)
    existing = await db.scalar(
        select(Member).where(Member.team_id == inv.team_id, Member.user_id == user_id)
    )
    if existing is not None:
        raise Conflict("You are already a member of this team.", field="invitationId")
    await db.delete(inv)
    member = Member(team_id=inv.team_id, user_id=user_id, role=inv.role)
    db.add(member)
    await db.flush()
    member.user = await db.get_one(User, user_id)
    audit.record(db, actor, "member.joined", team_id=inv.team_id, target=inv.email,
                 role=inv.role, via="invitation", invited_by=inv.invited_by)
    await db.flush()
    return team, member


async def decline_invitation(db: AsyncSession, actor: Actor, invitation_id: str
                             ) -> ReceivedInvitation:
    inv = await _my_invitation(db, actor, invitation_id)
    team = await db.get_one(Team, inv.team_id)
    by = await db.get(User, inv.invited_by) if inv.invited_by else None
    await db.delete(inv)
    audit.record(db, actor, "invitation.declined", team_id=inv.team_id, target=inv.email)
    await db.flush()
    return ReceivedInvitation(inv, team, by.display_name if by else None)


async def _owner_count(db: AsyncSession, team_id: str) -> int:
    count = await db.scalar(
        select(func.count()).where(Member.team_id == team_id, Member.role == "owner")
    )
    return int(count or 0)


async def _revoke_credentials_of(db: AsyncSession, member: Member, kind: str) -> None:
    creds = await db.scalars(select(SqlCredential).where(SqlCredential.member_id == member.id))
    for cred in creds:
        await events.emit(db, kind, team_id=member.team_id, credential_id=cred.id,
                          username=cred.username, member_id=member.id)


async def update_member_role(db: AsyncSession, actor: Actor, member_id: str, role: str) -> Member:
    target, me = await member_in_my_team(db, actor, member_id)
    role = check_role(role)
    if RANK[me.role] < RANK["admin"]:
        raise PermissionDenied("Only owners and admins can change roles.")
    if me.role != "owner" and "owner" in (role, target.role):
        raise PermissionDenied("Only an owner can grant or take the owner role.")
    if target.role == "owner" and role != "owner" and await _owner_count(db, target.team_id) <= 1:
        raise Conflict("A team needs at least one owner; make someone else owner first.")
    if target.role != role:
        old = target.role
        target.role = role
        await _revoke_credentials_of(db, target, events.MEMBER_ROLE_CHANGED)
        audit.record(db, actor, "member.role_changed", team_id=target.team_id,
                     target=target.user_id, old=old, new=role)
    await db.flush()
    target.user = await db.get_one(User, target.user_id)
    return target


async def remove_member(db: AsyncSession, actor: Actor, member_id: str) -> Member:
    target, me = await member_in_my_team(db, actor, member_id)
    if target.id != me.id:
        if RANK[me.role] < RANK["admin"]:
            raise PermissionDenied("Only owners and admins can remove members.")
        if target.role == "owner" and me.role != "owner":
            raise PermissionDenied("Only an owner can remove an owner.")
    if target.role == "owner" and await _owner_count(db, target.team_id) <= 1:
        raise Conflict("A team needs at least one owner; make someone else owner first.")
    target.user = await db.get_one(User, target.user_id)
    await _revoke_credentials_of(db, target, events.MEMBER_REMOVED)
    audit.record(db, actor, "member.removed", team_id=target.team_id, target=target.user.email)
    await db.delete(target)  # its SQL credentials cascade
    await db.flush()
    return target


async def leave_team(db: AsyncSession, actor: Actor, team_id: str) -> Member:
    me = await membership(db, actor, team_id)
    team = await db.get_one(Team, team_id)
    if team.personal:
        raise PermissionDenied("You cannot leave your personal team.")
    return await remove_member(db, actor, me.id)
