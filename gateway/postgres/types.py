"""PostgreSQL type OIDs and the text and binary encodings of values.

Encoders turn Python values (as connectors and DuckDB return them) into the bytes of one
DataRow field; decoders turn the bytes of a Bind parameter back into Python values. Each is
looked up once per column, never per value, because DataRow encoding is the streaming hot path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.core.errors import InvalidInput, NotSupported

Encoder = Callable[[Any], bytes]
Decoder = Callable[[bytes], Any]

# name -> (oid, typlen, array oid); names are PostgreSQL's own typname values.
TYPES: dict[str, tuple[int, int, int]] = {
    "bool": (16, 1, 1000),
    "bytea": (17, -1, 1001),
    "char": (18, 1, 1002),
    "name": (19, 64, 1003),
    "int8": (20, 8, 1016),
    "int2": (21, 2, 1005),
    "int2vector": (22, -1, 1006),
    "int4": (23, 4, 1007),
    "regproc": (24, 4, 1008),
    "text": (25, -1, 1009),
    "oid": (26, 4, 1028),
    "xid": (28, 4, 1011),
    "oidvector": (30, -1, 1013),
    "json": (114, -1, 199),
    "pg_node_tree": (194, -1, 0),
    "float4": (700, 4, 1021),
    "float8": (701, 8, 1022),
    "unknown": (705, -2, 0),
    "aclitem": (1033, 12, 1034),
    "bpchar": (1042, -1, 1014),
    "varchar": (1043, -1, 1015),
    "date": (1082, 4, 1182),
    "time": (1083, 8, 1183),
    "timestamp": (1114, 8, 1115),
    "timestamptz": (1184, 8, 1185),
    "interval": (1186, 16, 1187),
    "numeric": (1700, -1, 1231),
    "regclass": (2205, 4, 2210),
    "regtype": (2206, 4, 2211),
    "uuid": (2950, 16, 2951),
    "jsonb": (3802, -1, 3807),
}
OID_BY_NAME: dict[str, int] = {name: oid for name, (oid, _, _) in TYPES.items()}
NAME_BY_OID: dict[int, str] = {oid: name for name, oid in OID_BY_NAME.items()}
ARRAY_ELEMENT: dict[int, int] = {arr: oid for _, (oid, _, arr) in TYPES.items() if arr}
for _arr, _elem in list(ARRAY_ELEMENT.items()):
    NAME_BY_OID[_arr] = "_" + NAME_BY_OID[_elem]
OID_BY_NAME.update({name: oid for oid, name in NAME_BY_OID.items()})

# Names the SQL standard and the connectors use for the same types.
ALIASES = {
    "boolean": "bool", "smallint": "int2", "integer": "int4", "int": "int4", "bigint": "int8",
    "real": "float4", "double precision": "float8", "double": "float8", "float": "float8",
    "decimal": "numeric", "string": "text", "character varying": "varchar",
    "timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
    "time without time zone": "time", "blob": "bytea",
}

PG_EPOCH_DATE = dt.date(2000, 1, 1)
PG_EPOCH = dt.datetime(2000, 1, 1)
PG_EPOCH_TZ = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ORDINAL_EPOCH = PG_EPOCH_DATE.toordinal()


def type_oid(name: str) -> int:
    """The OID of a neutral or PostgreSQL type name; unknown names are sent as text."""
    key = name.strip().lower()
    if key.endswith("[]"):
        elem = type_oid(key[:-2])
        return TYPES[NAME_BY_OID[elem]][2] or OID_BY_NAME["text"]
    key = ALIASES.get(key, key)
    return OID_BY_NAME.get(key, OID_BY_NAME["text"])


def type_size(oid: int) -> int:
    name = NAME_BY_OID.get(oid)
    return TYPES[name][1] if name in TYPES else -1


# --- text format ---------------------------------------------------------------------------------


def _text_bool(v: Any) -> bytes:
    return b"t" if v else b"f"


def _text_float(v: Any) -> bytes:
    f = float(v)
    if f != f:
        return b"NaN"
    if f in (float("inf"), float("-inf")):
        return b"Infinity" if f > 0 else b"-Infinity"
    return repr(f).encode()


def _text_default(v: Any) -> bytes:
    return str(v).encode()


def _seconds(s: str, microseconds: int) -> str:
    # PostgreSQL prints fractional seconds without trailing zeros (00:00:00.5).
    return s.rstrip("0") if microseconds else s


def _text_timestamp(v: Any) -> bytes:
    if isinstance(v, dt.datetime):
        return _seconds(v.replace(tzinfo=None).isoformat(sep=" "), v.microsecond).encode()
    return str(v).encode()


def _text_timestamptz(v: Any) -> bytes:
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=dt.UTC)
        s: str = v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        return (_seconds(s, v.microsecond) + "+00").encode()
    return str(v).encode()


def _text_time(v: Any) -> bytes:
    if isinstance(v, dt.time):
        return _seconds(v.replace(tzinfo=None).isoformat(), v.microsecond).encode()
    return str(v).encode()


def _text_interval(v: Any) -> bytes:
    if isinstance(v, dt.timedelta):
        sign = "-" if v < dt.timedelta(0) else ""
        total = abs(v)
        secs = total.seconds
        h, rem = divmod(secs, 3600)
        m, s = divmod(rem, 60)
        frac = f".{total.microseconds:06d}" if total.microseconds else ""
        days = f"{sign}{total.days} days " if total.days else ""
        return f"{days}{sign}{h:02d}:{m:02d}:{s:02d}{frac}".encode()
    return str(v).encode()


def _text_json(v: Any) -> bytes:
    if isinstance(v, str):
        return v.encode()
    return json.dumps(v, default=str).encode()


def _text_bytea(v: Any) -> bytes:
    return b"\\x" + bytes(v).hex().encode()


def _array_literal(v: Any, elem: Encoder) -> bytes:
    parts = []
    for item in v:
        if item is None:
            parts.append(b"NULL")
            continue
        raw = elem(item)
        if raw == b"" or any(c in raw for c in b'{},"\\ ') or raw.upper() == b"NULL":
            raw = b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
        parts.append(raw)
    return b"{" + b",".join(parts) + b"}"


def _text_numeric(v: Any) -> bytes:
    if type(v) is float:
        return _text_float(v)
    return str(v).encode()


TEXT_ENCODERS: dict[str, Encoder] = {
    "bool": _text_bool,
    "float4": _text_float,
    "float8": _text_float,
    "numeric": _text_numeric,
    "timestamp": _text_timestamp,
    "timestamptz": _text_timestamptz,
    "time": _text_time,
    "interval": _text_interval,
    "json": _text_json,
    "jsonb": _text_json,
    "bytea": _text_bytea,
}


def text_encoder(oid: int) -> Encoder:
    if oid in ARRAY_ELEMENT:
        elem = text_encoder(ARRAY_ELEMENT[oid])
        return lambda v: _array_literal(v, elem) if not isinstance(v, str) else v.encode()
    fn = TEXT_ENCODERS.get(NAME_BY_OID.get(oid, "text"), _text_default)
    if fn is _text_default:
        # Most values are already str; skip a function layer for them.
        return lambda v: v.encode() if type(v) is str else str(v).encode()
    return fn


# --- binary format -------------------------------------------------------------------------------

_I2, _I4, _I8 = struct.Struct("!h"), struct.Struct("!i"), struct.Struct("!q")
_U4 = struct.Struct("!I")
_F4, _F8 = struct.Struct("!f"), struct.Struct("!d")
_INTERVAL = struct.Struct("!qii")
_NUMERIC_HEAD = struct.Struct("!hhHH")


def _bin_numeric(v: Any) -> bytes:
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    if d.is_nan():
        return _NUMERIC_HEAD.pack(0, 0, 0xC000, 0)
    if d.is_infinite():
        return _NUMERIC_HEAD.pack(0, 0, 0xD000 if d < 0 else 0xF000, 0)
    int_part, _, frac_part = format(abs(d), "f").partition(".")
    dscale = len(frac_part)
    # Base-10000 digit groups aligned on the decimal point.
    int_part = "0" * ((-len(int_part)) % 4) + int_part
    frac_part += "0" * ((-len(frac_part)) % 4)
    digits = int_part + frac_part
    groups = [int(digits[i : i + 4]) for i in range(0, len(digits), 4)]
    weight = len(int_part) // 4 - 1
    while groups and groups[0] == 0:
        groups.pop(0)
        weight -= 1
    while groups and groups[-1] == 0:
        groups.pop()
    if not groups:
        return _NUMERIC_HEAD.pack(0, 0, 0, dscale)
    head = _NUMERIC_HEAD.pack(len(groups), weight, 0x4000 if d < 0 else 0, dscale)
    return head + struct.pack(f"!{len(groups)}H", *groups)


def _bin_date(v: Any) -> bytes:
    return _I4.pack(v.toordinal() - _ORDINAL_EPOCH)


def _bin_time(v: Any) -> bytes:
    return _I8.pack(((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond)


def _bin_timestamp(v: Any) -> bytes:
    delta = v.replace(tzinfo=None) - PG_EPOCH
    return _I8.pack((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)


def _bin_timestamptz(v: Any) -> bytes:
    if v.tzinfo is None:
        v = v.replace(tzinfo=dt.UTC)
    delta = v - PG_EPOCH_TZ
    return _I8.pack((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)


def _bin_interval(v: Any) -> bytes:
    return _INTERVAL.pack(v.seconds * 1_000_000 + v.microseconds, v.days, 0)


def _bin_uuid(v: Any) -> bytes:
    return v.bytes if isinstance(v, uuid.UUID) else uuid.UUID(str(v)).bytes


def _bin_reg(v: Any) -> bytes:
    """reg* values: an OID goes out as one; the catalog holds some as names (typreceive is
    'array_recv'), whose OID the gateway does not have — an error, not a made-up number."""
    try:
        return _U4.pack(int(v))
    except (TypeError, ValueError):
        raise NotSupported(
            f"binary format of the OID-alias value {str(v)!r} is not supported",
            hint="request this column in text format",
        ) from None


def _bin_text(v: Any) -> bytes:
    return v.encode() if type(v) is str else str(v).encode()


BINARY_ENCODERS: dict[str, Encoder] = {
    "bool": lambda v: b"\x01" if v else b"\x00",
    "int2": lambda v: _I2.pack(int(v)),
    "int4": lambda v: _I4.pack(int(v)),
    "int8": lambda v: _I8.pack(int(v)),
    "oid": lambda v: _U4.pack(int(v)),
    "regclass": lambda v: _bin_reg(v),
    "regtype": lambda v: _bin_reg(v),
    "regproc": lambda v: _bin_reg(v),
    "xid": lambda v: _U4.pack(int(v)),
    "float4": lambda v: _F4.pack(float(v)),
    "float8": lambda v: _F8.pack(float(v)),
    "numeric": _bin_numeric,
    "date": _bin_date,
    "time": _bin_time,
    "timestamp": _bin_timestamp,
    "timestamptz": _bin_timestamptz,
    "interval": _bin_interval,
    "uuid": _bin_uuid,
    "json": _text_json,
    "jsonb": lambda v: b"\x01" + _text_json(v),
    "bytea": bytes,
}


def _bin_array(elem_oid: int) -> Encoder:
    elem = binary_encoder(elem_oid)

    def encode(v: Any) -> bytes:
        items = list(v)
        has_null = any(i is None for i in items)
        out = [struct.pack("!iiIii", 1, int(has_null), elem_oid, len(items), 1)]
        for item in items:
            if item is None:
                out.append(_I4.pack(-1))
            else:
                raw = elem(item)
                out.append(_I4.pack(len(raw)) + raw)
        return b"".join(out)

    return encode


def binary_encoder(oid: int) -> Encoder:
    if oid in ARRAY_ELEMENT:
        return _bin_array(ARRAY_ELEMENT[oid])
    return BINARY_ENCODERS.get(NAME_BY_OID.get(oid, "text"), _bin_text)


# --- parameter decoding --------------------------------------------------------------------------


def _parse_bool(s: str) -> bool:
    low = s.strip().lower()
    if low in ("t", "true", "y", "yes", "on", "1"):
        return True
    if low in ("f", "false", "n", "no", "off", "0"):
        return False
    raise ValueError(s)


def _parse_timestamp(s: str) -> dt.datetime:
    s = s.strip()
    if s.endswith(("+00", "-00")) or (len(s) > 3 and s[-3] in "+-" and s[-2:].isdigit()):
        s += ":00"
    return dt.datetime.fromisoformat(s)


def _parse_bytea(s: str) -> bytes:
    return bytes.fromhex(s[2:]) if s.startswith("\\x") else s.encode()


TEXT_PARSERS: dict[str, Callable[[str], Any]] = {
    "bool": _parse_bool,
    "int2": int,
    "int4": int,
    "int8": int,
    "oid": int,
    "float4": float,
    "float8": float,
    "numeric": Decimal,
    "date": lambda s: _parse_timestamp(s).date(),  # PostgreSQL ignores a time part
    "time": dt.time.fromisoformat,
    "timestamp": _parse_timestamp,
    "timestamptz": _parse_timestamp,
    "uuid": uuid.UUID,
    "json": json.loads,
    "jsonb": json.loads,
    "bytea": _parse_bytea,
}


def _dec_numeric(b: bytes) -> Decimal:
    ndigits, weight, sign, dscale = _NUMERIC_HEAD.unpack_from(b)
    if sign == 0xC000:
        return Decimal("NaN")
    if sign in (0xD000, 0xF000):
        return Decimal("-Infinity" if sign == 0xD000 else "Infinity")
    if len(b) != 8 + 2 * ndigits:
        raise ValueError("bad numeric length")
    digits = struct.unpack_from(f"!{ndigits}H", b, 8)
    value = Decimal(0)
    for i, g in enumerate(digits):
        value += Decimal(g).scaleb(4 * (weight - i))
    value = value.quantize(Decimal(1).scaleb(-dscale)) if dscale or ndigits else value
    return -value if sign == 0x4000 else value


def _dec_interval(b: bytes) -> dt.timedelta:
    micros, days, months = _INTERVAL.unpack(b)
    return dt.timedelta(days=days + 30 * months, microseconds=micros)


BINARY_PARSERS: dict[str, Decoder] = {
    "bool": lambda b: b != b"\x00",
    "int2": lambda b: _I2.unpack(b)[0],
    "int4": lambda b: _I4.unpack(b)[0],
    "int8": lambda b: _I8.unpack(b)[0],
    "oid": lambda b: _U4.unpack(b)[0],
    "float4": lambda b: _F4.unpack(b)[0],
    "float8": lambda b: _F8.unpack(b)[0],
    "numeric": _dec_numeric,
    "date": lambda b: dt.date.fromordinal(_I4.unpack(b)[0] + _ORDINAL_EPOCH),
    "time": lambda b: (dt.datetime.min + dt.timedelta(microseconds=_I8.unpack(b)[0])).time(),
    "timestamp": lambda b: PG_EPOCH + dt.timedelta(microseconds=_I8.unpack(b)[0]),
    "timestamptz": lambda b: PG_EPOCH_TZ + dt.timedelta(microseconds=_I8.unpack(b)[0]),
    "interval": _dec_interval,
    "uuid": lambda b: uuid.UUID(bytes=b),
    "json": lambda b: json.loads(b.decode()),
    "jsonb": lambda b: json.loads(b[1:].decode()),
    "bytea": bytes,
}


# PostgreSQL's names for the types, as its input errors spell them.
_DISPLAY = {
    "bool": "boolean", "int2": "smallint", "int4": "integer", "int8": "bigint",
    "float4": "real", "float8": "double precision", "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone", "time": "time without time zone",
}
_INT_RANGES = {"int2": 2**15, "int4": 2**31, "int8": 2**63, "oid": 2**32}
_DATETIMES = ("date", "time", "timestamp", "timestamptz")


def _input_error(name: str, text: str, index: int | None) -> InvalidInput:
    where = f" (parameter ${index})" if index is not None else ""
    display = _DISPLAY.get(name, name)
    if name in _INT_RANGES and re.fullmatch(r"\s*[+-]?\d+\s*", text):
        err = InvalidInput(f'value "{text}" is out of range for type {display}{where}')
        err.sqlstate = "22003"
        return err
    err = InvalidInput(f'invalid input syntax for type {display}: "{text}"{where}')
    # PostgreSQL: malformed dates and times are 22007, anything else 22P02.
    err.sqlstate = "22007" if name in _DATETIMES else "22P02"
    return err


def _parse_int(name: str, text: str) -> int:
    if "_" in text:  # Python's int() allows 1_000; PostgreSQL 15 does not
        raise ValueError(text)
    value = int(text)
    bound = _INT_RANGES[name]
    low = 0 if name == "oid" else -bound
    if not low <= value < bound:
        raise ValueError(text)
    return value


def decode_param(oid: int, fmt: int, raw: bytes | None, index: int | None = None) -> Any:
    """One Bind parameter (``index``: its 1-based number) as a Python value; a malformed value
    is the client's error, with PostgreSQL's SQLSTATE and the parameter named."""
    if raw is None:
        return None
    name = NAME_BY_OID.get(oid, "text")
    try:
        if fmt == 1:
            parser = BINARY_PARSERS.get(name)
            return parser(raw) if parser else raw.decode()
        text = raw.decode()
    except (ValueError, struct.error, InvalidOperation, UnicodeDecodeError, OverflowError) as exc:
        where = f" {index}" if index is not None else ""
        err = InvalidInput(f"incorrect binary data format in bind parameter{where}")
        err.sqlstate = "22P02"
        raise err from exc
    try:
        if name in _INT_RANGES:
            return _parse_int(name, text)
        tparser = TEXT_PARSERS.get(name)
        value = tparser(text) if tparser else text
        if isinstance(value, Decimal) and not value.is_finite() and text.strip().lower() not in (
                "nan", "infinity", "-infinity", "+infinity", "inf", "-inf"):
            raise ValueError(text)
        return value
    except (ValueError, InvalidOperation, OverflowError, TypeError) as exc:
        raise _input_error(name, text, index) from exc
