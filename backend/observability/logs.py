"""Log set-up: plain text by default, one JSON object per line with ``LOG_FORMAT=json``.

Every record carries the id of what it happened in — the web request (``request_id``, also
returned as the ``X-Request-ID`` header) or the wire session (``session_id``, ``pg-<pid>`` or
``mysql-<connection id>``, the ids clients see in ``pg_backend_pid()`` / ``CONNECTION_ID()``).
The ids live in context variables: each connection and request runs in its own asyncio task,
so they never leak from one to another.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                        default=None)
session_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("session_id",
                                                                        default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"


class ContextFilter(logging.Filter):
    """Puts the current request/session id on every record (``record.context`` for text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = {"request_id": request_id.get(), "session_id": session_id.get()}
        record.__dict__.update(ids)  # LogRecord takes extra attributes, as logging's extra=
        shown = [i for i in ids.values() if i]
        record.__dict__["context"] = f" [{' '.join(shown)}]" if shown else ""
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "session_id"):
            value = getattr(record, key, None)
            if value:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, fmt: str) -> None:
    """Route every logger (uvicorn's too: it is started with ``log_config=None``) to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    elif fmt == "text":
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    else:
        raise ValueError(f"LOG_FORMAT must be 'text' or 'json', not {fmt!r}")
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
