"""Web accounts: sign up, log in, log out, and resolving a session cookie to a user."""

from __future__ import annotations

import asyncio
import math
import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.backoff import Backoff, DeviceTokens, LoginThrottled
from backend.core.errors import AuthenticationFailed, Conflict, InvalidInput
from backend.core.models import Member, Team, User, WebSession, utcnow
from backend.core.security import hash_password, new_session_token, token_hash, verify_password

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
INVITATION_TTL = timedelta(days=14)
MAX_PASSWORD = 256
ACCOUNT_DELAY_MAX_S = 4.0


@dataclass
class LoginLimits:
    """Back-off for failed web logins (``backend.core.backoff`` explains the rules)."""

    # An address may fail 20 times (an office behind one NAT), then waits 1 s, 2 s, 4 s...
    per_address: Backoff = field(
        default_factory=lambda: Backoff(free=20, base_s=1.0, max_s=900.0))
    # One account from one address: a few typos are free, then the same doubling.
    per_pair: Backoff = field(default_factory=lambda: Backoff(free=5, base_s=1.0, max_s=900.0))
    # One account from everywhere: answers are held back, never refused.
    per_account: Backoff = field(
        default_factory=lambda: Backoff(free=10, base_s=0.25, max_s=ACCOUNT_DELAY_MAX_S))
    # A known browser's own failures: past these it is treated as unknown again.
    per_device: Backoff = field(default_factory=lambda: Backoff(free=10, base_s=1.0,
                                                                 max_s=900.0))
    devices: DeviceTokens = field(default_factory=DeviceTokens)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidInput("Enter a valid email address (at most 254 characters).", field="email")
    return email


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"Use a password of at least {MIN_PASSWORD} characters.", field="password"
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"Use at most {MAX_PASSWORD} characters.", field="password")
    if len(set(password)) < 4:
        raise InvalidInput("That password is too easy to guess.", field="password")


def check_display_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("Enter a name of 1 to 100 characters.", field="displayName")
    return name


async def sign_up(
    db: AsyncSession, *, email: str, password: str, display_name: str, client_addr: str | None
) -> User:
    """Create the account and its personal team.

    Invitations to this email stay offers: the new account lists them and accepts or
    declines each (``teams.accept_invitation``); signing up joins no other team.
    """
    email = normalise_email(email)
    check_password_strength(password)
    display_name = check_display_name(display_name)
    if await db.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this email already exists.", field="email")
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    team = Team(name=f"{display_name}'s team", personal=True)
    db.add_all([user, team])
    await db.flush()
    db.add(Member(team_id=team.id, user_id=user.id, role="owner"))
    await db.flush()
    return user


async def log_in(
    db: AsyncSession,
    limits: LoginLimits,
    *,
    email: str,
    password: str,
    client_addr: str | None,
    ttl_hours: int,
    device_token: str | None = None,
) -> tuple[User, str]:
    """Check the password and open a session, after the back-off this attempt has earned.

    Returns the user and the session cookie's token. ``device_token`` is the browser's device
    cookie, if any (``LoginLimits.devices.refreshed`` gives the one to set after success).
    """
    key_email = email.strip().lower()[:320]
    key_addr = client_addr or "unknown"
    key_pair = f"{key_email}|{key_addr}"
    device = limits.devices.device_of(device_token, key_email)
    if device is not None and limits.per_device.delay(device) > 0:
        device = None  # a "known" browser that keeps failing is not trusted any more
    if device is None:
        wait = max(limits.per_address.wait(key_addr), limits.per_pair.wait(key_pair))
        if wait > 0:
            raise LoginThrottled(math.ceil(wait))
        hold = limits.per_account.delay(key_email)
        if hold > 0:
            # Held, not refused; the (read-only) transaction is ended first so a held
            # attempt keeps no database connection.
            await db.rollback()
            await asyncio.sleep(hold)
    user = await db.scalar(select(User).where(User.email == key_email))
    # Unknown email and wrong password take the same path and give the same answer.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        limits.per_address.fail(key_addr)
        limits.per_pair.fail(key_pair)
        limits.per_account.fail(key_email)
        if device is not None:
            limits.per_device.fail(device)
        raise AuthenticationFailed("Wrong email or password.")
    # The owner's success ends the back-off others caused on the account; an address's own
    # back-off stays (a guesser must not reset it by logging in to an account of its own).
    limits.per_pair.clear(key_pair)
    limits.per_account.clear(key_email)
    if device is not None:
        limits.per_device.clear(device)
    return await log_in_user(db, user, ttl_hours=ttl_hours)


async def log_in_user(db: AsyncSession, user: User, *, ttl_hours: int) -> tuple[User, str]:
    """Open a web session for an already authenticated user (after sign-up or login)."""
    token = new_session_token()
    db.add(
        WebSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        )
    )
    await db.flush()
    return user, token


async def log_out(db: AsyncSession, token: str) -> None:
    await db.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


async def user_for_token(db: AsyncSession, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    row = await db.execute(
        select(User, WebSession.expires_at)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == token_hash(token))
    )
    found = row.first()
    if found is None:
        return None
    user, expires_at = found
    if expires_at <= utcnow():
        return None
    return user
