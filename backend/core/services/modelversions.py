"""Semantic model versions of a data source: immutable, on the ``main`` branch.

Each save validates every file together and, if they are sound, creates a new version; the
newest version is what SQL users see (a change-feed event tells the gateways). Owners and
admins save and generate models; every member reads them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import DataSourceError, InvalidInput, NotAuthenticated, NotFound
from backend.core.modelcheck import ModelChecker
from backend.core.models import ModelFile, ModelVersion
from backend.core.services import audit, events
from backend.core.services.authz import Actor, require_role
from backend.core.services.datasources import (
    SourceConfig,
    get_data_source,
    list_tables,
)
from backend.semantic.scaffold import table_columns
from backend.semantic.validate import load_models

SOURCE_DIALECTS = {"POSTGRES": "postgres", "MYSQL": "mysql", "SQLITE": "sqlite",
                   "DUCKDB": "duckdb"}
MAX_FILES = 500
MAX_FILE_BYTES = 1_000_000
BRANCH = "main"


@dataclass(frozen=True)
class VersionWithFiles:
    version: ModelVersion
    files: list[tuple[str, str]]


def _checksum(files: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, code in sorted(files):
        h.update(name.encode() + b"\0" + code.encode() + b"\0")
    return h.hexdigest()


def _check_files(files: Sequence[tuple[str, str]]) -> None:
    if len(files) > MAX_FILES:
        raise InvalidInput(f"At most {MAX_FILES} model files per version.", field="files")
    seen: set[str] = set()
    for name, code in files:
        if not name or "/" in name or "\\" in name or name.startswith(".") or len(name) > 200:
            raise InvalidInput(f"Invalid file name {name!r}: use a plain name such as "
                               "orders.yml.", field="files")
        if not name.endswith((".yml", ".yaml")):
            raise InvalidInput(f"Model file {name!r} must end in .yml or .yaml.", field="files")
        if name in seen:
            raise InvalidInput(f"File {name!r} appears twice.", field="files")
        if len(code.encode()) > MAX_FILE_BYTES:
            raise InvalidInput(f"File {name!r} is larger than 1 MB.", field="files")
        seen.add(name)


async def _files_of(db: AsyncSession, version_id: str) -> list[tuple[str, str]]:
    rows = await db.execute(
        select(ModelFile.name, ModelFile.code)
        .where(ModelFile.version_id == version_id)
        .order_by(ModelFile.name)
    )
    return [(name, code) for name, code in rows]


async def latest_version(db: AsyncSession, data_source_id: str) -> VersionWithFiles | None:
    """The live version of a data source (no authorisation: for the feed and the gateways)."""
    version = await db.scalar(
        select(ModelVersion)
        .where(ModelVersion.data_source_id == data_source_id, ModelVersion.branch == BRANCH)
        .order_by(ModelVersion.number.desc())
        .limit(1)
    )
    if version is None:
        return None
    return VersionWithFiles(version, await _files_of(db, version.id))


async def list_versions(
    db: AsyncSession, actor: Actor, data_source_id: str, *, limit: int = 50
) -> list[ModelVersion]:
    await get_data_source(db, actor, data_source_id)
    rows = await db.scalars(
        select(ModelVersion)
        .where(ModelVersion.data_source_id == data_source_id)
        .order_by(ModelVersion.number.desc())
        .limit(min(limit, 200))
    )
    return list(rows)


async def get_version(db: AsyncSession, actor: Actor, version_id: str) -> VersionWithFiles:
    version = await db.get(ModelVersion, version_id)
    if version is None:
        raise NotFound("Model version not found.", field="versionId")
    try:
        await get_data_source(db, actor, version.data_source_id)
    except NotFound:
        raise NotFound("Model version not found.", field="versionId") from None
    return VersionWithFiles(version, await _files_of(db, version.id))


async def read_models(db: AsyncSession, actor: Actor, data_source_id: str
                      ) -> VersionWithFiles | None:
    await get_data_source(db, actor, data_source_id)
    return await latest_version(db, data_source_id)


async def create_version(
    db: AsyncSession, actor: Actor, data_source_id: str, files: Sequence[tuple[str, str]],
    *, action: str = "models.saved", columns: Mapping[str, set[str]] | None = None,
    checker: ModelChecker | None = None,
) -> VersionWithFiles:
    """Validate all files together, then store them as the new live version.

    With ``columns`` (the source's tables and their columns) references to missing tables and
    columns are problems too.
    """
    ds = await get_data_source(db, actor, data_source_id)
    await require_role(db, actor, ds.team_id, "admin")
    _check_files(files)
    # Raises ModelValidationFailed with every problem; never on the event loop (CPU-bound).
    if checker is not None:
        await checker.require_valid(dict(files), columns=columns)
    else:
        await asyncio.to_thread(load_models, dict(files), columns=columns)
    number = await db.scalar(
        select(func.coalesce(func.max(ModelVersion.number), 0)).where(
            ModelVersion.data_source_id == data_source_id
        )
    )
    version = ModelVersion(data_source_id=data_source_id, branch=BRANCH,
                           checksum=_checksum(files), created_by=actor.user_id,
                           number=int(number or 0) + 1)
    db.add(version)
    await db.flush()
    db.add_all(ModelFile(version_id=version.id, name=n, code=c) for n, c in files)
    await events.emit(db, events.MODEL_VERSION_CREATED, team_id=ds.team_id,
                      data_source_id=data_source_id)
    audit.record(db, actor, action, team_id=ds.team_id, target=ds.name,
                 data_source_id=ds.id, version=version.number, files=len(files))
    await db.flush()
    return VersionWithFiles(version, sorted(files))


async def validate_files(
    actor: Actor, files: Sequence[tuple[str, str]], checker: ModelChecker
) -> list[object]:
    """Every problem in a set of files, without saving (for the editor); needs a login."""
    if actor.user_id is None:
        raise NotAuthenticated("Log in to validate models.")
    _check_files(files)
    return list(await checker.problems(dict(files)))


async def generate_models(
    db: AsyncSession, actor: Actor, config: SourceConfig, *, data_source_id: str,
    tables: Sequence[tuple[str, str]], overwrite: bool,
    on_progress: Callable[[int, int, str], None] | None = None,
    checker: ModelChecker | None = None,
) -> VersionWithFiles:
    """Scaffold cubes for the chosen tables and save them as a new version.

    Without ``overwrite`` the files of the live version are kept and only new files are added.
    """
    from backend.semantic.scaffold import generate_models as scaffold

    ds = await get_data_source(db, actor, data_source_id)
    await require_role(db, actor, ds.team_id, "admin")
    available = await list_tables(db, actor, config, data_source_id)
    by_key = {(t.schema, t.name): t for t in available}
    missing = [f"{s}.{n}" for s, n in tables if (s, n) not in by_key]
    if missing:
        raise InvalidInput(f"No such table(s) in the data source: {', '.join(missing)}.",
                           field="tables")
    chosen = [by_key[key] for key in tables] if tables else available
    generated = scaffold(chosen, dialect=SOURCE_DIALECTS[ds.type], on_progress=on_progress)
    files = dict(generated)
    if not overwrite:
        current = await latest_version(db, data_source_id)
        if current is not None:
            for name, code in current.files:
                files.setdefault(name, code)
                if name in generated:
                    files[name] = code
    return await create_version(db, actor, data_source_id, sorted(files.items()),
                                action="models.generated", columns=table_columns(available),
                                checker=checker)


async def source_columns(
    db: AsyncSession, actor: Actor, config: SourceConfig, data_source_id: str
) -> dict[str, set[str]] | None:
    """The source's columns for validation, or None when the source cannot be read now.

    Saving models must not depend on the warehouse being up; when it is, model files that
    name missing columns are refused.
    """
    try:
        tables = await asyncio.wait_for(
            list_tables(db, actor, config, data_source_id), timeout=10.0
        )
    except (DataSourceError, TimeoutError):
        return None
    return table_columns(tables)
