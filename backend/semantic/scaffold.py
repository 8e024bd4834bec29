"""Generate Cube-compatible model files from source tables, following Cube's scaffolding rules.

One cube per table, named after the table, in ``<table>.yml``; a ``count`` measure; a ``sum``
measure per numeric column that is not a key; every other column a dimension; primary keys
marked; ``many_to_one`` joins from foreign keys and from ``<x>_id`` columns that name another
selected table. Output is deterministic (tables sorted by schema and name, columns in source
order) and is written by a small emitter here rather than a YAML dumper so that the files read
like hand-written ones; every string that is not a plain word is double-quoted (JSON escaping
is valid YAML), so the output always loads back to the same values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from backend.connectors.base import ColumnInfo, TableInfo
from backend.semantic.loader import snake_case
from backend.semantic.model import DimensionType

ProgressCallback = Callable[[int, int, str], None]

_NUMBER_TYPE = re.compile(
    r"(u?(tiny|small|medium|big|huge)?int(eger)?\d*|(small|big)?serial\d*|decimal|numeric"
    r"|real|double( precision)?|float\d*|number|dec|fixed)\Z"
)
_TIME_TYPE = re.compile(r"(date|datetime\d*|smalldatetime|timestamp.*|time\b.*|timetz)\Z")
_BOOLEAN_TYPE = re.compile(r"(bool|boolean)\Z")
# Characters that stand for themselves in a YAML double-quoted scalar: printable, and not one
# of the line breaks (NEL, LS, PS) that YAML would fold into a space.
_YAML_PRINTABLE = re.compile(
    "[\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
)
_RESOLVER = Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
# Words that must be quoted when used as a column or table name in generated SQL.
_RESERVED = frozenset({
    "all", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "cast",
    "check", "collate", "column", "constraint", "create", "cross", "current_date",
    "current_time", "current_timestamp", "current_user", "default", "desc", "distinct", "do",
    "else", "end", "except", "false", "fetch", "for", "foreign", "from", "full", "grant",
    "group", "having", "in", "index", "inner", "intersect", "into", "is", "join", "key",
    "leading", "left", "like", "limit", "natural", "not", "null", "offset", "on", "only",
    "or", "order", "outer", "primary", "references", "right", "select", "session_user",
    "some", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
    "when", "where", "window", "with",
})


@dataclass(frozen=True)
class _Target:
    cube: str
    key: str | None  # the single primary-key column joins point at


@dataclass(frozen=True)
class _ByName:
    in_schema: dict[tuple[str, str], _Target]  # (schema, member-style table name)
    anywhere: dict[str, list[_Target]]


def dimension_type(source_type: str) -> DimensionType:
    """Map a source column type (lower case, as connectors report it) to a dimension type."""
    base = source_type.strip().lower()
    if base.endswith("[]") or base.startswith(("array", "list", "struct", "map")):
        return "string"
    base = re.sub(r"\(.*?\)", "", base).replace(" unsigned", "").replace(" zerofill", "")
    base = base.replace(" with time zone", "").replace(" without time zone", "").strip()
    if _BOOLEAN_TYPE.match(base):
        return "boolean"
    if _NUMBER_TYPE.match(base):
        return "number"
    if _TIME_TYPE.match(base):
        return "time"
    return "string"


def member_name(column: str) -> str:
    """A column name as a model identifier: snake_case, ``[A-Za-z0-9_]`` only."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", snake_case(column)).strip("_").lower()
    if not name:
        return "column"
    return "_" + name if name[0].isdigit() else name


def table_columns(tables: Sequence[TableInfo]) -> dict[str, set[str]]:
    """``{"schema.table": {columns}}``: the ``columns`` argument of ``load_models``.

    Names that are not plain identifiers are double-quoted, so that a dot inside a name is
    not taken for the schema separator.
    """
    return {
        f"{_quote(t.schema, 'postgres')}.{_quote(t.name, 'postgres')}": {c.name for c in t.columns}
        for t in tables
    }


def generate_models(
    tables: Sequence[TableInfo], *, dialect: str = "postgres",
    on_progress: ProgressCallback | None = None,
) -> dict[str, str]:
    """Model files ``{"<cube>.yml": yaml}`` for the given tables.

    ``dialect`` (postgres, mysql, sqlite, duckdb) decides how names that need quoting are
    quoted in ``sql_table`` and ``sql``. ``on_progress(done, total, "schema.table")`` is called
    after each table.
    """
    ordered = sorted(tables, key=lambda t: (t.schema, t.name))
    names = _cube_names(ordered)
    # Foreign keys name their target exactly as the catalog spells it.
    targets = {(t.schema, t.name): _Target(names[id(t)], _join_key(t)) for t in ordered}
    # ``<x>_id`` columns are matched against table names spelled as members (snake_case).
    by_member = _ByName({}, {})
    for t in ordered:
        target, name = targets[(t.schema, t.name)], member_name(t.name)
        by_member.in_schema.setdefault((t.schema.lower(), name), target)
        by_member.anywhere.setdefault(name, []).append(target)
    files: dict[str, str] = {}
    for done, table in enumerate(ordered, start=1):
        cube = names[id(table)]
        files[f"{cube}.yml"] = _render(_cube(table, cube, targets, by_member, dialect))
        if on_progress is not None:
            on_progress(done, len(ordered), f"{table.schema}.{table.name}")
    return dict(sorted(files.items()))


