"""What both wire gateways' tests share: a model, an in-memory credential cache, grants."""

from __future__ import annotations

from pathlib import Path

from backend.core.grants import CredentialGrant
from backend.core.scram import make_verifier
from backend.semantic.model import ALLOW_ALL, AccessPolicy

MODEL = """
cubes:
  - name: orders
    sql_table: main.orders
    description: Customer orders
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: status, sql: status, type: string, description: Order status }
      - { name: created_at, sql: created_at, type: time }
    measures:
      - { name: count, type: count }
      - { name: amount, sql: amount, type: sum }
  - name: secrets
    sql_table: main.secrets
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: code, sql: code, type: string }
    measures:
      - { name: count, type: count }
"""


class MemoryGrants:
    """The GrantDirectory protocol over a dict (the real one follows the change feed)."""

    def __init__(self) -> None:
        self.grants: dict[str, CredentialGrant] = {}
        self.syncs = 0

    def lookup(self, username: str) -> CredentialGrant | None:
        return self.grants.get(username)

    async def sync(self) -> None:
        """Nothing to catch up (tests change ``grants`` directly); counted for assertions."""
        self.syncs += 1


def make_grant(
    username: str, password: str, data_path: Path | None = None, *,
    access: AccessPolicy = ALLOW_ALL, revision: int = 1, source_type: str = "DUCKDB",
    source_params: dict[str, object] | None = None, model: str = MODEL,
    model_files: dict[str, str] | None = None,
) -> CredentialGrant:
    params = source_params if source_params is not None else {"path": str(data_path)}
    files = tuple(sorted((model_files or {"orders.yml": model}).items()))
    return CredentialGrant(
        credential_id="cred-" + username, username=username,
        verifier=make_verifier(password).encode(), team_id="t1", member_id="m1",
        user_email="a@example.com", data_source_id="ds1", data_source_type=source_type,
        data_source_params=params, model_version_id="v-" + str(hash(files)),
        model_files=files, access=access, revision=revision,
    )
