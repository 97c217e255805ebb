"""Reading ranges of topics back, without trusting the broker's end offsets.

A reader assigns every partition itself (no consumer group, so it never
rebalances the live workers' group) and stops a partition when it has
delivered a record newer than the range, or when it has been quiet for
``idle`` seconds at or past the end offset the broker reports (which some
brokers report too low: it is only a lower bound here).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from aiokafka import TopicPartition
from pydantic import BaseModel, ValidationError

from workers import kafka
from workers.records import Duplicate, EnrichedItem, RawItem, Rejected
from workers.settings import Settings
from workers.topics import TERMINAL_MODELS

#: fields that differ between two runs of the same stages on the same input
VOLATILE = frozenset(
    {
        "processed_at",
        "pipeline_version",
        "run_id",
        "fetched_at",
        "version",
        "origin",
        "at",
        "schema_version",
    }
)


@dataclass(frozen=True)
class Message:
    topic: str  # without the prefix
    partition: int
    offset: int
    timestamp: int  # ms
    key: bytes | None
    value: bytes | None


@dataclass(frozen=True)
class RawRecord:
    message: Message
    item: RawItem


@dataclass(frozen=True)
class TerminalRecord:
    message: Message
    record: EnrichedItem | Duplicate | Rejected

    @property
    def topic(self) -> str:
        return self.message.topic

    @property
    def version(self) -> int:
        return self.record.version or 1


def ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def parse_offsets(spec: str, default_topic: str) -> dict[tuple[str, int], int]:
    """``0=120,1=80`` or ``news.raw.backfill:0=3`` → {(topic, partition): offset}."""
    result: dict[tuple[str, int], int] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        topic, _, rest = part.rpartition(":")
        partition, sep, offset = rest.partition("=")
        if not sep or not partition.strip().isdigit() or not offset.strip().isdigit():
            raise ValueError(f"bad offset {part!r}: use [TOPIC:]PARTITION=OFFSET")
        result[(topic or default_topic, int(partition))] = int(offset)
    return result


async def read_range(
    settings: Settings,
    topics: Iterable[str],
    since: datetime | None = None,
    until: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    idle: float = 1.5,
    timeout: float = 600.0,
) -> list[Message]:
    """Every record of the (unprefixed) topics in the range, in partition order.

    ``offsets`` starts the listed partitions there and reads no others; else
    every partition from the beginning, keeping records at or after ``since``.
    Records newer than ``until`` are left out (and end their partition).
    """
    prefix = settings.kafka.topic_prefix
    since_ms, until_ms = ms(since), ms(until)
    consumer = kafka.consumer(settings)
    await consumer.start()
    out: list[Message] = []
    try:
        await consumer.topics()  # metadata
        parts: list[TopicPartition] = []
        for topic in topics:
            name = settings.topic(topic)
            for p in sorted(consumer.partitions_for_topic(name) or ()):
                if offsets is None or (topic, p) in offsets:
                    parts.append(TopicPartition(name, p))
        if not parts:
            return out
        ends = await kafka.log_end_offsets(consumer, await consumer.end_offsets(parts))
        consumer.assign(parts)
        for tp in parts:
            start = offsets.get((tp.topic.removeprefix(prefix), tp.partition)) if offsets else None
            if start is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, start)
        open_parts = set(parts)
        last = dict.fromkeys(parts, time.monotonic())
        deadline = time.monotonic() + timeout
        while open_parts and time.monotonic() < deadline:
            batch = await consumer.getmany(*open_parts, timeout_ms=200)
            now = time.monotonic()
            for tp, messages in batch.items():
                last[tp] = now
                for m in messages:
                    if until_ms is not None and m.timestamp > until_ms:
                        open_parts.discard(tp)
                        break
                    if since_ms is not None and m.timestamp < since_ms:
                        continue
                    out.append(
                        Message(
                            tp.topic.removeprefix(prefix),
                            tp.partition,
                            m.offset,
                            m.timestamp,
                            m.key,
                            m.value,
                        )
                    )
            for tp in list(open_parts):
                if now - last[tp] >= idle and await consumer.position(tp) >= ends.get(tp, 0):
                    open_parts.discard(tp)
    finally:
        await consumer.stop()
    return out


def decode_raw(messages: Iterable[Message]) -> tuple[list[RawRecord], int]:
    """Raw records that parse (and how many did not: those are the workers' to reject)."""
    records, bad = [], 0
    for m in messages:
        try:
            records.append(RawRecord(m, RawItem.model_validate_json(m.value or b"")))
        except ValidationError:
            bad += 1
    return records, bad


def decode_terminal(messages: Iterable[Message]) -> dict[str, list[TerminalRecord]]:
    """Terminal records by item id (records without an id cannot be attributed)."""
    by_id: dict[str, list[TerminalRecord]] = {}
    for m in messages:
        model = TERMINAL_MODELS.get(m.topic)
        if model is None or m.value is None:
            continue
        try:
            record = model.model_validate_json(m.value)
        except ValidationError:
            continue
        if record.id:
            by_id.setdefault(record.id, []).append(TerminalRecord(m, record))
    return by_id


def latest_raw(records: Iterable[RawRecord]) -> dict[str, RawRecord]:
    """The highest version of each id (the later record on a tie)."""
    latest: dict[str, RawRecord] = {}
    for r in records:
        have = latest.get(r.item.id)
        if have is None or r.item.version >= have.item.version:
            latest[r.item.id] = r
    return latest


def comparable(record: BaseModel) -> dict[str, object]:
    """A record without the fields that always change between runs."""
    return {k: v for k, v in record.model_dump(mode="json").items() if k not in VOLATILE}


def latest_terminal(records: list[TerminalRecord]) -> TerminalRecord:
    return max(records, key=lambda r: (r.version, r.message.timestamp))


async def read_raw(
    settings: Settings,
    topics: Iterable[str],
    since: datetime | None,
    until: datetime | None,
    offsets: dict[tuple[str, int], int] | None,
    idle: float,
) -> tuple[list[RawRecord], int]:
    return decode_raw(await read_range(settings, topics, since, until, offsets, idle))


async def read_terminals(settings: Settings, idle: float) -> dict[str, list[TerminalRecord]]:
    return decode_terminal(await read_range(settings, TERMINAL_MODELS, idle=idle))


async def read_both(
    settings: Settings,
    topics: Iterable[str],
    since: datetime | None,
    until: datetime | None,
    offsets: dict[tuple[str, int], int] | None,
    idle: float,
) -> tuple[list[RawRecord], int, dict[str, list[TerminalRecord]]]:
    (raw, bad), terminal = await asyncio.gather(
        read_raw(settings, topics, since, until, offsets, idle), read_terminals(settings, idle)
    )
    return raw, bad, terminal
