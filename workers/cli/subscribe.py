"""`lagebild subscribe`: follow enriched records (or the rejected ones), readable or as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TextIO

from pydantic import BaseModel, ValidationError
from rich.console import Console

from workers import kafka
from workers.cli.errors import UsageError
from workers.cli.view import render_enriched, render_rejected
from workers.latest import Latest
from workers.records import EnrichedItem, Rejected
from workers.settings import Settings
from workers.tagging.follow import matches_entity
from workers.topics import ENRICHED, REJECTED, enriched_topic


def source_topic(topic: str | None, rejected: bool, known: list[str]) -> str:
    """The topic to read; an unknown news topic is an error that lists the known ones."""
    if rejected:
        if topic:
            raise UsageError("--rejected reads news.rejected: give it without --topic")
        return REJECTED
    if topic is None:
        return ENRICHED
    if topic not in known:
        hint = " (the dead letters: --rejected)" if topic in ("rejected", REJECTED) else ""
        raise UsageError(f"unknown topic {topic!r}{hint}; known topics: {', '.join(known)}")
    return enriched_topic(topic)


async def subscribe(
    settings: Settings,
    topic: str | None,
    entity: str | None,
    from_beginning: bool,
    max_records: int | None,
    idle_timeout: float | None,
    as_json: bool,
    out: TextIO = sys.stdout,
    *,
    rejected: bool = False,
    known_topics: list[str] | None = None,
    err: TextIO = sys.stderr,
) -> int:
    """Print matching records; stop after ``max_records`` or ``idle_timeout`` seconds of quiet."""
    name = source_topic(topic, rejected, known_topics if known_topics is not None else [])
    model: type[BaseModel] = Rejected if rejected else EnrichedItem
    console = Console(file=out, highlight=False, soft_wrap=not out.isatty())
    consumer = kafka.consumer(settings, name, from_beginning=from_beginning)
    shown, latest = 0, Latest()
    try:
        await consumer.start()
        if not from_beginning:
            # without it nothing shows until a new record lands: say so, or it looks hung
            print(
                f"following {settings.topic(name)}: new records only (--from-beginning shows "
                "earlier ones); Ctrl-C stops",
                file=err,
                flush=True,
            )
        while max_records is None or shown < max_records:
            batch = await consumer.getmany(timeout_ms=int((idle_timeout or 3600) * 1000))
            if not batch:
                if idle_timeout is not None:
                    break
                continue
            for messages in batch.values():
                for message in messages:
                    try:
                        record = model.model_validate_json(message.value)
                    except ValidationError as exc:
                        print(
                            f"skipping undecodable record at offset {message.offset}: "
                            f"{exc.error_count()} errors",
                            file=err,
                        )
                        continue
                    if isinstance(record, EnrichedItem) and (
                        not latest.admit(record.id, record.version)
                        or not matches_entity(record, entity)
                    ):
                        continue  # a repeat of what was shown, an older version, no match
                    if as_json:
                        out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False))
                        out.write("\n")
                        out.flush()
                    elif isinstance(record, Rejected):
                        console.print(render_rejected(record))
                    else:
                        assert isinstance(record, EnrichedItem)
                        console.print(render_enriched(record))
                    shown += 1
                    if max_records is not None and shown >= max_records:
                        return 0
    except asyncio.CancelledError:
        pass
    finally:
        await consumer.stop()  # also after a failed start: no "Unclosed AIOKafkaConsumer"
    return 0
