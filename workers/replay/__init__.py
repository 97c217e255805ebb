"""Replay: raw items of a range through the current stages; publish only what changed.

The replay reads the raw topics (its own consumer, partitions assigned, no
group: the live workers' group is never rebalanced or paused) and the
terminal topics, runs each id's latest raw record through `Pipeline` (the
functions the agents call), and compares the result with the id's latest
terminal record, ignoring the fields that always change (`VOLATILE`).

Dedup verdicts are not re-decided: the dedup index of the (id, version) is
rebuilt from the terminal records, so a replay of a subset does not call an
item unique only because its original is outside the range. Clean and tag
run afresh.

A changed result is published directly to its terminal topic as the same id
with ``version`` + 1 (``origin: replay`` and the replay's run id on enriched
records); the sink agent routes a corrected enriched record to
news.enriched.<topic> as it does any other. Nothing goes back to the raw topics:
the result that is published is exactly the one that was compared (a worker
may still run older rules), and unchanged items cost the live stages nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workers import kafka
from workers.dedup.stage import DedupIndex
from workers.pipeline import Outcome, Pipeline
from workers.records import Duplicate, EnrichedItem, Rejected, utcnow
from workers.replay.read import (
    RawRecord,
    TerminalRecord,
    comparable,
    latest_raw,
    latest_terminal,
    read_both,
)
from workers.settings import Settings
from workers.tagging.follow import matches_entity
from workers.topics import DUPLICATES, ENRICHED, RAW_TOPICS, REJECTED

TOPIC_OF = {EnrichedItem: ENRICHED, Duplicate: DUPLICATES, Rejected: REJECTED}
KIND = {EnrichedItem: "enriched", Duplicate: "duplicate", Rejected: "rejected"}


@dataclass
class Change:
    item_id: str
    version: int
    stage: str  # what changed first: outcome, clean, dedup or tag
    before: str
    after: str
    gained: list[str]
    lost: list[str]
    fields: list[str]  # the fields that differ


@dataclass
class ReplayReport:
    run_id: str
    dry_run: bool
    raw_records: int = 0
    ids: int = 0
    filtered_out: int = 0
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # no terminal record yet: audit's job
    changes: list[Change] = field(default_factory=list)
    published: int = 0

    def by_stage(self) -> Counter[str]:
        return Counter(c.stage for c in self.changes)

    def topics(self) -> tuple[Counter[str], Counter[str]]:
        gained, lost = Counter[str](), Counter[str]()
        for c in self.changes:
            gained.update(c.gained)
            lost.update(c.lost)
        return gained, lost


def seed_dedup(index: DedupIndex, current: TerminalRecord | None) -> None:
    """The verdict the live dedup stage gave, so the replay keeps it (same processed_at)."""
    if current is not None and isinstance(current.record, EnrichedItem | Duplicate):
        index.seed(current.record)


def changed_stage(old: Outcome, new: Outcome) -> str:
    if type(old) is not type(new):
        return "outcome"
    a, b = comparable(old), comparable(new)
    if isinstance(new, Rejected):
        return "outcome"
    if isinstance(new, Duplicate):
        return "dedup"
    clean_fields = ("title", "text", "lang", "authors", "canonical_url")
    if any(a.get(f) != b.get(f) for f in clean_fields):
        return "clean"
    if a.get("dedup") != b.get("dedup"):
        return "dedup"
    return "tag"


def topic_ids(record: Outcome | None) -> set[str]:
    return {t.id for t in record.topics} if isinstance(record, EnrichedItem) else set()


def corrected(new: Outcome, version: int, run_id: str) -> Outcome:
    now = utcnow()
    if isinstance(new, EnrichedItem):
        return new.model_copy(
            update={"version": version, "origin": "replay", "run_id": run_id, "processed_at": now}
        )
    if isinstance(new, Duplicate):
        return new.model_copy(update={"version": version, "processed_at": now})
    return new.model_copy(update={"version": version, "at": now})


def wanted(
    raw: RawRecord,
    current: Outcome | None,
    new: Outcome,
    source: str | None,
    topic: str | None,
    entity: str | None,
) -> bool:
    if source:
        s = raw.item.source
        if source not in (s.publisher or "") and source not in (s.feed or ""):
            return False
    if topic and topic not in topic_ids(current) | topic_ids(new):
        return False
    return not entity or any(
        isinstance(r, EnrichedItem) and matches_entity(r, entity) for r in (current, new)
    )


async def replay(
    settings: Settings,
    since: datetime | None = None,
    until: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    topics: tuple[str, ...] = RAW_TOPICS,
    source: str | None = None,
    topic: str | None = None,
    entity: str | None = None,
    dry_run: bool = False,
    idle: float = 1.5,
    fetch: bool = True,
    on_change: Callable[[Change], None] | None = None,
) -> ReplayReport:
    report = ReplayReport(run_id=f"replay-{uuid.uuid4().hex[:12]}", dry_run=dry_run)
    raw_records, _, terminal = await read_both(settings, topics, since, until, offsets, idle)
    report.raw_records = len(raw_records)
    raw = latest_raw(raw_records)
    report.ids = len(raw)
    store: dict[str, Any] = {}
    current = {i: latest_terminal(terminal[i]) for i in raw if i in terminal}
    index = DedupIndex(store, settings.dedup, buckets=settings.kafka.partitions)
    for item_id in raw:
        seed_dedup(index, current.get(item_id))
    outgoing: list[Outcome] = []
    async with Pipeline(settings, store, fetch=fetch) as pipeline:
        results = {
            item_id: await pipeline.process(r.message.value, r.message.topic)
            for item_id, r in sorted(raw.items(), key=lambda kv: kv[1].message.timestamp)
        }
    for item_id, r in sorted(raw.items(), key=lambda kv: kv[1].message.timestamp):
        old = current.get(item_id)
        new = results[item_id]
        if not wanted(r, old.record if old else None, new, source, topic, entity):
            report.filtered_out += 1
            continue
        if old is None:
            report.missing.append(item_id)
            continue
        a, b = comparable(old.record), comparable(new)
        if a == b:
            report.unchanged += 1
            continue
        before, after = topic_ids(old.record), topic_ids(new)
        change = Change(
            item_id,
            old.version + 1,
            changed_stage(old.record, new),
            KIND[type(old.record)],
            KIND[type(new)],
            sorted(after - before),
            sorted(before - after),
            sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)),
        )
        report.changes.append(change)
        if on_change:
            on_change(change)
        outgoing.append(corrected(new, old.version + 1, report.run_id))
    if outgoing and not dry_run:
        producer = kafka.producer(settings)
        await producer.start()
        try:
            for record in outgoing:
                await producer.send(
                    settings.topic(TOPIC_OF[type(record)]),
                    record.to_json(),
                    key=(record.id or "").encode(),
                )
            await producer.flush()
            report.published = len(outgoing)
        finally:
            await producer.stop()
    return report
