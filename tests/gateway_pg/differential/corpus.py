"""The differential corpus: real tools' catalog statements, one file per tool.

``tests/gateway_pg/corpus/<tool>.sql`` holds blocks::

    -- name: \\d orders (2)
    -- expect: subset: PostgreSQL also lists its built-in types
    SELECT ...;

``name`` identifies the statement within its tool. ``expect`` (optional, repeatable) states a
known, explained difference from PostgreSQL (see ``compare.Expectation``); without one the
answer must be the same. Placeholders: ``{database}``, ``{user}``, ``{oid:<relation>}`` — each
side substitutes its own. ``bi_catalog.sql`` (``-- title: <tool> ...`` blocks) is read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).parent.parent / "corpus"
_BLOCK = re.compile(r"^-- (name|title): ", re.M)


@dataclass(frozen=True)
class Case:
    tool: str
    name: str
    sql: str
    expect: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.tool}: {self.name}"


def parse_file(path: Path) -> list[Case]:
    text = path.read_text()
    starts = [m.start() for m in _BLOCK.finditer(text)]
    cases = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        lines = text[start:end].strip().splitlines()
        kind, _, name = lines[0][3:].partition(": ")
        expect: list[str] = []
        body: list[str] = []
        for line in lines[1:]:
            if not body and line.startswith("-- expect: "):
                expect.append(line.removeprefix("-- expect: ").strip())
            else:
                body.append(line)
        sql = "\n".join(body).strip().rstrip(";").strip()
        tool = path.stem
        if kind == "title":  # bi_catalog.sql: the tool is the title's first word
            tool = name.split()[0].lower()
        cases.append(Case(tool, name.strip(), sql, tuple(expect)))
    return cases


def load(directory: Path = CORPUS_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.sql")):
        cases.extend(parse_file(path))
    ids = [c.id for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"corpus names must be unique per tool: {sorted(dupes)}"
    return cases


def write_file(path: Path, cases: list[Case]) -> None:
    out = []
    for c in cases:
        head = [f"-- name: {c.name}"] + [f"-- expect: {e}" for e in c.expect]
        out.append("\n".join(head) + "\n" + c.sql + ";\n")
    path.write_text("\n".join(out))
