"""What the poller has fetched and published, kept in Kafka (news.poller-state).

On start the poller reads the whole state topic back. It does not trust the
broker's end offset (some Kafka-protocol brokers report it wrongly): it first
writes a marker with a fresh nonce and reads until it meets that marker.
"""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaProducer, TopicPartition

from workers import kafka
from workers.records import PollerState, utcnow
from workers.settings import Settings
from workers.topics import POLLER_STATE


class PollerStateStore:
    def __init__(self, settings: Settings, producer: AIOKafkaProducer) -> None:
        self.settings = settings
        self.producer = producer
        self.topic = settings.topic(POLLER_STATE)
        self.entries: dict[str, PollerState] = {}

    async def load(self) -> int:
        """Read every state record back; returns how many keys are known."""
        nonce = uuid.uuid4().hex
        marker = PollerState(key=f"marker:{nonce}", updated_at=utcnow())
        await self.producer.send_and_wait(self.topic, marker.to_json(), key=marker.key.encode(),
                                          partition=0)
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
                        state = PollerState.model_validate_json(message.value)
                        if state.key == marker.key:
                            return len(self.entries)
                        if not state.key.startswith("marker:"):
                            self.entries[state.key] = state
        finally:
            await consumer.stop()

    def get(self, key: str) -> PollerState | None:
        return self.entries.get(key)

    async def put(self, state: PollerState) -> None:
        self.entries[state.key] = state
        await self.producer.send(self.topic, state.to_json(), key=state.key.encode(), partition=0)
