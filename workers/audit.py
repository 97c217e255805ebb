"""Every raw item accounted for: exactly one terminal record of its latest version.

For the raw records of a time or offset range, the audit reads all terminal
topics (news.enriched, news.duplicates, news.rejected) and sorts each id into

- ok: a terminal record of the latest raw version (or of a later one: a
  replay's correction), and only one kind of result at that version;
- queued: no terminal record yet, and the workers' consumer group has not
  committed past its raw record: it is waiting its turn, not lost;
- in flight: committed past, but younger than the grace period (``audit.grace``):
  still on its way through the later stages;
- missing: committed past and older than the grace period, and no terminal
  record of the latest raw version: lost;
- multiple: more than one different result at that version (e.g. enriched
  and rejected); redeliveries of the same result count once.

``repair`` publishes the latest raw record of every missing id again, as
received, to the raw topic it came from, so the workers process it the way
they would have: same id and version. What is queued or in flight is never
republished.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime

from workers import kafka
from workers.replay.read import (
    RawRecord,
    TerminalRecord,
    comparable,
    latest_raw,
    read_both,
)
from workers.settings import Settings
from workers.topics import RAW_TOPICS


@dataclass
class AuditReport:
    raw_records: int = 0
    undecodable: int = 0
    ids: int = 0
    ok: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)
    queued: list[str] = field(default_factory=list)
    in_flight: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    multiple: dict[str, list[str]] = field(default_factory=dict)  # id -> terminal topics
    repaired: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.missing and not self.multiple


def account(
    raw: dict[str, RawRecord],
    terminal: dict[str, list[TerminalRecord]],
    report: AuditReport,
    committed: dict[tuple[str, int], int],
    cutoff_ms: int,
) -> None:
    """Sort every id; ``committed`` is the workers' next offset per (raw topic, partition),
    ``cutoff_ms`` the time before which a consumed record should have its result."""
    for item_id, r in sorted(raw.items()):
        wanted = r.item.version
        records = [t for t in terminal.get(item_id, []) if t.version >= wanted]
        if not records:
            m = r.message
            if m.offset >= committed.get((m.topic, m.partition), 0):
                report.queued.append(item_id)
            elif m.timestamp > cutoff_ms:
                report.in_flight.append(item_id)
            else:
                report.missing.append(item_id)
            continue
        top = max(t.version for t in records)
        results = {}
        for t in records:
            if t.version == top:
                results[(t.topic, json.dumps(comparable(t.record), sort_keys=True))] = t.topic
        if len(results) > 1:
            report.multiple[item_id] = sorted(results.values())
            continue
        report.ok += 1
        (topic,) = results.values()
        report.by_topic[topic] = report.by_topic.get(topic, 0) + 1


async def audit(
    settings: Settings,
    since: datetime | None = None,
    until: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    repair: bool = False,
    idle: float = 1.5,
    topics: tuple[str, ...] = RAW_TOPICS,
    grace: float | None = None,
) -> AuditReport:
    raw_records, bad, terminal = await read_both(settings, topics, since, until, offsets, idle)
    report = AuditReport(raw_records=len(raw_records), undecodable=bad)
    raw = latest_raw(raw_records)
    report.ids = len(raw)
    committed = await kafka.committed_offsets(settings, settings.worker.app_id, topics)
    grace = settings.audit.grace if grace is None else grace
    cutoff_ms = int((time.time() - grace) * 1000)
    account(raw, terminal, report, committed, cutoff_ms)
    if repair and report.missing:
        producer = kafka.producer(settings)
        await producer.start()
        try:
            for item_id in report.missing:
                m = raw[item_id].message
                await producer.send(settings.topic(m.topic), m.value, key=item_id.encode())
                report.repaired.append(item_id)
            await producer.flush()
        finally:
            await producer.stop()
    return report
