"""The dedup stages run over simulated partitions: one store per stage and partition, records
routed by key, queues served in a random order, some records delivered twice."""

from __future__ import annotations

import random
import zlib
from collections import deque
from datetime import datetime

from workers.dedup.messages import Probe, Signal
from workers.dedup.stage import Emit, Outcome, decide, index
from workers.records import CleanItem, Duplicate, UniqueItem
from workers.settings import DedupSettings
from workers.topics import CLEAN, DEDUP_PROBES


def partition(key: str, partitions: int) -> int:
    return zlib.crc32(key.encode()) % partitions


def run_partitioned(
    items: list[CleanItem],
    partitions: int,
    settings: DedupSettings,
    now: datetime,
    seed: int = 0,
    redeliver: float = 0.0,
) -> dict[str, Outcome]:
    """The latest outcome per item id."""
    rng = random.Random(seed)
    stores = {(stage, p): {} for stage in ("dedup", "index") for p in range(partitions)}
    queues: dict[tuple[str, int], deque[Emit]] = {}
    for item in items:
        queues.setdefault((CLEAN, partition(item.id, partitions)), deque()).append(
            Emit(CLEAN, item.id, item)
        )
    final: dict[str, Outcome] = {}
    while any(queues.values()):
        topic, p = rng.choice([k for k, q in queues.items() if q])
        emit = queues[(topic, p)].popleft()
        for _ in range(2 if rng.random() < redeliver else 1):
            if topic == DEDUP_PROBES:
                assert isinstance(emit.record, Probe)
                out = index(emit.record, stores[("index", p)], settings, now)
            else:
                assert isinstance(emit.record, CleanItem | Signal)
                out = decide(emit.record, stores[("dedup", p)], settings, now, partitions)
            for e in out:
                if isinstance(e.record, UniqueItem | Duplicate):
                    prior = final.get(e.record.id)
                    if prior is None or e.record.version >= prior.version:
                        final[e.record.id] = e.record
                else:
                    to = e.partition if e.partition is not None else partition(e.key, partitions)
                    queues.setdefault((e.topic, to), deque()).append(e)
    return final


def heads(final: dict[str, Outcome]) -> dict[str, str]:
    """Item id → the head of its story (itself when it is one)."""
    return {i: o.duplicate_of if isinstance(o, Duplicate) else i for i, o in final.items()}
