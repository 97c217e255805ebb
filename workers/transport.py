"""faust's aiokafka transport with the fixes the worker needs.

- **Fetch wait.** faust fixes aiokafka's fetch wait at 1,500 ms: an idle hop then cost up
  to that. It is ``kafka.fetch_max_wait``.
- **Log ends.** Table recovery reads to the ends the log really has
  (``kafka.LogEnds``), not those the embedded broker reports; the lag measure asks the
  same probe, in turn.
- **Every offset handed on once, in order.** Around a rebalance faust can hand on a
  message fetched for the old assignment, or note its offset after the rebalance reset
  the partition. Its bookkeeping then skips records: a forward jump is taken for a gap
  (as in a compacted topic) and counted as processed, and the records read again are
  dropped as already seen. Under kill -9 tests on a loaded machine this lost 1 to 61 of
  240 items. :class:`ReadOffsets` fences those late notes, and the consumer rewinds a
  source partition whose next message is not the offset due (our topics are neither
  compacted nor transactional: a jump is never a real gap).
- **Skipped is not processed.** A message of an earlier assignment that faust's streams
  skip after a rebalance is acked by them, and a commit went past it; it is not counted.
- **No commit past an unprocessed offset.** faust commits the acked offsets from the first
  one on, and takes a single missing offset at the head (the committed one itself) for
  none; and the messages its streams skip while a rebalance holds the flow are acked as
  if processed. Either way a commit went past a message no stage had seen, and its item
  was lost (1 to 10 of 240 in the kill -9 test on a loaded machine). An ack while the
  flow is held does not count (the next owner reads it again: at least once), a commit
  waits for the partition's next offset (``floor``), and a partition whose floor stays
  unprocessed for ``kafka.reread_after`` while later offsets are done is read again from it.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from typing import Any

from faust.transport.drivers import aiokafka as driver
from faust.types import TP, Message
from mode.utils.futures import notify

from workers import kafka
from workers.settings import KafkaSettings

log = logging.getLogger(__name__)


def compacted(tp: TP) -> bool:
    """A table's changelog: compaction leaves real gaps in its offsets."""
    return tp.topic.endswith("-changelog")


class ReadOffsets(defaultdict[TP, int | None]):
    """faust's last offset read per partition, fenced across a rebalance.

    faust's fetch loop notes a message's offset after handing it on; a rebalance that
    begins meanwhile clears the entry first, and the late note then stands for a
    partition now read again from its committed offset: faust would drop the messages up
    to the noted one as seen. A cleared partition takes no note until the fetch loop
    reads its entry again, for a message of the new assignment."""

    def __init__(self) -> None:
        super().__init__(lambda: None)
        self.fenced: set[TP] = set()

    def pop(self, tp: TP, default: Any = None) -> Any:
        self.fenced.add(tp)
        return super().pop(tp, default)

    def __getitem__(self, tp: TP) -> int | None:
        self.fenced.discard(tp)
        return super().__getitem__(tp)

    def __setitem__(self, tp: TP, offset: int | None) -> None:
        if tp not in self.fenced:
            super().__setitem__(tp, offset)


