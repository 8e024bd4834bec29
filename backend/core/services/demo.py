"""The onboarding's "Use demo data": the generated data set as a team's data source, modelled."""

from __future__ import annotations

import asyncio
from pathlib import Path

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
    path = await asyncio.to_thread(ensure_demo, data_dir, order_items=order_items)
    ds = await datasources.create_data_source(
        db, actor, config, team_id=team_id, name=name, type_="DUCKDB",
        params={"path": str(path)},
    )
    await modelversions.generate_models(db, actor, config, data_source_id=ds.id, tables=[],
                                        overwrite=True)
    return ds
