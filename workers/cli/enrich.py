"""`lagebild enrich`: JSON lines in, one JSON line out per line in, no Kafka."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO

from pydantic import ValidationError

from workers.identity import item_id, stable_id
from workers.pipeline import Outcome, Pipeline
from workers.records import Duplicate, EnrichedItem, RawItem, Source, utcnow
from workers.settings import Settings
from workers.stage import Rejection, rejected

STATUS = {EnrichedItem: "enriched", Duplicate: "duplicate"}


def raw_from_input(data: dict[str, Any], run_id: str, fetched_at: datetime) -> RawItem:
    """Map an input line (`id`?, `url`?, `title`, `text` or `html`, `published`?, `source`?)."""
    if not isinstance(data, dict):
        raise ValueError("a line must be a JSON object")
    source = data.get("source")
    body = f"{data.get('title', '')}\n{data.get('text') or data.get('html') or ''}"
    return RawItem(
        id=str(data.get("id") or item_id(data.get("url"), fallback=stable_id(body))),
        version=int(data.get("version", 1)),
        url=data.get("url"),
        source=Source(**source) if isinstance(source, dict) else Source(publisher=source),
        title=data.get("title") or "",
        summary=data.get("summary"),
        text=data.get("text"),
        html=data.get("html"),
        authors=data.get("authors") or [],
        published_at=data.get("published") or data.get("published_at"),
        fetched_at=fetched_at,
        language_hint=data.get("language") or data.get("language_hint"),
        origin="backfill",
        run_id=run_id,
    )


def outcome_line(outcome: Outcome) -> dict[str, Any]:
    status = STATUS.get(type(outcome), "rejected")
    return {"status": status, **outcome.model_dump(mode="json")}


def enrich_lines(lines: Iterable[str], pipeline: Pipeline) -> Iterator[dict[str, Any]]:
    run_id = f"enrich-{uuid.uuid4().hex[:12]}"
    for number, line in enumerate(lines, 1):
        try:
            data = json.loads(line)
            raw = raw_from_input(data, run_id, utcnow())
        except (ValueError, ValidationError, TypeError) as exc:
            reason = "invalid_json" if isinstance(exc, json.JSONDecodeError) else "invalid_schema"
            detail = f"line {number}: {str(exc).splitlines()[0]}"
            yield outcome_line(rejected(Rejection("decode", reason, detail), line.rstrip("\n")))
            continue
        yield outcome_line(pipeline.process(raw, line.rstrip("\n")))


def run_enrich(source: str, settings: Settings, out: TextIO = sys.stdout) -> int:
    pipeline = Pipeline(settings)
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    with handle:
        for result in enrich_lines(handle, pipeline):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