class Consumer(driver.Consumer):
    """faust's consumer, handing on each source partition's offsets without a hole."""

    kafka_settings: KafkaSettings = KafkaSettings()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_offset = ReadOffsets()
        self.due: dict[TP, int] = {}  # the next offset of each source partition
        self.floor: dict[TP, int] = {}  # the offset no commit may pass until it is acked
        self.dropped: set[TP] = set()  # partitions to read again from their floor
        self.stuck: dict[TP, tuple[int, float]] = {}  # the floor waited for, since when

    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        await self._read_dropped_again()
        rewound: set[TP] = set()
        async for tp, message in super().getmany(timeout):
            if tp in rewound:
                continue
            due = self.due.get(tp)
            if due is not None and message.offset > due:
                log.warning(
                    "%s[%d]: offsets %d-%d were not handed on; reading them again",
                    tp.topic,
                    tp.partition,
                    due,
                    message.offset - 1,
                )
                rewound.add(tp)
                await self.seek(tp, due)
                continue
            if not compacted(tp):
                self.due[tp] = message.offset + 1
                self.floor.setdefault(tp, message.offset)
            yield tp, message

    async def _read_dropped_again(self) -> None:
        if not self.dropped:
            return
        dropped, self.dropped = self.dropped, set()
        for tp in dropped & self.assignment():
            if (floor := self.floor.get(tp)) is not None:
                log.warning(
                    "%s[%d]: offset %d was handed on but not processed; reading from it again",
                    tp.topic,
                    tp.partition,
                    floor,
                )
                await self.seek(tp, floor)

    def _new_offset(self, tp: TP) -> int | None:
        """The offset to commit: none while the floor's message is not acked (faust would
        commit past it when the next ones are)."""
        acked, floor = self._acked[tp], self.floor.get(tp)
        if acked and floor is not None and min(acked) > floor and not self._gap[tp][floor]:
            # acks come in order: it was dropped, or waits behind a slow batch for a while
            now, (waited_for, since) = time.monotonic(), self.stuck.get(tp, (None, 0.0))
            if waited_for != floor:
                self.stuck[tp] = (floor, now)
            elif now - since >= self.kafka_settings.reread_after:
                self.dropped.add(tp)
                self.stuck[tp] = (floor, now)
            return None
        offset = super()._new_offset(tp)
        if offset is not None and not compacted(tp):
            self.floor[tp] = offset
        return offset

    def ack(self, message: Message) -> bool:
        """A message fetched for an earlier assignment, or acked while a rebalance holds
        the flow, does not count towards a commit: faust acks the ones its streams skip
        then, unprocessed, and the next commit passed over them. (Processed or not, it is
        read again from the committed offset: at least once.)"""
        held = not self.app.flow_control.is_active()
        if held or message.generation_id != self.app.consumer_generation_id:
            message.acked = True
            self._unacked_messages.discard(message)
            notify(self._waiting_for_ack)
            return False
        return super().ack(message)

    def expect(self, tp: TP, offset: int | None) -> None:
        """The partition is read from ``offset`` on (None: from wherever it starts)."""
        if offset is None or offset < 0 or compacted(tp):
            self.due.pop(tp, None)
            self.floor.pop(tp, None)
        else:
            self.due[tp] = self.floor[tp] = offset

    async def seek_to_committed(self) -> Mapping[TP, int]:
        committed = await super().seek_to_committed()
        for tp, offset in committed.items():
            self.expect(tp, offset)
        return committed

    async def seek_wait(self, partitions: Mapping[TP, int]) -> None:
        await super().seek_wait(partitions)
        for tp, offset in partitions.items():
            self.expect(tp, offset)

    async def _seek(self, partition: TP, offset: int) -> None:
        await super()._seek(partition, offset)
        self.expect(partition, offset)

    async def seek_to_beginning(self, *partitions: TP) -> None:
        await super().seek_to_beginning(*partitions)
        for tp in partitions:
            self.expect(tp, None)

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        for tp in revoked:
            self.expect(tp, None)
        await super().on_partitions_revoked(revoked)


class ConsumerThread(driver.AIOKafkaConsumerThread):
    """The fetch wait of the settings, and table recovery to the log's real ends."""

    _log_ends: kafka.LogEnds | None = None

    @property
    def kafka_settings(self) -> KafkaSettings:
        return self.consumer.kafka_settings

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = int(self.kafka_settings.fetch_max_wait * 1000)
        return consumer  # (read when its fetcher starts)

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        reported = await super()._highwaters(partitions)
        k = self.kafka_settings
        if self._log_ends is None:
            self._log_ends = kafka.LogEnds(k.bootstrap_servers, k.fetch_max_wait)
        # a recovery that stopped short would lack the last writes: wait as for any request
        ends = await self._log_ends(reported, wait=k.request_timeout)
        return {TP(tp.topic, tp.partition): end for tp, end in ends.items()}

    async def on_thread_stop(self) -> None:
        await super().on_thread_stop()
        if self._log_ends is not None:
            await self._log_ends.stop()


def transport(kafka_settings: KafkaSettings) -> type[driver.Transport]:
    """faust's aiokafka transport with this module's consumer, for these settings."""

    class SettingsConsumer(Consumer):
        pass

    SettingsConsumer.kafka_settings = kafka_settings

    class Transport(driver.Transport):
        Consumer = SettingsConsumer

    return Transport
