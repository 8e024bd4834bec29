"""The one adapter from ``AppError`` to a MySQL ERR packet."""

from __future__ import annotations

import re

from backend.core.errors import AppError, UnknownColumn, UnknownTable

from .packets import make_err

# The engine words its errors as PostgreSQL does; MySQL users know MySQL's wording.
_RELATION = re.compile(r'^relation "(?P<name>[^"]+)" does not exist$')
_COLUMN = re.compile(r'^column "(?P<name>[^"]+)" does not exist$')


def mysql_message(error: AppError) -> str:
    message = error.message
    if isinstance(error, UnknownTable) and (m := _RELATION.match(message)):
        name = m["name"].split(".")[-1]
        message = f"Table 'db.{name}' doesn't exist"
    elif isinstance(error, UnknownColumn) and (m := _COLUMN.match(message)):
        message = f"Unknown column '{m['name']}' in 'field list'"
    if error.hint:
        message = f"{message} (hint: {error.hint})"
    return message


def err_packet(error: AppError) -> bytes:
    return make_err(error.mysql_errno, error.mysql_sqlstate, mysql_message(error))
