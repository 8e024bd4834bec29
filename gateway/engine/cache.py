"""A bounded LRU of compiled queries, so a repeated statement costs a dictionary lookup.

Keyed on the statement text, both dialects, the model version and the access policy: a new
model version or a changed access list is simply a different key (old entries age out).
Errors are not cached: they are cheap to recompute and must reflect the current models.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from backend.semantic.model import AccessPolicy, ModelSet

from .compile import compile_query
from .limits import DEFAULT_LIMITS, InputLimits
from .types import ClientDialect, CompiledQuery, TargetDialect

CacheKey = tuple[str, str, str, object, frozenset[str] | None]


class PlanCache:
    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[CacheKey, tuple[ModelSet, CompiledQuery]] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def compile(
        self,
        sql: str,
        *,
        client_dialect: ClientDialect,
        models: ModelSet,
        access: AccessPolicy,
        target_dialect: TargetDialect,
        model_version: str | None = None,
        limits: InputLimits = DEFAULT_LIMITS,
    ) -> CompiledQuery:
        """``compile_query`` through the cache. ``model_version`` (a version id or hash)
        identifies the models; without it the ModelSet object's identity does."""
        cached = self.get(sql, client_dialect=client_dialect, models=models, access=access,
                          target_dialect=target_dialect, model_version=model_version)
        if cached is not None:
            return cached
        compiled = compile_query(
            sql, client_dialect=client_dialect, models=models, access=access,
            target_dialect=target_dialect, limits=limits,
        )
        self.put(sql, compiled, client_dialect=client_dialect, models=models, access=access,
                 target_dialect=target_dialect, model_version=model_version)
        return compiled

    def get(
        self, sql: str, *, client_dialect: ClientDialect, models: ModelSet,
        access: AccessPolicy, target_dialect: TargetDialect, model_version: str | None = None,
    ) -> CompiledQuery | None:
        """The cached compilation, or None (counted as a miss)."""
        key = _key(sql, client_dialect, target_dialect, models, access, model_version)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and (model_version is not None or entry[0] is models):
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        self.misses += 1
        return None

    def put(
        self, sql: str, compiled: CompiledQuery, *, client_dialect: ClientDialect,
        models: ModelSet, access: AccessPolicy, target_dialect: TargetDialect,
        model_version: str | None = None,
    ) -> None:
        """Remember a compilation made elsewhere (in a worker process)."""
        key = _key(sql, client_dialect, target_dialect, models, access, model_version)
        with self._lock:
            self._entries[key] = (models, compiled)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _key(sql: str, client: str, target: str, models: ModelSet, access: AccessPolicy,
         model_version: str | None) -> CacheKey:
    version: object = model_version if model_version is not None else id(models)
    return (sql, client, target, version, access.allowed)
