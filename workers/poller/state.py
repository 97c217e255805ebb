"""What the poller has fetched and published, kept in Kafka (news.poller-state).

The topic has ``poller.partitions`` partitions; every record of a feed (its
validators and schedule, and its entries) goes to the feed's partition, so the
poller that owns a partition owns the feeds in it and all their state. On
assignment a poller reads its partitions back (see workers.statestore: it writes
a marker and reads until it meets it, never trusting end offsets).
"""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from workers.identity import stable_id
from workers.records import PollerState
from workers.settings import Settings
from workers.statestore import KafkaStateStore
from workers.topics import POLLER_STATE


def feed_partition(feed: str, partitions: int) -> int:
    """The partition a feed's state lives in, and by which pollers share the feeds."""
    return int(stable_id(feed), 16) % partitions


class PollerStateStore(KafkaStateStore[PollerState]):
    def __init__(self, settings: Settings, producer: AIOKafkaProducer) -> None:
        super().__init__(settings, producer, POLLER_STATE, PollerState)
