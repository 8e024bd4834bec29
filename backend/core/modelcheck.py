"""Model validation in worker processes, with a time limit that really stops the work.

Validating model YAML is pure CPU (a 1 MB file takes seconds). On the event loop it would stop
the web tier, both gateways and the change feed for that long; on a thread it would still
hold the GIL against them and could not be stopped. So it runs in a small pool of worker
processes (``MODEL_VALIDATION_WORKERS``): the event loop only waits on a pipe, and a check that
outlives ``MODEL_VALIDATION_TIMEOUT_S`` (waiting for a worker included) is answered with
``LimitExceeded`` and its worker is killed and replaced. The YAML limits bound the work before
the clock does; the time limit is the backstop.

The processes are a ``backend.core.workers.WorkerPool``.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from backend.core.errors import LimitExceeded, ModelValidationFailed
from backend.core.workers import WorkerPool
from backend.semantic.limits import YamlLimits
from backend.semantic.problems import Problem

Files = Mapping[str, str]
Columns = Mapping[str, Set[str]] | None


def _check(files: dict[str, str], columns: dict[str, set[str]] | None,
           limits: YamlLimits) -> list[Problem]:
    """In a worker: every problem of ``files`` (``LimitExceeded`` past a YAML limit)."""
    from backend.semantic.validate import check_models

    _, problems = check_models(files, columns=columns, limits=limits)
    return list(problems)


@dataclass(frozen=True)
class CheckLimits:
    yaml: YamlLimits
    timeout_s: float
    workers: int


class ModelChecker:
    """Validates model files off the event loop, a bounded number at a time."""

    def __init__(self, limits: CheckLimits):
        self.limits = limits
        self._pool = WorkerPool(name="metricsql-model-check", workers=limits.workers,
                                preload=["backend.semantic.validate"])

    @classmethod
    def from_settings(cls, settings: Any) -> ModelChecker:
        return cls(CheckLimits(
            yaml=YamlLimits(max_file_bytes=settings.yaml_max_file_bytes,
                            max_nodes=settings.yaml_max_nodes,
                            max_aliases=settings.yaml_max_aliases,
                            max_depth=settings.yaml_max_depth),
            timeout_s=settings.model_validation_timeout_s,
            workers=settings.model_validation_workers,
        ))

    def _timeout(self) -> LimitExceeded:
        return LimitExceeded(
            f"Model validation took longer than {self.limits.timeout_s:g} s and was stopped "
            "(MODEL_VALIDATION_TIMEOUT_S); split the models into smaller files or retry.",
            field="files")

    async def problems(self, files: Files, *, columns: Columns = None) -> list[Problem]:
        """Every problem in ``files``; raises ``LimitExceeded`` past a limit or the time."""
        try:
            return await self._pool.run(self.limits.timeout_s, _check, dict(files),
                                        _plain(columns), self.limits.yaml)
        except TimeoutError:
            raise self._timeout() from None

    async def require_valid(self, files: Files, *, columns: Columns = None) -> None:
        """Raise ``ModelValidationFailed`` listing every problem, if there is one."""
        found = await self.problems(files, columns=columns)
        if found:
            raise ModelValidationFailed(
                list(found),
                message=f"{len(found)} problem(s) in the model files; first: {found[0]}")

    def close(self) -> None:
        self._pool.close()


def _plain(columns: Columns) -> dict[str, set[str]] | None:
    return None if columns is None else {k: set(v) for k, v in columns.items()}
