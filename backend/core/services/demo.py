"""The onboarding's "Use demo data": the generated data set as a team's data source, modelled.

Idempotent per team: a team has at most one demo source (the one pointing at the shared demo
file), so pressing "Use demo data" again — after a reload, a double click, a retry — answers
with the existing source instead of adding a second one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.models import DataSource
from backend.core.services import datasources, modelversions
from backend.core.services.authoring import require_author
from backend.core.services.authz import Actor, require_role
from backend.core.services.datasources import SourceConfig


async def create_demo_data_source(
    db: AsyncSession, actor: Actor, config: SourceConfig, *, team_id: str, name: str,
    data_dir: Path, order_items: int,
) -> DataSource:
    """Add the demo DuckDB file (generated once per installation) with generated models."""
    from backend.connectors.demo import ensure_demo

    # Checked before the (one-time, several-second) generation: nobody else may trigger it.
    await require_role(db, actor, team_id, "admin")
    await require_author(db, actor, team_id)  # it saves generated models
    existing = await find_demo_source(db, team_id, data_dir)
    if existing is not None:
        return existing
    path = await asyncio.to_thread(ensure_demo, data_dir, order_items=order_items)
    ds = await datasources.create_data_source(
        db, actor, config, team_id=team_id, name=name, type_="DUCKDB",
        params={"path": str(path)},
    )
    await modelversions.generate_models(db, actor, config, data_source_id=ds.id, tables=[],
                                        overwrite=True)
    return ds


async def find_demo_source(db: AsyncSession, team_id: str, data_dir: Path) -> DataSource | None:
    """The team's demo source, if it has one: a DuckDB source on the shared demo file."""
    from backend.connectors.demo import DEMO_FILE

    demo = (Path(data_dir) / DEMO_FILE).resolve()
    rows = await db.scalars(select(DataSource).where(DataSource.team_id == team_id,
                                                     DataSource.type == "DUCKDB")
                            .order_by(DataSource.created_at))
    for ds in rows:
        path = (ds.params or {}).get("path")
        if path and Path(str(path)).resolve() == demo:
            return ds
    return None
