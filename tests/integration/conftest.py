"""Helpers for the backfill, replay and audit tests: raw fixture items."""

from __future__ import annotations

import json
from pathlib import Path

from workers.rawinput import raw_from_input
from workers.records import RawItem, utcnow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backfill"


def fixture_items(run_id: str = "test-live") -> list[RawItem]:
    """The 30 valid articles of tests/fixtures/backfill/articles.jsonl as live raw items."""
    items = []
    for line in (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            item = raw_from_input(data, run_id, utcnow())
        except ValueError:
            continue
        if item.title and (item.text or item.html):
            items.append(item.model_copy(update={"origin": "live"}))
    return items
