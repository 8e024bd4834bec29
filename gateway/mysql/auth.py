"""Checking a MySQL login against the credential cache, throttled, with one error for all.

The password arrives in clear (over TLS) through ``caching_sha2_password`` full authentication
or ``mysql_clear_password`` and is checked against the same salted SCRAM verifier the
PostgreSQL side uses. Unknown users and wrong passwords get the very same error; a dummy
verification keeps their timing alike too.
"""

from __future__ import annotations

import asyncio

from backend.core.errors import AuthenticationFailed, RateLimited
from backend.core.grants import CredentialGrant, GrantDirectory, sync_for_login
from backend.core.ratelimit import FailureLimiter
from backend.core.scram import ScramVerifier, make_verifier, verify_plaintext

# Checked against when the user is unknown, so both failures cost one PBKDF2 run.
_DUMMY = make_verifier("not a password", salt=b"\0" * 16)


def access_denied(username: str) -> AuthenticationFailed:
    return AuthenticationFailed(f"Access denied for user '{username}'")


class Throttle:
    """Failed-login limits per SQL username and per client address (as on the PostgreSQL side:
    separate limiters, so a busy shared address can be given a higher ceiling)."""

    def __init__(self, by_user: FailureLimiter, by_address: FailureLimiter):
        self.by_user = by_user
        self.by_address = by_address

    def check(self, username: str, address: str) -> None:
        for limiter, key in ((self.by_user, username), (self.by_address, address)):
            if limiter.blocked(key):
                wait = limiter.retry_after(key)
                raise RateLimited(f"Too many failed logins; try again in {wait:.0f} s")

    def fail(self, username: str, address: str) -> None:
        self.by_user.fail(username)
        self.by_address.fail(address)

    def succeed(self, username: str) -> None:
        # Only the user's own counter: a valid login must not reset the address's counter,
        # or one known credential would let an attacker keep guessing others.
        self.by_user.succeed(username)


async def authenticate(
    grants: GrantDirectory, throttle: Throttle, username: str, password: str,
    address: str,
) -> CredentialGrant:
    """The grant for ``username`` if ``password`` matches; otherwise AuthenticationFailed
    (or RateLimited, checked before the password is).
    """
    throttle.check(username, address)
    # A credential created a moment ago must already work; with the metadata DB away the
    # login is refused (3032), never checked against a stale cache.
    await sync_for_login(grants)
    grant = grants.lookup(username)
    verifier = _DUMMY
    if grant is not None:
        try:
            verifier = ScramVerifier.parse(grant.verifier)
        except ValueError:
            grant = None
    # PBKDF2 off the event loop: a flood of guesses must not stall other connections.
    ok = await asyncio.to_thread(verify_plaintext, verifier, password)
    if grant is None or not ok:
        throttle.fail(username, address)
        raise access_denied(username)
    throttle.succeed(username)
    return grant
