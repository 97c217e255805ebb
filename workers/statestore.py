"""A key → record store kept in a Kafka topic, read back on start.

Loading does not trust the broker's end offset (some Kafka-protocol brokers
report it wrongly): it first writes a marker with a fresh nonce to each
partition it loads and reads until it meets that marker. Correctness does not
depend on compaction either: the last record of a key wins, however many older
ones the topic still holds. A store may load only some partitions (a poller
loads those whose feeds it owns) and load more later.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Generic, TypeVar

from aiokafka import AIOKafkaProducer, TopicPartition

from workers import kafka
from workers.records import BackfillState, PollerState, utcnow
from workers.settings import Settings

MARKER_PREFIX = "marker:"


S = TypeVar("S", PollerState, BackfillState)


class KafkaStateStore(Generic[S]):
    """Records of one model, keyed by their ``key``, in a topic of one or more partitions.

    ``topic`` is the unprefixed name.
    """

    def __init__(
        self, settings: Settings, producer: AIOKafkaProducer, topic: str, model: type[S]
    ) -> None:
        self.settings = settings
        self.producer = producer
        self.topic = settings.topic(topic)
        self.model = model
        self.entries: dict[str, S] = {}

    async def partitions(self) -> list[int]:
        found = await self.producer.partitions_for(self.topic)
        return sorted(found) if found else [0]

    async def load(self, partitions: list[int] | None = None) -> int:
        """Read the partitions (default: all) back; returns how many keys are known."""
        wanted = partitions if partitions is not None else await self.partitions()
        if wanted:
            await asyncio.gather(*(self._load_partition(p) for p in wanted))
        return len(self.entries)

    async def _load_partition(self, number: int) -> None:
        marker = self.model(key=f"{MARKER_PREFIX}{uuid.uuid4().hex}", updated_at=utcnow())
        await self.producer.send_and_wait(
            self.topic, marker.to_json(), key=marker.key.encode(), partition=number
        )
        consumer = kafka.consumer(self.settings)
        await consumer.start()
        try:
            partition = TopicPartition(self.topic, number)
            consumer.assign([partition])
            await consumer.seek_to_beginning(partition)
            async with asyncio.timeout(self.settings.poller.state_load_timeout):
                while True:
                    batch = await consumer.getmany(partition, timeout_ms=500)
                    for message in batch.get(partition, []):
                        if message.value is None:  # a marker's tombstone
                            continue
                        state = self.model.model_validate_json(message.value)
                        if state.key == marker.key:
                            # markers have unique keys: a tombstone lets compaction drop it
                            await self.producer.send(
                                self.topic, None, key=marker.key.encode(), partition=number
                            )
                            return
                        if not state.key.startswith(MARKER_PREFIX):
                            self.entries[state.key] = state
        finally:
            await consumer.stop()

    def get(self, key: str) -> S | None:
        return self.entries.get(key)

    async def put(self, state: S, partition: int = 0) -> asyncio.Future[object]:
        """Remember ``state``; returns the send's future (await it, or flush, to be sure)."""
        self.entries[state.key] = state
        return await self.producer.send(
            self.topic, state.to_json(), key=state.key.encode(), partition=partition
        )
