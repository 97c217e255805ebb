"""`lagebild subscribe`: follow enriched records, readable or as JSON lines."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TextIO

from pydantic import ValidationError
from rich.console import Console

from workers import kafka
from workers.cli.view import render_enriched
from workers.latest import Latest
from workers.records import EnrichedItem
from workers.settings import Settings
from workers.topics import ENRICHED, enriched_topic


def matches_entity(item: EnrichedItem, wanted: str | None) -> bool:
    """An entity filter matches a Wikidata id, a canonical name or a surface form."""
    if not wanted:
        return True
    needle = wanted.casefold()
    for entity in item.entities:
        names = {entity.name, *(m.text for m in entity.mentions)}
        if (entity.id or "").casefold() == needle or needle in {n.casefold() for n in names}:
            return True
    return False


async def subscribe(
    settings: Settings,
    topic: str | None,
    entity: str | None,
    from_beginning: bool,
    max_records: int | None,
    idle_timeout: float | None,
    as_json: bool,
    out: TextIO = sys.stdout,
) -> int:
    """Print matching records; stop after ``max_records`` or ``idle_timeout`` seconds of quiet."""
    name = enriched_topic(topic) if topic else ENRICHED
    console = Console(file=out, highlight=False)
    consumer = kafka.consumer(settings, name, from_beginning=from_beginning)
    await consumer.start()
    shown, latest = 0, Latest()
    try:
        while max_records is None or shown < max_records:
            batch = await consumer.getmany(timeout_ms=int((idle_timeout or 3600) * 1000))
            if not batch:
                if idle_timeout is not None:
                    break
                continue
            for messages in batch.values():
                for message in messages:
                    try:
                        item = EnrichedItem.model_validate_json(message.value)
                    except ValidationError as exc:
                        print(
                            f"skipping undecodable record at offset {message.offset}: "
                            f"{exc.error_count()} errors",
                            file=sys.stderr,
                        )
                        continue
                    if not latest.admit(item.id, item.version) or not matches_entity(item, entity):
                        continue  # a repeat of what was shown, or an older version
                    if as_json:
                        out.write(json.dumps(item.model_dump(mode="json"), ensure_ascii=False))
                        out.write("\n")
                        out.flush()
                    else:
                        console.print(render_enriched(item))
                    shown += 1
                    if max_records is not None and shown >= max_records:
                        return 0
    except asyncio.CancelledError:
        pass
    finally:
        await consumer.stop()
    return 0
