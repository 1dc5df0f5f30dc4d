"""Structured logs: one JSON object per line on stderr — time, level, logger, message, request_id, and
per request operation, duration_ms and status.

What is logged is chosen so that no personal data gets in: never a query's variables, a request body,
a query string or a credential (graph_api/middleware.py logs the method, the path and the operation
name). As a second line of defence every line is scrubbed of anything shaped like a resident identity
number (15 digits, or 17 digits and a check character) before it is written, exception texts included.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import logging.config
import re
import traceback
from typing import Any

from graph_api.ops.tracing import current_trace_id

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
operation: contextvars.ContextVar[str | None] = contextvars.ContextVar("operation", default=None)

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
# Fields a call may pass with `extra=` that are worth keeping as JSON fields.
_EXTRA = (
    "operation",
    "operation_type",
    "duration_ms",
    "status",
    "method",
    "path",
    "db_round_trips",
    "error_codes",
    "correlation_id",
)


def scrub(text: str) -> str:
    return _ID_NUMBER.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        if (trace_id := current_trace_id()) is not None:
            entry["trace_id"] = trace_id
        if (op := operation.get()) is not None:
            entry["operation"] = op
        for name in _EXTRA:
            if (value := record.__dict__.get(name)) is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return scrub(json.dumps(entry, ensure_ascii=False, default=str))


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A logging.config dict: everything, uvicorn's own loggers included, through the JSON formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},  # our middleware writes the request lines
            # The driver's warnings say when and why it retries a transaction (no query parameters in them).
            "neo4j": {"level": "WARNING"},
        },
    }


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(log_config(level))


def is_configured() -> bool:
    root = logging.getLogger()
    return any(isinstance(h.formatter, JsonFormatter) for h in root.handlers)
