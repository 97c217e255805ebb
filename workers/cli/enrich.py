"""`lagebild enrich`: JSON lines in, one JSON line out per line in, no Kafka."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any, TextIO

from pydantic import ValidationError

from workers.pipeline import Outcome, Pipeline
from workers.rawinput import raw_from_input
from workers.records import Duplicate, EnrichedItem, RawItem, utcnow
from workers.settings import Settings

STATUS = {EnrichedItem: "enriched", Duplicate: "duplicate"}


def outcome_line(outcome: Outcome) -> dict[str, Any]:
    status = STATUS.get(type(outcome), "rejected")
    return {"status": status, **outcome.model_dump(mode="json")}


def raw_payload(line: str | bytes, run_id: str) -> bytes:
    """The news.raw payload for an input line: a raw record as it is, else the input fields
    mapped (`raw_from_input`), else the line itself, which the chain then rejects exactly as
    the worker rejects a malformed record on news.raw (a line that is not UTF-8 too)."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig")
        except UnicodeDecodeError:
            return line.rstrip(b"\r\n")
    try:
        data = json.loads(line)
        try:
            return RawItem.model_validate(data).to_json()
        except ValidationError:
            return raw_from_input(data, run_id, utcnow()).to_json()
    except (ValueError, ValidationError, TypeError):
        return line.rstrip("\n").encode("utf-8")


async def enrich_lines(
    lines: Iterable[str | bytes], pipeline: Pipeline
) -> AsyncIterator[dict[str, Any]]:
    run_id = f"enrich-{uuid.uuid4().hex[:12]}"
    for line in lines:
        if line.strip():
            yield outcome_line(await pipeline.process(raw_payload(line, run_id)))


async def _enrich(source: str, settings: Settings, out: TextIO, fetch: bool) -> int:
    # bytes, decoded line by line: a line in another encoding is one rejection, not a crash;
    # the file is opened first, so a wrong name fails before the models load
    handle = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    with handle:
        async with Pipeline(settings, fetch=fetch) as pipeline:
            async for result in enrich_lines(handle, pipeline):
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def run_enrich(
    source: str, settings: Settings, out: TextIO = sys.stdout, fetch: bool = True
) -> int:
    if not fetch:
        print(
            "enrich --no-fetch: article pages are not fetched; teaser-only items keep their "
            "teaser (page_error fetch:disabled)",
            file=sys.stderr,
        )
    return asyncio.run(_enrich(source, settings, out, fetch))
