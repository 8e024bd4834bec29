"""Date/time format strings: the client's (PostgreSQL TO_CHAR/TO_TIMESTAMP templates, MySQL
DATE_FORMAT/STR_TO_DATE specifiers) read into one list of elements, and that list written
back in each target's own format language.

sqlglot converts format strings to a strftime-like form while parsing, but that conversion
loses meaning (PostgreSQL ``D`` is Sunday-based, ``%u`` Monday-based; ``Month`` is padded;
``Q`` is dropped), so the engine reads the literal the client wrote from the tokens instead.
A parsed format travels through the later stages as a string literal in the engine's own
encoding (``{YYYY}-{MM}``; ``{{`` and ``}}`` for braces), never as target SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.core.errors import NotSupported


@dataclass(frozen=True)
class Element:
    """One format element and its spelling per language (None: the language has none)."""

    pg: str | None
    mysql: str | None
    strftime: str | None  # DuckDB strftime/strptime
    sqlite: str | None
    python: str | None  # datetime.strptime, to read literal times while planning


ELEMENTS: dict[str, Element] = {
    "YYYY": Element("YYYY", "%Y", "%Y", "%Y", "%Y"),
    "YY": Element("YY", "%y", "%y", None, "%y"),
    "MM": Element("MM", "%m", "%m", "%m", "%m"),
    "FMMM": Element("FMMM", "%c", "%-m", None, "%m"),
    "DD": Element("DD", "%d", "%d", "%d", "%d"),
    "FMDD": Element("FMDD", "%e", "%-d", None, "%d"),
    "HH24": Element("HH24", "%H", "%H", "%H", "%H"),
    "FMHH24": Element("FMHH24", "%k", "%-H", None, "%H"),
    "HH12": Element("HH12", "%h", "%I", None, "%I"),
    "FMHH12": Element("FMHH12", "%l", "%-I", None, "%I"),
    "MI": Element("MI", "%i", "%M", "%M", "%M"),
    "SS": Element("SS", "%s", "%S", "%S", "%S"),
    "US": Element("US", "%f", "%f", None, "%f"),
    "MS": Element("MS", None, "%g", None, "%f"),
    "AM": Element("AM", "%p", "%p", None, "%p"),
    "DDD": Element("DDD", "%j", "%j", "%j", "%j"),
    "FMMonth": Element("FMMonth", "%M", "%B", None, "%B"),
    "Mon": Element("Mon", "%b", "%b", None, "%b"),
    "FMDay": Element("FMDay", "%W", "%A", None, "%A"),
    "Dy": Element("Dy", "%a", "%a", None, "%a"),
    "IYYY": Element("IYYY", "%x", "%G", None, None),
    "IW": Element("IW", "%v", "%V", None, None),
    "Q": Element("Q", None, None, None, None),
    "D": Element("D", None, None, None, None),  # day of week, 1 = Sunday
    "ID": Element("ID", None, "%u", None, None),  # ISO day of week, 1 = Monday
    "w": Element(None, "%w", "%w", "%w", None),  # day of week, 0 = Sunday
    "U": Element(None, "%U", "%U", None, None),  # week, Sunday first, days before it week 0
}

# Padded names (PostgreSQL's Month and Day are blank-padded to 9 characters).
PADDED = {"Month": "FMMonth", "Day": "FMDay"}

Item = str | tuple[str, str]  # literal text, or (element, case: "" | "upper" | "lower" | "pad")


# --- reading the client's format -------------------------------------------------------------

# PostgreSQL template patterns, longest first; numeric ones match in any case.
_PG_NUMERIC = [
    "HH24", "HH12", "IYYY", "YYYY", "DDD", "SSSS", "HH", "MI", "SS", "MS", "US", "YY", "MM",
    "DD", "IW", "ID", "AM", "PM", "Q", "D",
]
_PG_NAMES = {
    "Month": ("FMMonth", "pad"), "MONTH": ("FMMonth", "upperpad"), "month": ("FMMonth", "lowerpad"),
    "Mon": ("Mon", ""), "MON": ("Mon", "upper"), "mon": ("Mon", "lower"),
    "Day": ("FMDay", "pad"), "DAY": ("FMDay", "upperpad"), "day": ("FMDay", "lowerpad"),
    "Dy": ("Dy", ""), "DY": ("Dy", "upper"), "dy": ("Dy", "lower"),
}
_PG_REFUSED = ("Y,YYY", "YYY", "CC", "WW", "RM", "TZH", "TZM", "TZ", "OF", "TH", "SP", "A.M.",
               "P.M.", "B.C.", "A.D.", "BC", "AD", "J", "W", "Y")
_FM = {"MM": "FMMM", "DD": "FMDD", "HH24": "FMHH24", "HH12": "FMHH12"}
_FM_NEUTRAL = {"YYYY", "Q", "D", "ID", "AM", "Mon", "Dy"}


def read_pg(text: str, function: str) -> list[Item]:
    items: list[Item] = []
    i = 0
    fm = False
    while i < len(text):
        rest = text[i:]
        upper = rest.upper()
        if upper.startswith("FM"):
            fm = True
            i += 2
            continue
        if upper.startswith("TM"):
            i += 2  # translation mode: names are English anyway
            continue
        if rest[0] == '"':
            end = rest.find('"', 1)
            if end < 0:
                raise NotSupported(f"{function} format {text!r}: unterminated quoted text")
            items.append(rest[1:end])
            i += end + 1
            continue
        if rest[0] == "\\" and len(rest) > 1:
            items.append(rest[1])
            i += 2
            continue
        name = next((n for n in _PG_NAMES if rest.startswith(n)), None)
        if name is not None:
            element, case = _PG_NAMES[name]
            if fm:
                case = case.replace("pad", "")
            items.append((element, case))
            i += len(name)
            fm = False
            continue
        pattern = next((p for p in _PG_NUMERIC if upper.startswith(p)), None)
        if pattern is None:
            refused = next((p for p in _PG_REFUSED if upper.startswith(p)), None)
            if refused is not None and rest[0].isalpha():
                raise NotSupported(
                    f"{function} format pattern {rest[: len(refused)]!r} is not supported"
                )
            items.append(rest[0])
            i += 1
            fm = False
            continue
        element = {"HH": "HH12", "PM": "AM"}.get(pattern, pattern)
        if element == "SSSS":
            raise NotSupported(f"{function} format pattern 'SSSS' is not supported")
        if element == "AM" and rest[:2].islower():
            items.append(("AM", "lower"))
        elif fm and element in _FM:
            items.append((_FM[element], ""))
        elif fm and element not in _FM_NEUTRAL:
            raise NotSupported(f"{function} format pattern 'FM{pattern}' is not supported")
        else:
            items.append((element, ""))
        i += len(pattern)
        fm = False
    return _merge(items)


_MYSQL: dict[str, list[Item]] = {
    "Y": [("YYYY", "")], "y": [("YY", "")], "m": [("MM", "")], "c": [("FMMM", "")],
    "d": [("DD", "")], "e": [("FMDD", "")], "H": [("HH24", "")], "k": [("FMHH24", "")],
    "h": [("HH12", "")], "I": [("HH12", "")], "l": [("FMHH12", "")], "i": [("MI", "")],
    "s": [("SS", "")], "S": [("SS", "")], "f": [("US", "")], "p": [("AM", "")],
    "j": [("DDD", "")], "M": [("FMMonth", "")], "b": [("Mon", "")], "W": [("FMDay", "")],
    "a": [("Dy", "")], "x": [("IYYY", "")], "v": [("IW", "")], "w": [("w", "")],
    "U": [("U", "")], "T": [("HH24", ""), ":", ("MI", ""), ":", ("SS", "")],
    "r": [("HH12", ""), ":", ("MI", ""), ":", ("SS", ""), " ", ("AM", "")], "%": ["%"],
}


def read_mysql(text: str, function: str) -> list[Item]:
    items: list[Item] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%" or i + 1 >= len(text):
            items.append(char)
            i += 1
            continue
        spec = text[i + 1]
        if spec in ("D", "u", "V", "X"):
            raise NotSupported(f"{function} format specifier '%{spec}' is not supported")
        items.extend(_MYSQL.get(spec, [spec]))
        i += 2
    return _merge(items)


def _merge(items: list[Item]) -> list[Item]:
    merged: list[Item] = []
    for item in items:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    return merged


# --- the engine's encoding -------------------------------------------------------------------


def encode(items: list[Item]) -> str:
    parts = []
    for item in items:
        if isinstance(item, str):
            parts.append(item.replace("{", "{{").replace("}", "}}"))
        else:
            element, case = item
            parts.append("{" + element + (":" + case if case else "") + "}")
    return "".join(parts)


_TOKEN = re.compile(r"\{\{|\}\}|\{(\w+)(?::(\w+))?\}|[^{}]+")


def decode(text: str) -> list[Item]:
    items: list[Item] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group(1):
            items.append((match.group(1), match.group(2) or ""))
        else:
            items.append(token[0] if token in ("{{", "}}") else token)
    return _merge(items)


# --- writing formats for a language -----------------------------------------------------------


def python_format(items: list[Item]) -> str | None:
    """A ``datetime.strptime`` format, or None when an element has no strptime spelling."""
    parts = []
    for item in items:
        if isinstance(item, str):
            parts.append(item.replace("%", "%%"))
            continue
        element = ELEMENTS[item[0]]
        if element.python is None:
            return None
        parts.append(element.python)
    return "".join(parts)


def escape_literal(text: str, language: str) -> str:
    """Literal text inside a format string of ``language``."""
    if language == "pg":
        out = []
        for run in re.findall(r"[A-Za-z]+|[^A-Za-z]+", text):
            if run[0].isalpha():
                out.append('"' + run + '"')
            else:
                out.append(run.replace("\\", "\\\\").replace('"', '\\"'))
        return "".join(out)
    return text.replace("%", "%%")


def iso_layout(items: list[Item]) -> bool:
    """Whether the format reads ISO text ('YYYY-MM-DD[ HH24:MI:SS[.US]]'), which SQLite's
    DATETIME() and DATE() read as written."""
    elements = [i if isinstance(i, str) else i[0] for i in items]
    layouts = (
        ["YYYY", "-", "MM", "-", "DD"],
        ["YYYY", "-", "MM", "-", "DD", " ", "HH24", ":", "MI", ":", "SS"],
        ["YYYY", "-", "MM", "-", "DD", " ", "HH24", ":", "MI", ":", "SS", ".", "US"],
        ["YYYY", "-", "MM", "-", "DD", " ", "HH24", ":", "MI", ":", "SS", ".", "MS"],
        ["YYYY", "-", "MM", "-", "DD", " ", "HH24", ":", "MI"],
    )
    return elements in layouts
