"""The fixture corpus: SQL over the test models with expected output per target dialect.

A fixture file (tests/engine/fixtures/*.sql) holds cases separated by blank lines::

    # title: orders per status
    # client: mysql            (optional, default postgres)
    # access: restricted       (optional, default all)
    # error: 42501             (optional: the SQLSTATE every target must raise)
    # ordered: true            (optional: compare executed rows in order)
    # tolerance: 0.05          (optional: relative tolerance for numbers, e.g. estimates)
    # tool: tableau            (optional: the client tool whose shape the case records)
    # pending: <reason>        (optional: the engine does not do this yet; the tests xfail
                                it strictly, so they say when it starts to pass;
                                pending.<target>: for one target only)
    SELECT status, COUNT(*) FROM orders
    # reference: SELECT status, COUNT(*) FROM {s}orders GROUP BY status
    # reference.mysql: ...     (optional: a per-engine reference)

``reference`` is hand-written SQL over the raw tables (PostgreSQL dialect, ``{s}`` for the
schema prefix); the execution tests run both it and the compiled query and compare rows.
The expected data-source SQL of every case and target lives in
fixtures/snapshots/<file>.<target>.sql; cases with ``# error:`` fail the same way on every
target, so their one expected error lives in fixtures/snapshots/<file>.any.sql.
``ENGINE_UPDATE_SNAPSHOTS=1`` rewrites those files (then review the diff: a snapshot is only
as good as the reading it was given). A pending case gets no snapshot on its pending targets:
what the engine does today is not its expectation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from backend.core.errors import AppError
from backend.semantic.model import ALLOW_ALL, AccessPolicy
from gateway.engine import CompiledQuery, compile_query

from .models import RESTRICTED, demo_models

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = FIXTURES / "snapshots"
TARGETS = ("postgres", "mysql", "sqlite", "duckdb")
ANY_TARGET = "any"  # the snapshot file of error cases, shared by every target
ACCESS: dict[str, AccessPolicy] = {"all": ALLOW_ALL, "restricted": RESTRICTED}


@dataclass
class Case:
    file: str
    title: str
    sql: str
    client: str = "postgres"
    access: str = "all"
    error: str | None = None
    ordered: bool = False
    tolerance: float = 1e-6  # relative, for estimates such as approximate distinct counts
    references: dict[str, str] = field(default_factory=dict)  # "" = default reference
    tool: str | None = None
    pending: dict[str, str] = field(default_factory=dict)  # target or "" (all) -> reason

    @property
    def id(self) -> str:
        return f"{self.file}:{self.title}"

    def reference_for(self, engine: str) -> str | None:
        return self.references.get(engine) or self.references.get("")

    def pending_on(self, target: str) -> str | None:
        """Why the case is expected to fail on ``target`` (an error case: on any), if it is."""
        if self.error is not None and self.pending:
            return next(iter(self.pending.values()))
        return self.pending.get(target) or self.pending.get("")


_DIRECTIVE = re.compile(r"^#\s*([\w.]+):\s*(.*)$")


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    blocks = re.split(r"\n\s*\n", path.read_text())
    for block in blocks:
        lines = [line.rstrip() for line in block.strip().splitlines()]
        if not lines or not lines[0].startswith("# title:"):
            if any(line and not line.startswith("--") for line in lines):
                raise ValueError(f"{path.name}: a case must start with '# title:': {lines[0]!r}")
            continue
        case = Case(path.stem, lines[0].split(":", 1)[1].strip(), "")
        sql_lines: list[str] = []
        current: list[str] = sql_lines
        for line in lines[1:]:
            match = _DIRECTIVE.match(line)
            if match is None:
                current.append(line)
                continue
            key, value = match.group(1), match.group(2).strip()
            if key.startswith("reference"):
                engine = key.partition(".")[2]
                current = [value] if value else []
                case.references[engine] = ""  # filled below
                case.__dict__.setdefault("_refs", {})[engine] = current
            elif key == "client":
                case.client = value
            elif key == "access":
                case.access = value
            elif key == "error":
                case.error = value
            elif key == "tolerance":
                case.tolerance = float(value)
            elif key == "ordered":
                case.ordered = value.lower() == "true"
            elif key == "tool":
                case.tool = value
            elif key.startswith("pending"):
                case.pending[key.partition(".")[2]] = value or "pending"
            else:
                raise ValueError(f"{path.name}: {case.title}: unknown directive {key}")
        case.sql = "\n".join(sql_lines).strip()
        for engine, ref_lines in case.__dict__.pop("_refs", {}).items():
            case.references[engine] = "\n".join(ref_lines).strip()
        if not case.sql:
            raise ValueError(f"{path.name}: {case.title}: no SQL")
        if any(c.title == case.title for c in cases):
            raise ValueError(f"{path.name}: duplicate title {case.title!r}")
        cases.append(case)
    return cases


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(FIXTURES.glob("*.sql")):
        cases.extend(load_cases(path))
    return cases


def _pending_marks(case: Case, target: str) -> list[Any]:
    reason = case.pending_on(target)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def case_params(cases: list[Case], target: str) -> list[Any]:
    """``cases`` as pytest parameters, the pending ones on ``target`` strictly xfailed."""
    return [pytest.param(c, marks=_pending_marks(c, target), id=c.id) for c in cases]


def case_target_params(cases: list[Case], targets: tuple[str, ...]) -> list[Any]:
    """(case, target) pytest parameters, each pending pair strictly xfailed."""
    return [
        pytest.param(c, t, marks=_pending_marks(c, t), id=f"{c.id}-{t}")
        for c in cases for t in targets
    ]


def compile_case(case: Case, target: str, schema: str = "demo") -> CompiledQuery:
    return compile_query(
        case.sql,
        client_dialect=case.client,  # type: ignore[arg-type]
        models=demo_models(schema),
        access=ACCESS[case.access],
        target_dialect=target,  # type: ignore[arg-type]
    )


def render_case(case: Case, target: str) -> str:
    """The snapshot text of a case: the compiled SQL, or ``# error: <SQLSTATE>``."""
    try:
        compiled = compile_case(case, target)
    except AppError as e:
        return f"# error: {e.sqlstate} {type(e).__name__}: {e.message}"
    return compiled.sql


def snapshot_target(case: Case, target: str) -> str:
    """Which snapshot file holds the expectation of ``case`` on ``target``."""
    return ANY_TARGET if case.error is not None else target


def snapshot_path(file: str, target: str) -> Path:
    return SNAPSHOTS / f"{file}.{target}.sql"


def read_snapshot(file: str, target: str) -> dict[str, str]:
    path = snapshot_path(file, target)
    if not path.exists():
        return {}
    entries: dict[str, str] = {}
    for block in path.read_text().split("\n\n"):
        block = block.strip()
        if not block:
            continue
        title_line, _, body = block.partition("\n")
        entries[title_line.removeprefix("# title:").strip()] = body.strip()
    return entries


def write_snapshot(file: str, target: str, cases: list[Case]) -> None:
    """Write ``target``'s snapshot of ``file`` (``ANY_TARGET``: its error cases)."""
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    mine = [
        c for c in cases
        if snapshot_target(c, target) == target
        and not c.pending_on(TARGETS[0] if target == ANY_TARGET else target)
    ]
    render_on = TARGETS[0] if target == ANY_TARGET else target
    text = "".join(f"# title: {c.title}\n{render_case(c, render_on)}\n\n" for c in mine)
    path = snapshot_path(file, target)
    if text:
        path.write_text(text)
    else:
        path.unlink(missing_ok=True)
