"""Log records as one JSON object per line, for a log collector (`LOG_FORMAT=json`)."""

import datetime
import json
import logging

#: Attributes every LogRecord has; anything else was passed in `extra` and is printed.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _printable(key, value):
    """Extras as printed: Django's `request` extra as method and path (its query can hold a token)."""
    if key == "request" and hasattr(value, "method") and hasattr(value, "path"):
        return f"{value.method} {value.path}"
    return value


class JSONFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: _printable(key, value) for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
