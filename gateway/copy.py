"""``COPY ... TO STDOUT``: what the statement asks for, checked as PostgreSQL 15 checks it.

``COPY (query) TO STDOUT`` and ``COPY table [(columns)] TO STDOUT`` are reads: the inner query
(or ``SELECT columns FROM table``) runs like any other statement — through the engine or the
catalog — and only its rows are framed differently. Everything else COPY can do writes or
touches the server's files and programs, and is refused the way PostgreSQL refuses it to an
unprivileged user of a read-only transaction. Options follow PostgreSQL 15's
``ProcessCopyOptions``: the same names, defaults, validation order, messages and SQLSTATEs,
so a client that probes options sees the answers it would see from PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.core.errors import (
    AccessDenied,
    InvalidInput,
    NotSupported,
    ReadOnly,
    SqlSyntaxError,
)

Format = str  # "text" | "csv" | "binary"


@dataclass(frozen=True)
class CopyOptions:
    format: Format = "text"
    delimiter: str = "\t"
    null: str = "\\N"
    header: bool = False
    quote: str = '"'
    escape: str = '"'
    force_quote: tuple[str, ...] = ()  # column names
    force_quote_all: bool = False

    @property
    def binary(self) -> bool:
        return self.format == "binary"


@dataclass(frozen=True)
class CopyRequest:
    query: str  # the statement whose rows are copied
    options: CopyOptions = field(default_factory=CopyOptions)


# --- a tiny tokenizer: enough of PostgreSQL's lexer for COPY's own syntax --------------------

_TOKEN = re.compile(
    r"""\s+|--[^\n]*|/\*.*?\*/
    |(?P<estr>[eE]'(?:[^'\\]|\\.|'')*')
    |(?P<str>'(?:[^']|'')*')
    |(?P<qid>"(?:[^"]|"")*")
    |(?P<num>[+-]?\d+(?:\.\d+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<punct>[(),.*;])""",
    re.S | re.X,
)
_E_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # word | qid | str | num | punct
    text: str  # words lower-cased; strings and quoted identifiers unquoted
    start: int


def _punct(tok: _Tok, char: str) -> bool:
    return tok.kind == "punct" and tok.text == char


def _unescape_e(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567":
                digits = re.match(r"[0-7]{1,3}", body[i + 1 :])
                assert digits is not None
                out.append(chr(int(digits.group(0), 8)))
                i += 1 + len(digits.group(0))
                continue
            if nxt == "x":
                digits = re.match(r"[0-9A-Fa-f]{1,2}", body[i + 2 :])
                if digits:
                    out.append(chr(int(digits.group(0), 16)))
                    i += 2 + len(digits.group(0))
                    continue
            out.append(_E_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if c == "'" and body[i + 1 : i + 2] == "'":
            out.append("'")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _tokens(text: str, start: int) -> list[_Tok]:
    out: list[_Tok] = []
    pos = start
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _syntax(text[pos:])
        pos = m.end()
        kind = m.lastgroup
        if kind is None:
            continue
        raw = m.group(kind)
        if kind == "estr":
            out.append(_Tok("str", _unescape_e(raw[2:-1]), m.start()))
        elif kind == "str":
            out.append(_Tok("str", raw[1:-1].replace("''", "'"), m.start()))
        elif kind == "qid":
            out.append(_Tok("qid", raw[1:-1].replace('""', '"'), m.start()))
        elif kind == "word":
            out.append(_Tok("word", raw.lower(), m.start()))
        else:
            out.append(_Tok(kind, raw, m.start()))
    while out and out[-1].text == ";" and out[-1].kind == "punct":
        out.pop()
    return out


def _syntax(near: str) -> SqlSyntaxError:
    near = near.strip()
    where = f'at or near "{near.split()[0]}"' if near else "at end of input"
    return SqlSyntaxError(f"syntax error {where}")


def _matching_paren(sql: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at`` (quotes, comments respected)."""
    depth, i, n = 0, open_at, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == "\\" and c == "'" and i > 0 and sql[i - 1] in "eE":
                    j += 2
                    continue
                if sql[j] == c:
                    if sql[j + 1 : j + 2] == c:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            continue
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", sql[i:])
            if m and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                j = sql.find(m.group(0), i + len(m.group(0)))
                i = n if j < 0 else j + len(m.group(0))
                continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise SqlSyntaxError("syntax error at end of input")


def _ident(name: str, quoted: bool) -> str:
    return '"' + name.replace('"', '""') + '"' if quoted else name


# --- the statement ---------------------------------------------------------------------------


def parse_copy(sql: str) -> CopyRequest:
    """The read a ``COPY`` statement asks for, or the error PostgreSQL would give."""
    m = re.match(r"(?:\s+|--[^\n]*\n?|/\*.*?\*/)*copy\b", sql, re.I | re.S)
    if m is None:
        raise _syntax(sql)
    pos = m.end()
    while pos < len(sql) and sql[pos].isspace():
        pos += 1
    columns: list[str] = []
    if sql[pos : pos + 1] == "(":
        close = _matching_paren(sql, pos)
        query = sql[pos + 1 : close].strip()
        rest = _tokens(sql, close + 1)
        first = re.match(r"(?:\s+|--[^\n]*\n?|/\*.*?\*/|\()*([A-Za-z]+)", query, re.S)
        if first is None or first.group(1).lower() not in ("select", "with", "values", "table"):
            if first is not None and first.group(1).lower() in (
                "insert", "update", "delete", "merge"
            ):
                raise ReadOnly(f"cannot execute {first.group(1).upper()} in a read-only "
                               "transaction")
            raise _syntax(query)
        table = None
    else:
        toks = _tokens(sql, pos)
        parts: list[str] = []
        i = 0
        while i < len(toks) and toks[i].kind in ("word", "qid"):
            parts.append(_ident(toks[i].text, toks[i].kind == "qid"))
            i += 1
            if i < len(toks) and _punct(toks[i], "."):
                i += 1
                continue
            break
        if not parts:
            raise _syntax(sql[toks[0].start:] if toks else "")
        if i < len(toks) and _punct(toks[i], "("):
            i += 1
            while i < len(toks) and toks[i].kind in ("word", "qid"):
                columns.append(_ident(toks[i].text, toks[i].kind == "qid"))
                i += 1
                if i < len(toks) and _punct(toks[i], ","):
                    i += 1
            if i >= len(toks) or not _punct(toks[i], ")"):
                raise _syntax(sql[toks[i].start:] if i < len(toks) else "")
            i += 1
        table = ".".join(parts)
        rest = toks[i:]
        query = f"SELECT {', '.join(columns) if columns else '*'} FROM {table}"
    if not rest:
        raise SqlSyntaxError("syntax error at end of input")
    direction = rest[0]
    if direction.kind == "word" and direction.text == "from":
        if table is None:
            raise _syntax("FROM")  # PostgreSQL: COPY (query) FROM is a syntax error
        raise ReadOnly("cannot execute COPY FROM in a read-only transaction",
                       hint="the SQL API is read-only: COPY ... TO STDOUT reads")
    if direction.kind != "word" or direction.text != "to":
        raise _syntax(sql[direction.start:])
    target = rest[1:2]
    if not target:
        raise SqlSyntaxError("syntax error at end of input")
    if target[0].kind == "word" and target[0].text == "program":
        raise AccessDenied(
            "must be superuser or have privileges of the pg_execute_server_program role to "
            "COPY to or from an external program",
            hint="Anyone can COPY to stdout or from stdin. psql's \\copy command also works "
                 "for anyone.",
        )
    if target[0].kind == "str":
        raise AccessDenied(
            "must be superuser or have privileges of the pg_write_server_files role to "
            "COPY to a file",
            hint="Anyone can COPY to stdout or from stdin. psql's \\copy command also works "
                 "for anyone.",
        )
    if target[0].kind != "word" or target[0].text != "stdout":
        if target[0].kind == "word" and target[0].text == "stdin":
            raise _syntax("STDIN")
        raise _syntax(sql[target[0].start:])
    options = _options(rest[2:], sql)
    return CopyRequest(query, options)


# --- options ---------------------------------------------------------------------------------

_Value = str | bool | list[str] | None


def _options(toks: list[_Tok], sql: str) -> CopyOptions:
    if toks and toks[0].kind == "word" and toks[0].text == "with":
        toks = toks[1:]
    new_style = bool(toks) and _punct(toks[0], "(")
    return _check(_new_style(toks, sql) if new_style else _legacy(toks, sql))


def _near(toks: list[_Tok], i: int, sql: str) -> SqlSyntaxError:
    return _syntax(sql[toks[i].start:] if i < len(toks) else "")


def _column_list(toks: list[_Tok], i: int, sql: str) -> tuple[list[str], int]:
    if i >= len(toks) or not _punct(toks[i], "("):
        raise _near(toks, i, sql)
    names: list[str] = []
    i += 1
    while i < len(toks) and toks[i].kind in ("word", "qid"):
        names.append(toks[i].text)
        i += 1
        if i < len(toks) and _punct(toks[i], ","):
            i += 1
    if i >= len(toks) or not _punct(toks[i], ")"):
        raise _near(toks, i, sql)
    return names, i + 1


def _new_style(toks: list[_Tok], sql: str) -> list[tuple[str, _Value]]:
    """``( name [value] [, ...] )``: values are strings, words, numbers, ``*`` or lists."""
    pairs: list[tuple[str, _Value]] = []
    i = 1
    while True:
        if i >= len(toks) or toks[i].kind != "word":
            raise _near(toks, i, sql)
        name = toks[i].text
        i += 1
        value: _Value = None
        if i < len(toks) and not (_punct(toks[i], ",") or _punct(toks[i], ")")):
            tok = toks[i]
            if _punct(tok, "("):
                value, i = _column_list(toks, i, sql)
            elif tok.kind == "punct" and tok.text != "*":
                raise _near(toks, i, sql)
            else:
                value = tok.text
                i += 1
        pairs.append((name, value))
        if i < len(toks) and _punct(toks[i], ","):
            i += 1
            continue
        if i < len(toks) and _punct(toks[i], ")"):
            i += 1
            break
        raise _near(toks, i, sql)
    if i < len(toks):
        raise _near(toks, i, sql)
    return pairs


def _legacy(toks: list[_Tok], sql: str) -> list[tuple[str, _Value]]:
    """The pre-9.0 syntax psql and old drivers still send: ``BINARY``, ``CSV HEADER``,
    ``DELIMITER [AS] 'c'``, ``NULL [AS] 's'``, ``QUOTE``/``ESCAPE [AS] 'c'``,
    ``FORCE QUOTE cols|*``, ``ENCODING 'e'``."""
    pairs: list[tuple[str, _Value]] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text if tok.kind == "word" else ""
        i += 1
        if word == "binary":
            pairs.append(("format", "binary"))
        elif word == "csv":
            pairs.append(("format", "csv"))
        elif word == "header":
            pairs.append(("header", True))
        elif word == "freeze":
            pairs.append(("freeze", True))
        elif word in ("delimiter", "null", "quote", "escape", "encoding"):
            if i < len(toks) and toks[i].kind == "word" and toks[i].text == "as":
                i += 1
            if i >= len(toks) or toks[i].kind != "str":
                raise _near(toks, i, sql)
            pairs.append((word, toks[i].text))
            i += 1
        elif word == "force":
            if i >= len(toks) or toks[i].kind != "word":
                raise _near(toks, i, sql)
            what = toks[i].text
            i += 1
            if what == "quote":
                if i < len(toks) and _punct(toks[i], "*"):
                    pairs.append(("force_quote", "*"))
                    i += 1
                else:
                    names: list[str] = []
                    while i < len(toks) and toks[i].kind in ("word", "qid"):
                        names.append(toks[i].text)
                        i += 1
                        if i < len(toks) and _punct(toks[i], ","):
                            i += 1
                            continue
                        break
                    if not names:
                        raise _near(toks, i, sql)
                    pairs.append(("force_quote", names))
            elif what == "not" and i < len(toks) and toks[i].text == "null":
                pairs.append(("force_not_null", None))
                break
            else:
                raise _near(toks, i - 1, sql)
        else:
            raise _near(toks, i - 1, sql)
    return pairs


def _bool(name: str, value: _Value, *, allow_match: bool = False) -> bool:
    if value is None or isinstance(value, bool):
        return True if value is None else value
    if isinstance(value, str):
        low = value.lower()
        if low in ("true", "on", "1", "yes", "t", "y"):
            return True
        if low in ("false", "off", "0", "no", "f", "n"):
            return False
        if allow_match and low == "match":
            raise NotSupported('cannot use "match" with HEADER in COPY TO')
    raise SqlSyntaxError(f"{name} requires a Boolean value")


def _single_value(name: str, value: _Value) -> str:
    if value is None:
        raise SqlSyntaxError(f"{name} requires a parameter")
    if not isinstance(value, str):
        raise InvalidInput(f"{name} requires a string value")
    return value


def _conflict() -> SqlSyntaxError:
    return SqlSyntaxError("conflicting or redundant options")


def _check(pairs: list[tuple[str, _Value]]) -> CopyOptions:
    fmt: str | None = None
    delimiter: str | None = None
    null: str | None = None
    header: bool | None = None
    quote: str | None = None
    escape: str | None = None
    force_quote: list[str] | None = None
    force_all = False
    seen: set[str] = set()
    for name, value in pairs:
        if name in seen:
            raise _conflict()
        seen.add(name)
        if name == "format":
            fmt = _single_value("format", value).lower()
            if fmt not in ("text", "csv", "binary"):
                raise InvalidInput(f'COPY format "{fmt}" not recognized')
        elif name == "freeze":
            _bool(name, value)
        elif name == "delimiter":
            delimiter = _single_value(name, value)
        elif name == "null":
            null = _single_value(name, value)
        elif name == "header":
            header = _bool(name, value, allow_match=True)
        elif name == "quote":
            quote = _single_value(name, value)
        elif name == "escape":
            escape = _single_value(name, value)
        elif name == "force_quote":
            if value == "*":
                force_all = True
                force_quote = []
            elif isinstance(value, list):
                force_quote = value
            else:
                raise InvalidInput(f'argument to option "{name}" must be a list of column names')
        elif name in ("force_not_null", "force_null"):
            label = "not null" if name == "force_not_null" else "null"
            raise NotSupported(f"COPY force {label} only available using COPY FROM")
        elif name == "encoding":
            encoding = _single_value(name, value)
            if encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "unicode"):
                raise NotSupported("only the UTF8 encoding is supported for COPY",
                                   hint="omit ENCODING or use ENCODING 'UTF8'")
        else:
            raise SqlSyntaxError(f'option "{name}" not recognized')
    fmt = fmt or "text"
    binary, csv = fmt == "binary", fmt == "csv"
    if binary and delimiter is not None:
        raise SqlSyntaxError("cannot specify DELIMITER in BINARY mode")
    if binary and null is not None:
        raise SqlSyntaxError("cannot specify NULL in BINARY mode")
    if binary and header:
        raise NotSupported("cannot specify HEADER in BINARY mode")
    delimiter = delimiter if delimiter is not None else ("," if csv else "\t")
    null = null if null is not None else ("" if csv else "\\N")
    if csv:
        quote = quote if quote is not None else '"'
        escape = escape if escape is not None else quote
    if len(delimiter.encode()) != 1:
        raise NotSupported("COPY delimiter must be a single one-byte character")
    if delimiter in "\r\n":
        raise InvalidInput("COPY delimiter cannot be newline or carriage return")
    if "\r" in null or "\n" in null:
        raise InvalidInput("COPY null representation cannot use newline or carriage return")
    if not csv and delimiter in "\\.abcdefghijklmnopqrstuvwxyz0123456789":
        raise InvalidInput(f'COPY delimiter cannot be "{delimiter}"')
    if not csv and quote is not None:
        raise NotSupported("COPY quote available only in CSV mode")
    if csv and quote is not None and len(quote.encode()) != 1:
        raise NotSupported("COPY quote must be a single one-byte character")
    if csv and delimiter == quote:
        raise InvalidInput("COPY delimiter and quote must be different")
    if not csv and escape is not None:
        raise NotSupported("COPY escape available only in CSV mode")
    if csv and escape is not None and len(escape.encode()) != 1:
        raise NotSupported("COPY escape must be a single one-byte character")
    if not csv and force_quote is not None:
        raise NotSupported("COPY force quote available only in CSV mode")
    if csv and delimiter in null:
        raise NotSupported("COPY delimiter must not appear in the NULL specification")
    if csv and quote is not None and quote in null:
        raise NotSupported("CSV quote character must not appear in the NULL specification")
    return CopyOptions(
        format=fmt, delimiter=delimiter, null=null, header=bool(header),
        quote=quote or '"', escape=escape or '"', force_quote=tuple(force_quote or ()),
        force_quote_all=force_all,
    )
