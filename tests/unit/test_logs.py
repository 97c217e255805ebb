"""JSON logs: one object per line, with the fields a log call passes as ``extra``."""

from __future__ import annotations

import io
import json
import logging

from workers.logs import JsonFormatter, Repeats, configure_logging


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


def test_a_library_line_repeated_after_an_outage_is_held_back_and_counted() -> None:
    now = [0.0]
    repeats = Repeats(every=60, clock=lambda: now[0])

    def passes(name: str, msg: str, level: int = logging.WARNING) -> str | None:
        record = logging.LogRecord(name, level, "", 0, msg, None, None)
        return record.getMessage() if repeats.filter(record) else None

    assert passes("faust.transport.producer", "producer buffer full size 107")
    for size in range(101, 150):  # several a second while faust catches up
        now[0] += 0.2
        assert passes("faust.transport.producer", f"producer buffer full size {size}") is None
    assert passes("mode.timers", "Timer commit is overlapping (interval=1.0 runtime=1.2)")
    now[0] = 61.0
    assert passes("faust.transport.producer", "producer buffer full size 120") == (
        "producer buffer full size 120 (49 more like it in the last 61 s)"
    )
    # our own lines are each about an item: never held back
    assert all(passes("workers.app", f"cannot send a record of item-{n}") for n in range(5))
    # nor a library's info lines: each rebalance's "Recovery complete" matters
    info = "aiokafka.consumer.group_coordinator", "Setting newly assigned partitions"
    assert all(passes(*info, level=logging.INFO) for _ in range(3))
