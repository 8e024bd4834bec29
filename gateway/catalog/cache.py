"""One catalog DuckDB per (credential, model version, access policy), built on first use.

Both gateways keep their catalogs here, so one bound (``max_entries``, each with the same
``CatalogLimits``) covers every sandbox of the process.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

from backend.semantic.model import AccessPolicy, ModelSet
from gateway.catalog.database import CatalogDatabase
from gateway.catalog.sandbox import CatalogLimits, SandboxDatabase
from gateway.catalog.visible import visible_tables

CacheKey = tuple[str, str | None, frozenset[str] | None]
D = TypeVar("D", bound=SandboxDatabase)


class CatalogCache:
    def __init__(
        self, *, database: str = "db", max_entries: int = 256,
        settings: Mapping[str, str] | None = None, limits: CatalogLimits | None = None,
    ):
        self.database = database
        self.settings = dict(settings or {})  # shown in pg_settings (the defaults)
        self.max_entries = max_entries
        self.limits = limits or CatalogLimits()
        self._entries: OrderedDict[Hashable, SandboxDatabase] = OrderedDict()

    def get(
        self, username: str, model_version_id: str | None, models: ModelSet, access: AccessPolicy
    ) -> CatalogDatabase:
        """The PostgreSQL catalog of this credential's view."""
        return self.get_other(
            ("pg", username, model_version_id, access.allowed), CatalogDatabase,
            lambda: CatalogDatabase(visible_tables(models, access), username=username,
                                    database=self.database, settings=self.settings,
                                    limits=self.limits))

    def get_other(self, key: Hashable, kind: type[D], build: Callable[[], D]) -> D:
        """The catalog under ``key`` (of class ``kind``), built by ``build`` when missing;
        the MySQL gateway keeps its information_schema catalogs here too."""
        db = self._entries.get(key)
        if isinstance(db, kind):
            self._entries.move_to_end(key)
            return db
        built = build()
        self._entries[key] = built
        while len(self._entries) > self.max_entries:
            # Sessions may still hold the evicted one; it is freed when they let go.
            self._entries.popitem(last=False)
        return built

    def forget(self, username: str) -> None:
        """Drop every catalog of ``username`` (the change feed says its grant changed or is
        gone): a deleted or rotated credential must not keep its sandboxes, some megabytes
        each, until ``max_entries`` newer ones push them out. Sessions still holding one
        keep it until they end."""
        for key in [k for k in self._entries if isinstance(k, tuple) and k[1:2] == (username,)]:
            del self._entries[key]

    def close(self) -> None:
        for db in self._entries.values():
            db.close()
        self._entries.clear()
