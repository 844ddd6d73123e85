"""Structured JSON logs: one object per line, with the asset and job it concerns.

``asset_id`` and ``job_id`` come from ``extra=`` when given, else from the context bound
with :func:`log_context`, so code deep inside a request need not pass them along.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

CONTEXT_FIELDS = ("asset_id", "job_id")

_context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "vod_log_context", default=None
)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Add ``fields`` (e.g. ``asset_id=...``) to every log line written inside the block."""
    merged = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, logger, message, asset_id, job_id
    and any other ``extra=`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = _context.get() or {}
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None) or context.get(name)
            entry[name] = value
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: int | str = logging.INFO) -> None:
    """Make every handler of the root logger write JSON (adding a stderr handler if none).

    AWS Lambda installs its own root handler; reformatting it keeps Lambda's log routing.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())
    root.setLevel(level)
