"""Logging for every process: readable lines, or one JSON object per event for a log shipper.

A log call may pass ``extra={"item_id": …, "stage": …, "reason": …}``; the JSON
format keeps those as fields, so a rejection can be found by its item id.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

#: Fields a LogRecord always has; anything else came in through ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One line per event: time, level, logger, message, the ``extra`` fields, the exception."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                event[key] = value
        if record.exc_info:
            event["exc"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False, default=str)


class Repeats(logging.Filter):
    """Lets a library's repeated warning through once every ``every`` seconds.

    After a broker outage faust warns "producer buffer full size 107" and "Timer commit is
    overlapping" several times a second until it has caught up: hundreds of lines that
    bury the outage's own few. Lines that differ only in their numbers count as the same
    line; the next one let through says how many were held back. Our own loggers
    (``workers.*``) are never held back: each of their lines is about an item; nor is
    anything below a warning (a rebalance's info lines repeat, and each one matters).
    """

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every, self.clock = every, clock
        self.seen: dict[tuple[str, int, str], tuple[float, int]] = {}  # → (let through, held)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("workers") or record.levelno < logging.WARNING:
            return True
        if self.every <= 0:
            return True
        key = (record.name, record.levelno, re.sub(r"\d+(\.\d+)?", "#", str(record.msg)))
        now = self.clock()
        last, held = self.seen.get(key, (-self.every, 0))
        if now - last < self.every:
            self.seen[key] = (last, held + 1)
            return False
        self.seen[key] = (now, 0)
        if held:
            seconds = now - last
            record.msg = f"{record.getMessage()} ({held} more like it in the last {seconds:.0f} s)"
            record.args = None
        return True


def configure_logging(
    level: int | str, fmt: Literal["text", "json"] = "text", repeats_every: float = 0.0
) -> None:
    """The root logger's one handler, on stderr; replaces what was there. A library's line
    that repeats within ``repeats_every`` seconds is held back (`Repeats`)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(Repeats(repeats_every))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
