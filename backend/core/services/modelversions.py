"""Semantic model versions of a data source: immutable, on the ``main`` branch.

Each save validates every file together and, if they are sound, creates a new version; the
newest version is what SQL users see (a change-feed event tells the gateways).

Who publishes (saves or generates) models, and reads the source's raw tables, is a team
setting (``backend.core.services.authoring``). Authors read the model files; every other
member sees a version only as the cubes and members their access list allows — the YAML
names hidden cubes, columns and the SQL behind them, so it is never shown to them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.connectors.base import TableInfo
from backend.core.errors import DataSourceError, InvalidInput, NotAuthenticated, NotFound
from backend.core.modelcheck import ModelChecker
from backend.core.models import DataSource, ModelFile, ModelVersion
from backend.core.services import audit, events
from backend.core.services.authoring import is_author, policy_of, require_author
from backend.core.services.authz import Actor, membership
from backend.core.services.datasources import SourceConfig, get_data_source
from backend.core.services.datasources import list_tables as read_source_tables
from backend.semantic.loader import parse_models
from backend.semantic.model import ALLOW_ALL, AccessPolicy
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


@dataclass(frozen=True)
class MemberSummary:
    name: str
    kind: str  # dimension | measure | segment
    type: str | None  # the dimension or measure type; None for segments
    title: str | None
    description: str | None


@dataclass(frozen=True)
class CubeSummary:
    name: str
    title: str | None
    description: str | None
    members: list[MemberSummary]


@dataclass(frozen=True)
class ModelView:
    """A version as one member may see it: files for authors; cubes through the access list."""

    version: ModelVersion
    files: list[tuple[str, str]]  # empty unless the viewer may author models
    policy: AccessPolicy
    # The stored files, to list the visible cubes from; never shown to a non-author.
    source_files: tuple[tuple[str, str], ...] = field(repr=False)


def visible_cubes(files: Sequence[tuple[str, str]], policy: AccessPolicy) -> list[CubeSummary]:
    """The cubes and members of ``files`` that ``policy`` allows, as the gateways show them.

    Hidden cubes and members are left out entirely (a hidden one looks like a missing one),
    and so are those marked ``public: false``, exactly as in the SQL catalog.
    """
    models, _ = parse_models(dict(files))
    out = []
    for cube in models:
        if not cube.public or not policy.allows_cube(cube.name):
            continue
        members: list[MemberSummary] = []
        for kind, group in (("dimension", cube.dimensions), ("measure", cube.measures),
                            ("segment", cube.segments)):
            for m in group:
                if m.public and policy.allows_member(cube.name, m.name):
                    members.append(MemberSummary(m.name, kind, getattr(m, "type", None),
                                                 m.title, m.description))
        out.append(CubeSummary(cube.name, cube.title, cube.description, members))
    return out


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


async def _viewer(db: AsyncSession, actor: Actor, ds: DataSource
                  ) -> tuple[bool, AccessPolicy]:
    me = await membership(db, actor, ds.team_id)
    if await is_author(db, me):
        return True, ALLOW_ALL
    return False, await policy_of(db, me)


def _view(version: ModelVersion, files: list[tuple[str, str]], author: bool,
          policy: AccessPolicy) -> ModelView:
    return ModelView(version, files if author else [], policy, tuple(files))


async def list_versions(
    db: AsyncSession, actor: Actor, data_source_id: str, *, limit: int = 50
) -> list[ModelView]:
    ds = await get_data_source(db, actor, data_source_id)
    author, policy = await _viewer(db, actor, ds)
    rows = await db.scalars(
        select(ModelVersion)
        .where(ModelVersion.data_source_id == data_source_id)
        .order_by(ModelVersion.number.desc())
        .limit(min(limit, 200))
    )
    return [_view(v, await _files_of(db, v.id), author, policy) for v in rows]


async def get_version(db: AsyncSession, actor: Actor, version_id: str) -> ModelView:
    version = await db.get(ModelVersion, version_id)
    if version is None:
        raise NotFound("Model version not found.", field="id")
    try:
        ds = await get_data_source(db, actor, version.data_source_id)
    except NotFound:
        raise NotFound("Model version not found.", field="id") from None
    author, policy = await _viewer(db, actor, ds)
    return _view(version, await _files_of(db, version.id), author, policy)


async def read_models(db: AsyncSession, actor: Actor, data_source_id: str
                      ) -> ModelView | None:
    ds = await get_data_source(db, actor, data_source_id)
    author, policy = await _viewer(db, actor, ds)
    live = await latest_version(db, data_source_id)
    return None if live is None else _view(live.version, live.files, author, policy)


async def list_tables(db: AsyncSession, actor: Actor, config: SourceConfig,
                      data_source_id: str) -> list[TableInfo]:
    """The source's raw tables and columns: for model authors only (they name hidden data)."""
    ds = await get_data_source(db, actor, data_source_id)
    await require_author(db, actor, ds.team_id)
    return await read_source_tables(db, actor, config, data_source_id)


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
    await require_author(db, actor, ds.team_id)
    _check_files(files)
    # Raises ModelValidationFailed with every problem; never on the event loop (CPU-bound).
    if checker is not None:
        await checker.require_valid(dict(files), columns=columns)
    else:
        await asyncio.to_thread(load_models, dict(files), columns=columns)
    current = await latest_version(db, data_source_id)
    if current is not None and current.version.checksum == _checksum(files):
        # Unchanged files make no new (empty) version: the live one is the answer, so a
        # repeated or retried save is harmless and the gateways are not told of a non-change.
        return current
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
    await require_author(db, actor, ds.team_id)
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