def _cube_names(tables: Sequence[TableInfo]) -> dict[int, str]:
    """Cube names by table: the table's name, or ``<schema>_<table>`` where names collide."""
    plain = [member_name(t.name) for t in tables]
    counts = Counter(plain)
    names: dict[int, str] = {}
    used: set[str] = set()
    for table, name in zip(tables, plain, strict=True):
        if counts[name] > 1:
            name = member_name(f"{table.schema}_{table.name}")
        name = _unique(name, used)
        names[id(table)] = name
    return names


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(candidate)
    return candidate


def _primary_key(table: TableInfo) -> tuple[str, ...]:
    # Without a declared key, a column called ``id`` is taken as the key (as Cube does).
    if table.primary_key:
        return table.primary_key
    return tuple(c.name for c in table.columns if c.name.lower() == "id")[:1]


def _join_key(table: TableInfo) -> str | None:
    key = _primary_key(table)
    return key[0] if len(key) == 1 else None


def _id_prefix(column: str) -> str | None:
    """``customer_id`` / ``customerId`` → ``customer``."""
    name = member_name(column)
    return name[:-3] if name.endswith("_id") and len(name) > 3 else None


def _cube(
    table: TableInfo, cube: str, targets: dict[tuple[str, str], _Target],
    by_member: _ByName, dialect: str,
) -> dict[str, object]:
    def q(name: str) -> str:
        return _quote(name, dialect)

    primary = {c.lower() for c in _primary_key(table)}
    fk_columns = {c.lower() for fk in table.foreign_keys for c in fk.columns}

    joins: list[dict[str, object]] = []
    joined: set[str] = set()
    for fk in sorted(table.foreign_keys, key=lambda f: f.columns):
        target = targets.get((fk.ref_schema, fk.ref_table))
        if target is None or target.cube == cube or target.cube in joined:
            continue
        on = " AND ".join(f"{{CUBE}}.{q(c)} = {{{target.cube}}}.{q(r)}"
                          for c, r in zip(fk.columns, fk.ref_columns, strict=True))
        joins.append({"name": target.cube, "relationship": "many_to_one", "sql": on})
        joined.add(target.cube)
    for column in table.columns:
        prefix = _id_prefix(column.name)
        if prefix is None or column.name.lower() in fk_columns:
            continue
        target = _id_target(prefix, table.schema, by_member)
        if target is None or target.key is None or target.cube == cube or target.cube in joined:
            continue
        joins.append({"name": target.cube, "relationship": "many_to_one",
                      "sql": f"{{CUBE}}.{q(column.name)} = {{{target.cube}}}.{q(target.key)}"})
        joined.add(target.cube)

    # ``{name}`` means a member before a cube, so no member may shadow a joined cube's name.
    used = set(joined)
    dimensions: list[dict[str, object]] = []
    measures: list[dict[str, object]] = [{"name": _unique("count", used), "type": "count"}]
    for column in table.columns:
        name = _unique(member_name(column.name), used)
        kind = dimension_type(column.type)
        if kind == "number" and not _is_key(column, primary, fk_columns):
            measures.append({"name": name, "sql": q(column.name), "type": "sum"})
            continue
        dimension: dict[str, object] = {"name": name, "sql": q(column.name), "type": kind}
        if column.name.lower() in primary:
            dimension["primary_key"] = True
        dimensions.append(dimension)

    return {
        "name": cube,
        "sql_table": f"{q(table.schema)}.{q(table.name)}",
        "joins": joins,
        "dimensions": dimensions,
        "measures": measures,
    }


def _is_key(column: ColumnInfo, primary: set[str], fk_columns: set[str]) -> bool:
    lower = column.name.lower()
    return (lower in primary or lower in fk_columns or lower == "id"
            or _id_prefix(column.name) is not None)


def _id_target(prefix: str, schema: str, targets: _ByName) -> _Target | None:
    """The selected table an ``<x>_id`` column points at: ``x``, ``xs``, ``xes`` or ``x→ies``."""
    candidates = [prefix, prefix + "s", prefix + "es"]
    if prefix.endswith("y"):
        candidates.append(prefix[:-1] + "ies")
    for name in candidates:  # the same schema first, then one unambiguous match anywhere
        if (schema.lower(), name) in targets.in_schema:
            return targets.in_schema[(schema.lower(), name)]
    for name in candidates:
        found = targets.anywhere.get(name, [])
        if len(found) == 1:
            return found[0]
    return None


def _quote(name: str, dialect: str) -> str:
    plain = r"[a-z_][a-z0-9_]*\Z" if dialect == "postgres" else r"[A-Za-z_][A-Za-z0-9_]*\Z"
    if re.match(plain, name) and name.lower() not in _RESERVED:
        return name
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


# --- a small YAML emitter for this fixed shape --------------------------------------------------


def _render(cube: dict[str, object]) -> str:
    lines = ["cubes:"]
    head = [(k, v) for k, v in cube.items() if not isinstance(v, list)]
    for i, (key, value) in enumerate(head):
        lines.append(f"  {'- ' if i == 0 else '  '}{key}: {_scalar(value)}")
    for key, value in cube.items():
        if not isinstance(value, list) or not value:
            continue
        lines.append("")
        lines.append(f"    {key}:")
        for item in value:
            assert isinstance(item, dict)
            for i, (k, v) in enumerate(item.items()):
                lines.append(f"      {'- ' if i == 0 else '  '}{k}: {_scalar(v)}")
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A plain scalar only when YAML resolves it as a string (not true, null, 1e3...).
    if _PLAIN.match(text) and _plain_is_string(text):
        return text
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def _plain_is_string(text: str) -> bool:
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR_TAG)


def _escape(ch: str) -> str:
    if ch in '"\\':
        return "\\" + ch
    if _YAML_PRINTABLE.match(ch):
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else (
        f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
