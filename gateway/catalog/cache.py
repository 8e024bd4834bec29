"""One catalog DuckDB per (credential, model version, access policy), built on first use."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

from backend.semantic.model import AccessPolicy, ModelSet
from gateway.catalog.database import CatalogDatabase
from gateway.catalog.visible import visible_tables

CacheKey = tuple[str, str | None, frozenset[str] | None]


class CatalogCache:
    def __init__(
        self, *, database: str = "db", max_entries: int = 256,
        settings: Mapping[str, str] | None = None,
    ):
        self.database = database
        self.settings = dict(settings or {})  # shown in pg_settings (the defaults)
        self.max_entries = max_entries
        self._entries: OrderedDict[CacheKey, CatalogDatabase] = OrderedDict()

    def get(
        self, username: str, model_version_id: str | None, models: ModelSet, access: AccessPolicy
    ) -> CatalogDatabase:
        key = (username, model_version_id, access.allowed)
        db = self._entries.get(key)
        if db is None:
            db = CatalogDatabase(
                visible_tables(models, access), username=username, database=self.database,
                settings=self.settings,
            )
            self._entries[key] = db
            while len(self._entries) > self.max_entries:
                # Sessions may still hold the evicted one; it is freed when they let go.
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return db

    def close(self) -> None:
        for db in self._entries.values():
            db.close()
        self._entries.clear()
