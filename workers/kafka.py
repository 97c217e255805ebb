"""aiokafka producers and consumers configured from the settings.

Plain at-least-once clients: idempotent and transactional producers are not
used, so every Kafka-protocol broker (the embedded one included) works.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from workers.settings import Settings

log = logging.getLogger(__name__)


def producer(settings: Settings) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        acks="all",
        linger_ms=5,
        max_request_size=settings.kafka.max_record_bytes,
        request_timeout_ms=int(settings.kafka.request_timeout * 1000),
    )


def consumer(
    settings: Settings,
    *topics: str,
    group_id: str | None = None,
    from_beginning: bool = True,
    commit: bool = True,
) -> AIOKafkaConsumer:
    """A consumer of the (prefixed) topics; without a group (or ``commit``) it never commits."""
    return AIOKafkaConsumer(
        *(settings.topic(t) for t in topics),
        bootstrap_servers=settings.kafka.bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=group_id is not None and commit,
        auto_offset_reset="earliest" if from_beginning else "latest",
        session_timeout_ms=int(max(settings.kafka.session_timeout, 6.0) * 1000),
        heartbeat_interval_ms=int(max(settings.kafka.heartbeat_interval, 1.0) * 1000),
        fetch_max_bytes=settings.kafka.max_record_bytes,
        max_partition_fetch_bytes=settings.kafka.max_record_bytes,
    )


async def committed_offsets(
    settings: Settings, group_id: str, topics: Iterable[str]
) -> dict[tuple[str, int], int]:
    """A consumer group's committed (next) offset per (unprefixed topic, partition).

    Read with a consumer of that group that never joins it (it subscribes to nothing), so
    the workers are not rebalanced.
    """
    names = {settings.topic(t): t for t in topics}
    reader = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
    )
    await reader.start()
    try:
        await reader.topics()  # the cluster's metadata, partitions included
        out = {}
        for full, name in names.items():
            for partition in reader.partitions_for_topic(full) or ():
                offset = await reader.committed(TopicPartition(full, partition))
                if offset is not None and offset >= 0:
                    out[(name, partition)] = offset
        return out
    finally:
        await reader.stop()


async def log_end_offsets(
    probe: AIOKafkaConsumer, reported: Mapping[TopicPartition, int], wait: float = 10.0
) -> dict[TopicPartition, int]:
    """The offset after each partition's last record, from the ends a broker reported.

    The embedded broker (Tansu) reports a partition's end as the base offset of its last
    batch + 1, so a batch of n records hides n - 1 of them from whoever reads "to the end":
    faust's table recovery stopped short, or refused a changelog its standby had read
    further. A fetch from the reported end - 1 returns that batch, and its last offset + 1
    is the true end. On Apache Kafka the probe finds the one record there and changes
    nothing. ``probe`` is a started consumer that may be reassigned (it reads no group).
    A partition whose probe fetch does not come back within ``wait`` keeps the reported end,
    with a warning: a worker's table recovered to it may lack the last writes.
    """
    ends = dict(reported)
    pending = {tp for tp, end in reported.items() if end and end > 0}
    if not pending:
        return ends
    probe.assign(sorted(pending))
    for tp in pending:
        probe.seek(tp, ends[tp] - 1)
    deadline = time.monotonic() + wait
    while pending and (left := deadline - time.monotonic()) > 0:
        batch = await probe.getmany(*pending, timeout_ms=int(left * 1000) + 1)
        for tp, records in batch.items():
            if records:
                ends[tp] = max(ends[tp], records[-1].offset + 1)
                pending.discard(tp)
    if pending:
        names = ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(pending))
        log.warning("log end of %s not read within %.1f s: the broker's end is used", names, wait)
    return ends


class LogEnds:
    """:func:`log_end_offsets` through one probe consumer kept for every call, the calls
    taking turns: one call's assignment took the other's partitions away mid-read (a
    worker's lag measure and a table's recovery at once), and the recovery, answered by
    nothing, stopped at the broker's short end, its table lacking the last writes (an item
    waited for ever in the kill -9 test)."""

    def __init__(self, bootstrap_servers: str | None, fetch_max_wait: float) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.fetch_max_wait = fetch_max_wait
        self._probe: AIOKafkaConsumer | None = None
        self._turn: asyncio.Lock | None = None  # made in the loop that uses it

    async def __call__(
        self, reported: Mapping[TopicPartition, int], wait: float
    ) -> dict[TopicPartition, int]:
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:
            if self._probe is None:
                self._probe = AIOKafkaConsumer(
                    bootstrap_servers=self.bootstrap_servers,
                    enable_auto_commit=False,
                    fetch_max_wait_ms=int(self.fetch_max_wait * 1000),
                )
                await self._probe.start()
            return await log_end_offsets(self._probe, reported, wait)

    async def stop(self) -> None:
        if self._probe is not None:
            await self._probe.stop()
            self._probe = None
