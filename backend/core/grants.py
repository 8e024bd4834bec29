"""What a SQL credential may do, as the gateways see it.

The change-feed subscriber (``backend.core.services.feed``) keeps a map username → grant
current; a gateway looks a user up at login and re-checks the grant of each open session when
the feed says something changed. A grant holds no secret but the SCRAM verifier.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from backend.core.errors import MetadataUnavailable
from backend.semantic.model import AccessPolicy

log = logging.getLogger("metricsql.grants")

# How long a login waits for the credential cache to catch up before it is refused: a metadata
# database that is stopped refuses at once, one behind a broken network would hang.
LOGIN_SYNC_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class CredentialGrant:
    credential_id: str
    username: str
    verifier: str  # SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>
    team_id: str
    member_id: str
    user_email: str
    data_source_id: str
    data_source_type: str  # POSTGRES | MYSQL | SQLITE | DUCKDB
    # Connection parameters of the data source, secrets decrypted: kept in the gateway's memory
    # only, never logged or sent anywhere but to the data source's driver.
    data_source_params: dict[str, Any] = field(repr=False)
    model_version_id: str | None
    model_files: tuple[tuple[str, str], ...]  # (file name, YAML code) of the newest version
    access: AccessPolicy
    # Changes whenever anything in this grant changes, so a session can tell it is stale.
    revision: int

    @cached_property
    def params_key(self) -> str:
        """The connection parameters as a comparable key (per-source caches are keyed on
        it); computed once per grant, not once per statement."""
        return repr(sorted(self.data_source_params.items()))


class GrantDirectory(Protocol):
    """The gateways' view of the credential cache."""

    def lookup(self, username: str) -> CredentialGrant | None: ...

    async def sync(self) -> None:
        """Bring the cache up to date with everything committed so far (called at login)."""


async def sync_for_login(grants: GrantDirectory,
                         timeout: float = LOGIN_SYNC_TIMEOUT_SECONDS) -> None:
    """Bring the cache up to date before a login, or refuse the login (fail closed).

    A cache that could not be brought up to date may still hold a credential deleted or
    rotated a moment ago, so a login is refused with ``MetadataUnavailable`` (57P03) rather
    than checked against it. Sessions already open are not affected.
    """
    try:
        async with asyncio.timeout(timeout):
            await grants.sync()
    except TimeoutError:
        # Unreachable, or reachable but not answering in time (a gateway or database under
        # more load than it can take): either way the cache is not known to be current.
        log.warning("credential cache sync took over %g s; refusing the login", timeout)
        raise MetadataUnavailable(
            f"the SQL API could not check credentials with its metadata database within "
            f"{timeout:g} s (unreachable or overloaded); new logins are refused meanwhile "
            "(sessions already open keep working)",
            hint="retry in a few seconds",
        ) from None
    except Exception as exc:
        log.warning("credential cache sync failed (%s); refusing the login",
                    type(exc).__name__)
        raise MetadataUnavailable(
            "the SQL API cannot reach its metadata database; new logins are refused until it "
            "is back (sessions already open keep working)",
            hint="retry in a few seconds",
        ) from None
