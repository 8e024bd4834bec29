"""Data sources of a team: create, edit, delete, check, and describe their tables.

Secrets (the password) are split from the other connection fields on the way in, sealed with
the SecretBox and never returned: the API sees ``public_params`` only. Owners and admins
manage data sources; every member reads them. File-based sources (SQLite, DuckDB) may only
point inside the team's own folder under the file roots (``connectors.filepolicy``): another
team's file, like anything outside, is "not found". Every connector is opened through the
process's ``SourceEnvironment``: its timeouts, the network policy checked at every connect,
and the file policy checked again at every open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.connectors.base import Connector, TableInfo
from backend.connectors.factory import SourceEnvironment
from backend.connectors.filepolicy import FilePolicy
from backend.connectors.netpolicy import unreachable
from backend.connectors.params import public_params, secret_fields, source_type, validate_params
from backend.core.errors import InvalidInput, NotFound, SourceTimeout
from backend.core.models import DataSource, SqlCredential, utcnow
from backend.core.security import SecretBox
from backend.core.services import audit, events
from backend.core.services.authz import Actor, membership, require_role
from backend.core.settings import Settings

CHECK_TIMEOUT_SECONDS = 10.0
# Fields that decide which server and account a stored password is sent to.
IDENTITY_FIELDS = ("host", "port", "database", "user", "ssl")


@dataclass(frozen=True)
class SourceConfig:
    """What the data-source service needs from settings."""

    secret_box: SecretBox
    file_roots: tuple[Path, ...]
    # The platform's own files: never a data source, even inside a file root.
    forbidden: tuple[Path, ...] = ()
    # Limits, network and file policy; by default only the file roots above and no network
    # rules beyond the built-in ones (link-local and cloud metadata addresses).
    sources: SourceEnvironment | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceConfig:
        sources = SourceEnvironment.from_settings(settings)
        return cls(SecretBox(settings.secret_key), settings.file_source_roots,
                   sources.files.forbidden, sources)

    @property
    def environment(self) -> SourceEnvironment:
        if self.sources is not None:
            return self.sources
        return SourceEnvironment(files=FilePolicy.build(self.file_roots, forbidden=self.forbidden))


def check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("Enter a name of 1 to 100 characters.", field="name")
    return name


def _check_path(config: SourceConfig, params: dict[str, Any], team_id: str) -> None:
    """Confine a file path to the team's folder (or the shared demo file) and store it
    absolute; anything else is "not found", exactly like a missing file. Blocking file-system
    calls, but a handful of stat() calls on a local path."""
    if "path" not in params:
        return
    params["path"] = str(config.environment.files.locate(str(params["path"]), team_id))


def split_params(
    config: SourceConfig, type_: str, params: dict[str, Any], team_id: str
) -> tuple[dict[str, Any], str | None]:
    """Validated params → (public part, sealed secret part or None)."""
    clean = validate_params(type_, params)
    _check_path(config, clean, team_id)
    hidden = secret_fields(type_)
    secrets = {k: v for k, v in clean.items() if k in hidden and v}
    return public_params(type_, clean), (config.secret_box.seal(secrets) if secrets else None)


def full_params(config: SourceConfig, ds: DataSource) -> dict[str, Any]:
    """Public params plus decrypted secrets: only for handing to a connector."""
    params = dict(ds.params)
    if ds.secret:
        params.update(config.secret_box.open(ds.secret))
    return params


async def list_data_sources(db: AsyncSession, actor: Actor, team_id: str) -> list[DataSource]:
    await membership(db, actor, team_id)
    rows = await db.scalars(
        select(DataSource).where(DataSource.team_id == team_id).order_by(DataSource.created_at)
    )
    return list(rows)


async def get_data_source(db: AsyncSession, actor: Actor, data_source_id: str) -> DataSource:
    ds = await db.get(DataSource, data_source_id)
    if ds is None:
        raise NotFound("Data source not found.", field="dataSourceId")
    try:
        await membership(db, actor, ds.team_id)
    except NotFound:
        raise NotFound("Data source not found.", field="dataSourceId") from None
    return ds


async def create_data_source(
    db: AsyncSession, actor: Actor, config: SourceConfig, *, team_id: str, name: str,
    type_: str, params: dict[str, Any],
) -> DataSource:
    await require_role(db, actor, team_id, "admin")
    type_ = source_type(type_)
    public, secret = split_params(config, type_, params, team_id)
    ds = DataSource(team_id=team_id, name=check_name(name), type=type_, params=public,
                    secret=secret)
    db.add(ds)
    await db.flush()
    audit.record(db, actor, "data_source.created", team_id=team_id, target=ds.name,
                 data_source_id=ds.id, type=type_)
    return ds


async def update_data_source(
    db: AsyncSession, actor: Actor, config: SourceConfig, *, data_source_id: str,
    name: str | None, params: dict[str, Any] | None,
) -> DataSource:
    ds = await get_data_source(db, actor, data_source_id)
    await require_role(db, actor, ds.team_id, "admin")
    if name is not None:
        ds.name = check_name(name)
    if params is not None:
        merged = dict(ds.params)
        merged.update(params)
        # An empty or missing password keeps the stored one: the API never shows it back.
        # But not towards another server or account: whoever edits the host could otherwise
        # have the stored password sent to a server of theirs.
        hidden = secret_fields(ds.type)
        old_secrets = config.secret_box.open(ds.secret) if ds.secret else {}
        # Compared after normalising, so "5432" and 5432 are the same port.
        normalised = validate_params(ds.type, {k: v for k, v in merged.items() if k not in hidden})
        moved = [k for k in IDENTITY_FIELDS
                 if k in normalised and normalised[k] != ds.params.get(k)]
        for key in hidden:
            if not params.get(key) and key in old_secrets:
                if moved:
                    raise InvalidInput(
                        f"Enter the {key} again when changing {', '.join(moved)}.", field=key
                    )
                merged[key] = old_secrets[key]
        ds.params, ds.secret = split_params(config, ds.type, merged, ds.team_id)
    ds.updated_at = utcnow()
    await events.emit(db, events.DATA_SOURCE_CHANGED, team_id=ds.team_id,
                      data_source_id=ds.id)
    audit.record(db, actor, "data_source.updated", team_id=ds.team_id, target=ds.name,
                 data_source_id=ds.id)
    await db.flush()
    return ds


async def delete_data_source(db: AsyncSession, actor: Actor, data_source_id: str) -> DataSource:
    """Delete the source; its models and SQL credentials go with it and stop working."""
    ds = await get_data_source(db, actor, data_source_id)
    await require_role(db, actor, ds.team_id, "admin")
    creds = await db.scalars(select(SqlCredential).where(SqlCredential.data_source_id == ds.id))
    for cred in creds:
        await events.emit(db, events.CREDENTIAL_DELETED, team_id=ds.team_id,
                          credential_id=cred.id, username=cred.username, data_source_id=ds.id)
    await events.emit(db, events.DATA_SOURCE_DELETED, team_id=ds.team_id, data_source_id=ds.id)
    audit.record(db, actor, "data_source.deleted", team_id=ds.team_id, target=ds.name,
                 data_source_id=ds.id)
    await db.delete(ds)
    await db.flush()
    return ds


def open_connector(config: SourceConfig, type_: str, params: dict[str, Any], team_id: str
                   ) -> Connector:
    """A connector bound by the process's limits and policies, its files by the team's."""
    return config.environment.connector(type_, params, team_id=team_id)


async def check_params(config: SourceConfig, type_: str, params: dict[str, Any], team_id: str
                       ) -> str:
    """Connect and run a trivial query; raises a DataSourceError subclass a person can act on."""
    connector = open_connector(config, type_, params, team_id)
    try:
        await asyncio.wait_for(connector.check(), timeout=CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        if type_ in ("POSTGRES", "MYSQL"):  # as unreachable as a closed port (netpolicy)
            engine = "PostgreSQL" if type_ == "POSTGRES" else "MySQL"
            raise unreachable(engine, str(params.get("host")), int(params.get("port") or 0)
                              ) from None
        raise SourceTimeout(
            f"No answer from the data source within {CHECK_TIMEOUT_SECONDS:g} seconds."
        ) from None
    finally:
        await connector.close()
    return "Connection works."


async def check_connection(
    db: AsyncSession, actor: Actor, config: SourceConfig, *, data_source_id: str | None,
    team_id: str | None, type_: str | None, params: dict[str, Any] | None,
) -> str:
    """Check a saved data source, or unsaved params (the onboarding's "Test connection")."""
    if data_source_id is not None:
        ds = await get_data_source(db, actor, data_source_id)
        return await check_params(config, ds.type, full_params(config, ds), ds.team_id)
    if team_id is None or type_ is None or params is None:
        raise InvalidInput("Give a dataSourceId, or a teamId with type and params.",
                           field="dataSourceId")
    await require_role(db, actor, team_id, "admin")
    type_ = source_type(type_)
    clean = validate_params(type_, params)
    _check_path(config, clean, team_id)
    return await check_params(config, type_, clean, team_id)


async def list_tables(
    db: AsyncSession, actor: Actor, config: SourceConfig, data_source_id: str,
    schemas: Sequence[str] | None = None,
) -> list[TableInfo]:
    ds = await get_data_source(db, actor, data_source_id)
    connector = open_connector(config, ds.type, full_params(config, ds), ds.team_id)
    try:
        return await connector.list_tables(schemas)
    finally:
        await connector.close()
