"""A key → record store kept in a Kafka topic (one partition), read back on start.

Loading does not trust the broker's end offset (some Kafka-protocol brokers
report it wrongly): it first writes a marker with a fresh nonce and reads
until it meets that marker. Correctness does not depend on compaction either:
the last record of a key wins, however many older ones the topic still holds.
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
    """Records of one model, keyed by their ``key``, in a one-partition topic.

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

    async def load(self) -> int:
        """Read every record back; returns how many keys are known."""
        marker = self.model(key=f"{MARKER_PREFIX}{uuid.uuid4().hex}", updated_at=utcnow())
        await self.producer.send_and_wait(
            self.topic, marker.to_json(), key=marker.key.encode(), partition=0
        )
        consumer = kafka.consumer(self.settings)
        await consumer.start()
        try:
            partition = TopicPartition(self.topic, 0)
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
                                self.topic, None, key=marker.key.encode(), partition=0
                            )
                            return len(self.entries)
                        if not state.key.startswith(MARKER_PREFIX):
                            self.entries[state.key] = state
        finally:
            await consumer.stop()

    def get(self, key: str) -> S | None:
        return self.entries.get(key)

    async def put(self, state: S) -> None:
        """Remember ``state``; sent, not awaited (``flush`` the producer to be sure)."""
        self.entries[state.key] = state
        await self.producer.send(self.topic, state.to_json(), key=state.key.encode(), partition=0)
