"""JSON logs: one object per line, with the fields a log call passes as ``extra``."""

from __future__ import annotations

import io
import json
import logging

from workers.logs import JsonFormatter, configure_logging


def test_one_json_object_per_event_with_the_extra_fields() -> None:
    record = logging.LogRecord(
        "workers.app", logging.WARNING, "x.py", 1, "rejected %s", ("a1",), None
    )
    record.item_id, record.stage, record.reason = "a1", "clean", "language:en"
    event = json.loads(JsonFormatter().format(record))
    assert event["msg"] == "rejected a1" and event["level"] == "warning"
    assert (event["item_id"], event["stage"], event["reason"]) == ("a1", "clean", "language:en")
    assert event["logger"] == "workers.app" and event["ts"].endswith("+00:00")


def test_an_exception_stays_on_its_one_line(monkeypatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stderr", out)
    configure_logging("info", "json")
    try:
        raise ValueError("kaputt\nzweite Zeile")
    except ValueError:
        logging.getLogger("t").exception("failed")
    configure_logging(logging.WARNING)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert "ValueError: kaputt" in event["exc"] and event["msg"] == "failed"
