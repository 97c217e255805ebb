"""Which feeds this poller owns: partitions of news.poller-state, shared by a consumer group.

Every poller joins one consumer group on the state topic. Kafka's group protocol
hands each partition to exactly one member; a feed belongs to the partition of its
URL (workers.poller.state.feed_partition), so each feed is polled by one poller.
When a poller dies, the broker notices within the session timeout and the
survivors are given its partitions; they read those partitions' state back before
polling, so nothing is published twice. A poller that loses partitions first lets
the polls of their feeds finish (``on_revoked`` is awaited before the handover).

The group consumer fetches nothing (its partitions are paused): it is only for
membership. No offsets are committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from workers.settings import Settings
from workers.topics import POLLER_STATE

log = logging.getLogger(__name__)

Handler = Callable[[set[int]], Awaitable[None]]


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, ownership: Ownership) -> None:
        self.ownership = ownership

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.ownership._revoked({tp.partition for tp in revoked})

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        await self.ownership._assigned(assigned)


class Ownership:
    def __init__(self, settings: Settings, on_assigned: Handler, on_revoked: Handler) -> None:
        self.settings = settings
        self.topic = settings.topic(POLLER_STATE)
        self.on_assigned = on_assigned
        self.on_revoked = on_revoked
        self.owned: set[int] = set()  # polled now
        self._held: set[int] = set()  # last assignment, kept while a rebalance runs
        self.assigned = asyncio.Event()  # set once the first assignment is in place
        k = settings.kafka
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=k.bootstrap_servers,
            group_id=f"{k.topic_prefix}{settings.poller.group_id}",
            enable_auto_commit=False,
            session_timeout_ms=int(k.session_timeout * 1000),
            heartbeat_interval_ms=int(k.heartbeat_interval * 1000),
            request_timeout_ms=int(k.request_timeout * 1000),
            rebalance_timeout_ms=int(max(k.session_timeout * 5, 30) * 1000),
        )
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.consumer.start()
        self.consumer.subscribe([self.topic], listener=_Listener(self))
        self._task = asyncio.create_task(self._keep_membership(), name="poller-ownership")

    async def _keep_membership(self) -> None:
        """Polls the (paused) consumer, which keeps it a live member of the group."""
        while True:
            try:
                await self.consumer.getmany(timeout_ms=500)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a broker outage: the consumer reconnects by itself
                log.debug("poller group consumer: %s", exc)
                await asyncio.sleep(1.0)

    async def _revoked(self, partitions: set[int]) -> None:
        """Stop polling these partitions' feeds and let running polls finish."""
        self.owned -= partitions
        if partitions:
            await self.on_revoked(partitions)

    async def _assigned(self, assigned: list[TopicPartition]) -> None:
        """Read back the state of partitions that are new to us, then poll them."""
        self.consumer.pause(*assigned)
        partitions = {tp.partition for tp in assigned}
        new = partitions - self._held
        if new:
            await self.on_assigned(new)
        self._held = self.owned = partitions
        log.info("poller owns partitions %s", sorted(partitions))
        self.assigned.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.consumer.stop()  # leaves the group: the others take over at once
