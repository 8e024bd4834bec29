"""Checking a MySQL login against the credential cache, throttled, with one error for all.

The password arrives in clear (over TLS) through ``caching_sha2_password`` full authentication
or ``mysql_clear_password`` and is checked against the same salted SCRAM verifier the
PostgreSQL side uses. Unknown users and wrong passwords get the very same error; a dummy
verification keeps their timing alike too.
"""

from __future__ import annotations

import logging

from backend.core.errors import AuthenticationFailed, RateLimited
from backend.core.grants import CredentialGrant, GrantDirectory
from backend.core.ratelimit import FailureLimiter
from backend.core.scram import ScramVerifier, make_verifier, verify_plaintext

log = logging.getLogger("gateway.mysql.auth")

# Checked against when the user is unknown, so both failures cost one PBKDF2 run.
_DUMMY = make_verifier("not a password", salt=b"\0" * 16)


def access_denied(username: str) -> AuthenticationFailed:
    return AuthenticationFailed(f"Access denied for user '{username}'")


def _limiter_keys(username: str, address: str) -> tuple[str, str]:
    return f"mysql-user:{username}", f"mysql-addr:{address}"


def check_not_throttled(limiter: FailureLimiter, username: str, address: str) -> None:
    for key in _limiter_keys(username, address):
        if limiter.blocked(key):
            wait = limiter.retry_after(key)
            raise RateLimited(f"Too many failed logins; try again in {wait:.0f} s")


def authenticate(
    grants: GrantDirectory, limiter: FailureLimiter, username: str, password: str | None,
    address: str,
) -> CredentialGrant:
    """The grant for ``username`` if ``password`` matches; otherwise AuthenticationFailed.

    ``password`` None means the client could not send one (it is still a failure).
    """
    check_not_throttled(limiter, username, address)
    grant = grants.lookup(username)
    verifier = _DUMMY
    if grant is not None:
        try:
            verifier = ScramVerifier.parse(grant.verifier)
        except ValueError:
            grant = None
    ok = verify_plaintext(verifier, password or "") and password is not None
    if grant is None or not ok:
        for key in _limiter_keys(username, address):
            limiter.fail(key)
        log.info("mysql login failed user=%r address=%s", username, address)
        raise access_denied(username)
    for key in _limiter_keys(username, address):
        limiter.succeed(key)
    log.info("mysql login user=%r credential=%s address=%s", username, grant.credential_id,
             address)
    return grant
