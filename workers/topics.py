"""Every topic lagebild uses, declared in one place and provisioned explicitly.

Correctness never depends on compaction or retention being applied (the
embedded broker accepts but ignores topic configs); they are set for real
clusters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workers.records import Duplicate, EnrichedItem, Rejected
from workers.settings import Settings

RAW = "news.raw"
FETCH = "news.fetch"
FETCHED = "news.fetched"
CLEAN = "news.clean"
UNIQUE = "news.unique"
ENRICHED = "news.enriched"
DUPLICATES = "news.duplicates"
REJECTED = "news.rejected"
POLLER_STATE = "news.poller-state"
RAW_BACKFILL = "news.raw.backfill"
BACKFILL_STATE = "news.backfill-state"
#: dedup's own topics: index keys routed to the partition that owns them, and the answers,
#: corrections and memberships routed back to the item's partition (workers/dedup/stage.py)
DEDUP_PROBES = "news.dedup-probes"
DEDUP_SIGNALS = "news.dedup-signals"
#: dedup's two tables: verdicts by item id (co-partitioned with news.clean and the signals),
#: and the index by key (co-partitioned with the probes)
DEDUP_TABLE = "dedup-verdicts"
DEDUP_INDEX_TABLE = "dedup-index"

#: The topics raw items arrive on: live (poller) and backfill (lower priority, see app.py).
RAW_TOPICS = (RAW, RAW_BACKFILL)

#: The three topics in which an item ends (every raw id gets exactly one), with their records.
TERMINAL_MODELS: dict[str, type[EnrichedItem | Duplicate | Rejected]] = {
    ENRICHED: EnrichedItem,
    DUPLICATES: Duplicate,
    REJECTED: Rejected,
}
TERMINAL = tuple(TERMINAL_MODELS)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


def changelog_topic(settings: Settings, table: str) -> str:
    """faust's name for a table's changelog topic."""
    return f"{settings.worker.app_id}-{table}-changelog"


def enriched_topic(topic_id: str) -> str:
    return f"{ENRICHED}.{topic_id}"


def declared_topics(settings: Settings, topic_ids: list[str]) -> list[TopicSpec]:
    """All topics with partitions and configs; names carry the configured prefix.

    Every stream topic has ``kafka.partitions`` partitions, dedup included: its index keys
    travel to the partition that owns them (news.dedup-probes), so no partition needs to see
    every item. A table's changelog has the partitions of the topic its stage consumes.
    """
    k = settings.kafka
    size = {"max.message.bytes": str(k.max_record_bytes)}
    stream = {"cleanup.policy": "delete", "retention.ms": str(k.retention_ms), **size}
    compact = {"cleanup.policy": "compact", **size}
    specs = [
        TopicSpec(RAW, k.partitions, stream),
        TopicSpec(RAW_BACKFILL, k.partitions, stream),
        TopicSpec(FETCH, k.partitions, stream),
        TopicSpec(FETCHED, k.partitions, stream),
        TopicSpec(CLEAN, k.partitions, stream),
        TopicSpec(DEDUP_PROBES, k.partitions, stream),
        TopicSpec(DEDUP_SIGNALS, k.partitions, stream),
        TopicSpec(UNIQUE, k.partitions, stream),
        TopicSpec(ENRICHED, k.partitions, compact),
        TopicSpec(DUPLICATES, k.partitions, compact),
        TopicSpec(REJECTED, k.partitions, stream),
        TopicSpec(POLLER_STATE, settings.poller.partitions, compact),
        TopicSpec(BACKFILL_STATE, 1, compact),
        *(TopicSpec(enriched_topic(t), k.partitions, compact) for t in topic_ids),
    ]
    specs = [TopicSpec(settings.topic(s.name), s.partitions, s.config) for s in specs]
    for table in (DEDUP_TABLE, DEDUP_INDEX_TABLE):
        specs.append(TopicSpec(changelog_topic(settings, table), k.partitions, compact))
    return specs
