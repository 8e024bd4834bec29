"""The one adapter from ``AppError`` to a MySQL ERR packet."""

from __future__ import annotations

from backend.core.errors import AppError

from .packets import make_err


def err_packet(error: AppError) -> bytes:
    message = error.message
    if error.hint:
        message = f"{message} (hint: {error.hint})"
    return make_err(error.mysql_errno, error.mysql_sqlstate, message)
