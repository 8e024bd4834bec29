"""What a SQL credential may do, as the gateways see it.

The change-feed subscriber (``backend.core.services.feed``) keeps a map username → grant
current; a gateway looks a user up at login and re-checks the grant of each open session when
the feed says something changed. A grant holds no secret but the SCRAM verifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from backend.semantic.model import AccessPolicy


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


class GrantDirectory(Protocol):
    """The gateways' view of the credential cache."""

    def lookup(self, username: str) -> CredentialGrant | None: ...

    async def sync(self) -> None:
        """Bring the cache up to date with everything committed so far (called at login)."""
