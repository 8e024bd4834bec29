"""SQL API credentials: create, move, rotate, delete, list; and login bookkeeping.

Rules (tested role by role):

* Owners and admins manage every credential of their team; a member lists, creates, rotates,
  moves and deletes only their own.
* Nobody can *bind* a credential to someone who outranks them — creating it for them, moving
  one to them, or rotating theirs (which hands over a working password). The reference product
  lets any member bind a credential to the owner and so take the owner's access; here that is
  ``PermissionDenied``. So an admin may delete an owner's credential but not obtain one.
* A credential's member and data source belong to the same team.

The server generates the username (10 of ``[0-9a-z]``, globally unique) and the password
(26 characters of a 56-symbol alphabet, about 151 bits, from ``secrets``). Only the SCRAM-SHA-256
verifier is stored; the password leaves this module once, in the create/rotate result.
Every change writes an audit row and a change-feed event in the caller's transaction.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import InvalidInput, NotFound, PermissionDenied
from backend.core.models import DataSource, Member, SqlCredential, User, utcnow
from backend.core.scram import make_verifier
from backend.core.services import audit, events
from backend.core.services.authz import RANK, Actor, member_in_my_team, membership
from backend.core.settings import Settings

USERNAME_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
USERNAME_LENGTH = 10
# Letters and digits without the look-alikes 0/O, 1/l/I: safe to read aloud, to paste into a
# URI, a shell or a .env file without quoting.
PASSWORD_ALPHABET = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_LENGTH = 26
PASSWORD_BITS = PASSWORD_LENGTH * math.log2(len(PASSWORD_ALPHABET))
assert PASSWORD_BITS >= 128, PASSWORD_BITS
DATABASE_NAME = "db"
_USERNAME_ATTEMPTS = 20


def new_username() -> str:
    return "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(USERNAME_LENGTH))


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass(frozen=True)
class CredentialView:
    """A credential with what the API shows next to it (its member's user, its data source)."""

    credential: SqlCredential
    member: Member  # with ``member.user`` loaded
    data_source: DataSource


@dataclass(frozen=True)
class IssuedCredential:
    """The answer to create and rotate: the only place the password ever appears."""

    view: CredentialView
    password: str


# --- connection details -------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionDetails:
    protocol: str  # postgres | mysql
    host: str
    port: int
    database: str
    username: str
    command: str
    uri: str
    jdbc_url: str
    sqlalchemy_url: str


def _netloc_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def connection_details(
    settings: Settings, username: str, protocol: str, password: str | None = None
) -> ConnectionDetails:
    """How to reach the gateway of ``protocol``; the URIs carry ``password`` only if given."""
    host = settings.public_host
    net = _netloc_host(host)
    userinfo = username + (f":{quote(password, safe='')}" if password else "")
    db = DATABASE_NAME
    if protocol == "postgres":
        port = settings.public_pg_port
        return ConnectionDetails(
            protocol, host, port, db, username,
            # A conninfo string, so the command itself insists on TLS: with libpq's default
            # "prefer", a wrong password is retried in plaintext and the user sees a second,
            # misleading error about TLS (and the password could be relayed downgraded).
            command=f'psql "host={host} port={port} dbname={db} user={username} sslmode=require"',
            # TLS required on the client side too: with only "prefer", an active attacker
            # could answer the TLS request with "N" and relay the password exchange.
            uri=f"postgresql://{userinfo}@{net}:{port}/{db}?sslmode=require",
            jdbc_url=f"jdbc:postgresql://{net}:{port}/{db}?user={username}&sslmode=require",
            sqlalchemy_url=f"postgresql+psycopg://{userinfo}@{net}:{port}/{db}?sslmode=require",
        )
    if protocol == "mysql":
        port = settings.public_mysql_port
        return ConnectionDetails(
            protocol, host, port, db, username,
            command=f"mysql -h {host} -P {port} -u {username} -p --ssl {db}",  # TLS required
            uri=f"mysql://{userinfo}@{net}:{port}/{db}",
            jdbc_url=f"jdbc:mysql://{net}:{port}/{db}?user={username}",
            sqlalchemy_url=f"mysql+pymysql://{userinfo}@{net}:{port}/{db}",
        )
    raise InvalidInput("Protocol must be postgres or mysql.", field="protocol")


# --- reading ------------------------------------------------------------------------------


async def _views(db: AsyncSession, *conditions: object) -> list[CredentialView]:
    rows = await db.execute(
        select(SqlCredential, Member, User, DataSource)
        .join(Member, Member.id == SqlCredential.member_id)
        .join(User, User.id == Member.user_id)
        .join(DataSource, DataSource.id == SqlCredential.data_source_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(SqlCredential.created_at, SqlCredential.id)
    )
    views = []
    for cred, member, user, ds in rows:
        member.user = user
        views.append(CredentialView(cred, member, ds))
    return views


async def _view(db: AsyncSession, credential_id: str) -> CredentialView:
    views = await _views(db, SqlCredential.id == credential_id)
    if not views:
        raise NotFound("SQL credential not found.", field="id")
    return views[0]


async def list_credentials(db: AsyncSession, actor: Actor, team_id: str) -> list[CredentialView]:
    """Owners and admins see every credential of the team; a member sees their own."""
    me = await membership(db, actor, team_id)
    if RANK[me.role] >= RANK["admin"]:
        return await _views(db, SqlCredential.team_id == team_id)
    return await _views(db, SqlCredential.team_id == team_id, SqlCredential.member_id == me.id)


async def _managed(db: AsyncSession, actor: Actor, credential_id: str) -> tuple[CredentialView,
                                                                                 Member]:
    """A credential the actor may manage, and the actor's membership; NotFound otherwise."""
    cred = await db.get(SqlCredential, credential_id)
    if cred is None:
        raise NotFound("SQL credential not found.", field="id")
    try:
        me = await membership(db, actor, cred.team_id)
    except NotFound:
        raise NotFound("SQL credential not found.", field="id") from None
    if RANK[me.role] < RANK["admin"] and cred.member_id != me.id:
        # Members do not learn about each other's credentials.
        raise NotFound("SQL credential not found.", field="id")
    return await _view(db, credential_id), me


async def get_credential(db: AsyncSession, actor: Actor, credential_id: str) -> CredentialView:
    view, _ = await _managed(db, actor, credential_id)
    return view


# --- the binding rule ---------------------------------------------------------------------


def _may_bind(me: Member, target: Member) -> None:
    """May ``me`` give a working password for ``target``'s access (create, move, rotate)?"""
    if target.id == me.id:
        return
    if RANK[me.role] < RANK["admin"]:
        raise PermissionDenied("Members can only hold SQL credentials of their own.",
                               field="memberId")
    if RANK[target.role] > RANK[me.role]:
        raise PermissionDenied(
            f"An {me.role} cannot obtain a credential acting as an {target.role}.",
            field="memberId",
        )


async def _team_data_source(db: AsyncSession, actor: Actor, team_id: str,
                            data_source_id: str) -> DataSource:
    ds = await db.get(DataSource, data_source_id)
    if ds is None:
        raise NotFound("Data source not found.", field="dataSourceId")
    if ds.team_id != team_id:
        try:
            await membership(db, actor, ds.team_id)
        except NotFound:
            raise NotFound("Data source not found.", field="dataSourceId") from None
        raise InvalidInput("The data source belongs to another team than the member.",
                           field="dataSourceId")
    return ds


async def _unique_username(db: AsyncSession) -> str:
    for _ in range(_USERNAME_ATTEMPTS):
        candidate = new_username()
        taken = await db.scalar(select(SqlCredential.id).where(SqlCredential.username == candidate))
        if taken is None:
            return candidate
    # 36^10 names: reaching this means the generator is broken, not that names ran out.
    raise RuntimeError("could not find a free SQL username")


# --- changing -----------------------------------------------------------------------------


async def create_credential(
    db: AsyncSession, actor: Actor, member_id: str, data_source_id: str
) -> IssuedCredential:
    target, me = await member_in_my_team(db, actor, member_id)
    _may_bind(me, target)
    ds = await _team_data_source(db, actor, target.team_id, data_source_id)
    password = new_password()
    now = utcnow()
    cred = SqlCredential(
        team_id=target.team_id, member_id=target.id, data_source_id=ds.id,
        username=await _unique_username(db), verifier=make_verifier(password).encode(),
        created_at=now, updated_at=now,
    )
    db.add(cred)
    await db.flush()
    await events.emit(db, events.CREDENTIAL_CREATED, team_id=cred.team_id, credential_id=cred.id,
                      username=cred.username, data_source_id=ds.id, member_id=target.id)
    audit.record(db, actor, "credential.created", team_id=cred.team_id, target=cred.username,
                 member_id=target.id, data_source_id=ds.id)
    await db.flush()
    return IssuedCredential(await _view(db, cred.id), password)


async def update_credential(
    db: AsyncSession, actor: Actor, credential_id: str,
    member_id: str | None = None, data_source_id: str | None = None,
) -> CredentialView:
    """Move a credential to another member and/or data source of the same team."""
    view, me = await _managed(db, actor, credential_id)
    cred = view.credential
    changes: dict[str, Any] = {}
    if member_id is not None and member_id != cred.member_id:
        target = await db.get(Member, member_id)
        if target is None or target.team_id != cred.team_id:
            raise NotFound("Member not found in the credential's team.", field="memberId")
        _may_bind(me, target)
        changes["member_id"] = [cred.member_id, target.id]
        cred.member_id = target.id
        # The old password must not follow the credential to its new holder (it would carry
        # the new member's access to whoever knew it): it stops working now, and the new
        # password is obtained with rotateSqlCredentialPassword.
        cred.verifier = make_verifier(new_password()).encode()
        changes["password_reset"] = True
    if data_source_id is not None and data_source_id != cred.data_source_id:
        ds = await _team_data_source(db, actor, cred.team_id, data_source_id)
        changes["data_source_id"] = [cred.data_source_id, ds.id]
        cred.data_source_id = ds.id
    if changes:
        cred.updated_at = utcnow()
        await events.emit(db, events.CREDENTIAL_UPDATED, team_id=cred.team_id,
                          credential_id=cred.id, username=cred.username,
                          data_source_id=cred.data_source_id, member_id=cred.member_id)
        audit.record(db, actor, "credential.updated", team_id=cred.team_id,
                     target=cred.username, **changes)
        await db.flush()
    return await _view(db, cred.id)


async def rotate_password(db: AsyncSession, actor: Actor, credential_id: str) -> IssuedCredential:
    view, me = await _managed(db, actor, credential_id)
    _may_bind(me, view.member)
    cred = view.credential
    password = new_password()
    cred.verifier = make_verifier(password).encode()
    cred.updated_at = utcnow()
    await events.emit(db, events.CREDENTIAL_ROTATED, team_id=cred.team_id, credential_id=cred.id,
                      username=cred.username, data_source_id=cred.data_source_id,
                      member_id=cred.member_id)
    audit.record(db, actor, "credential.rotated", team_id=cred.team_id, target=cred.username)
    await db.flush()
    return IssuedCredential(await _view(db, cred.id), password)


async def delete_credential(db: AsyncSession, actor: Actor, credential_id: str) -> CredentialView:
    view, _ = await _managed(db, actor, credential_id)
    cred = view.credential
    await events.emit(db, events.CREDENTIAL_DELETED, team_id=cred.team_id, credential_id=cred.id,
                      username=cred.username, data_source_id=cred.data_source_id,
                      member_id=cred.member_id)
    audit.record(db, actor, "credential.deleted", team_id=cred.team_id, target=cred.username)
    await db.delete(cred)
    await db.flush()
    return view


async def _revoke(db: AsyncSession, actor: Actor | None, creds: list[SqlCredential],
                  reason: str) -> list[str]:
    for cred in creds:
        await events.emit(db, events.CREDENTIAL_DELETED, team_id=cred.team_id,
                          credential_id=cred.id, username=cred.username,
                          data_source_id=cred.data_source_id, member_id=cred.member_id)
        audit.record(db, actor, "credential.revoked", team_id=cred.team_id,
                     target=cred.username, reason=reason)
        await db.delete(cred)
    await db.flush()
    return [c.username for c in creds]


async def revoke_for_data_source(db: AsyncSession, data_source_id: str,
                                 actor: Actor | None = None) -> list[str]:
    """Delete a data source's credentials with their events and audit rows (no authorisation:
    the caller, deleting the data source, has checked it). Returns the revoked usernames."""
    creds = list(await db.scalars(
        select(SqlCredential).where(SqlCredential.data_source_id == data_source_id)))
    return await _revoke(db, actor, creds, "data source deleted")


async def revoke_for_member(db: AsyncSession, member_id: str,
                            actor: Actor | None = None) -> list[str]:
    """The same for a member who is being removed from the team."""
    creds = list(await db.scalars(
        select(SqlCredential).where(SqlCredential.member_id == member_id)))
    return await _revoke(db, actor, creds, "member removed")


# --- logins (called by the gateways) -------------------------------------------------------


async def record_login(
    db: AsyncSession, username: str, ok: bool, client_addr: str | None,
    *, protocol: str | None = None, reason: str | None = None,
) -> None:
    """Audit a SQL login attempt and, on success, stamp ``last_used_at``. The caller commits.

    An unknown username is audited without a team (it belongs to nobody).
    """
    cred = await db.scalar(select(SqlCredential).where(SqlCredential.username == username))
    detail: dict[str, str] = {}
    if protocol:
        detail["protocol"] = protocol
    if reason:
        detail["reason"] = reason
    audit.record(db, None, "sql.login_succeeded" if ok else "sql.login_failed",
                 team_id=cred.team_id if cred else None, target=username[:200],
                 client_addr=client_addr, **detail)
    if ok and cred is not None:
        # A statement, not an attribute on the loaded row: the credential may be deleted by
        # another transaction after the read above, and a stamp on a deleted row is moot —
        # the ORM's "expected to update 1 row" check would fail the audit batch with it.
        await db.execute(
            update(SqlCredential)
            .where(SqlCredential.id == cred.id)
            .values(last_used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    await db.flush()
