"""What the poller has fetched and published, kept in Kafka (news.poller-state).

On start the poller reads the whole state topic back (see workers.statestore:
it writes a marker and reads until it meets it, never trusting end offsets).
"""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from workers.records import PollerState
from workers.settings import Settings
from workers.statestore import KafkaStateStore
from workers.topics import POLLER_STATE


class PollerStateStore(KafkaStateStore[PollerState]):
    def __init__(self, settings: Settings, producer: AIOKafkaProducer) -> None:
        super().__init__(settings, producer, POLLER_STATE, PollerState)
