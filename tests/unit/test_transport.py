"""The worker's consumer hands on each source partition's offsets once and in order, also
around a rebalance (faust's bookkeeping could skip records there: items were lost)."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import pytest
from faust.transport import consumer as faust_consumer
from faust.types import TP

from workers.app import create_app
from workers.settings import Settings
from workers.transport import Consumer, ReadOffsets

RAW = TP("news.raw", 0)
CHANGELOG = TP("lagebild-dedup-index-changelog", 0)


def test_a_rebalance_fences_the_offset_faust_notes_late() -> None:
    offsets = ReadOffsets()
    offsets[RAW] = 40
    offsets.pop(RAW, None)  # revoked
    offsets.update({RAW: 35})  # read again from the committed offset
    offsets[RAW] = 41  # the fetch loop's late note for the message it was handing on
    assert offsets[RAW] == 35  # so 35-41 are not dropped as seen
    offsets[RAW] = 36  # a message of the new assignment
    assert offsets[RAW] == 36


@pytest.fixture
def consumer(monkeypatch: pytest.MonkeyPatch) -> tuple[Consumer, list, list[tuple[TP, int]]]:
    """The worker's own consumer, faust's fetch replaced by a list of batches."""
    settings = Settings(kafka={"bootstrap_servers": "127.0.0.1:9", "reread_after": 0.05})
    app = create_app(settings, store={})
    app.flow_control.resume()  # (as once partitions are assigned)
    batches: list[list[tuple[TP, int]]] = []
    seeks: list[tuple[TP, int]] = []

    async def fetched(self: Any, timeout: float) -> Any:
        for tp, offset in batches.pop(0):
            yield tp, SimpleNamespace(offset=offset)

    async def seek(self: Any, tp: TP, offset: int) -> None:
        seeks.append((tp, offset))

    monkeypatch.setattr(faust_consumer.Consumer, "getmany", fetched)
    monkeypatch.setattr(faust_consumer.ThreadDelegateConsumer, "_seek", seek)
    assert isinstance(app.consumer, Consumer)
    return app.consumer, batches, seeks


def handed_on(consumer: Consumer) -> list[tuple[TP, int]]:
    async def run() -> list[tuple[TP, int]]:
        return [(tp, m.offset) async for tp, m in consumer.getmany(1.0)]

    return asyncio.run(run())


def test_a_partition_that_jumps_ahead_is_read_again_from_the_offset_due(consumer) -> None:
    c, batches, seeks = consumer
    c.expect(RAW, 10)  # the committed offset
    batches.append([(RAW, 10), (RAW, 11), (RAW, 14), (RAW, 15), (CHANGELOG, 3), (CHANGELOG, 9)])
    assert handed_on(c) == [(RAW, 10), (RAW, 11), (CHANGELOG, 3), (CHANGELOG, 9)]
    assert seeks == [(RAW, 12)]  # 12 and 13 were never handed on
    batches.append([(RAW, 12), (RAW, 13), (RAW, 14)])
    assert handed_on(c) == [(RAW, 12), (RAW, 13), (RAW, 14)]


def test_a_revoked_partition_is_read_from_wherever_it_starts_again(consumer) -> None:
    c, batches, seeks = consumer
    c.expect(RAW, 10)
    asyncio.run(c.on_partitions_revoked({RAW}))
    batches.append([(RAW, 30), (RAW, 31)])
    assert handed_on(c) == [(RAW, 30), (RAW, 31)] and not seeks


class Fetched:
    def __init__(self, offset: int, generation_id: int) -> None:
        self.tp, self.topic, self.offset = RAW, RAW.topic, offset
        self.generation_id, self.acked = generation_id, False


def test_a_message_of_an_earlier_assignment_does_not_count_towards_a_commit(consumer) -> None:
    c, _, _ = consumer
    c.app.consumer_generation_id = 3
    c.app.topics.acks_enabled_for = lambda topic: True  # (the agents' topics, once started)
    stale = Fetched(7, generation_id=2)  # skipped by faust's stream after the rebalance
    assert c.ack(stale) is False and stale.acked
    assert c._new_offset(RAW) is None  # no commit goes past it
    assert c.ack(Fetched(7, generation_id=3))  # read again in this assignment, processed
    assert c._new_offset(RAW) == 8


def test_an_ack_while_a_rebalance_holds_the_flow_does_not_count(consumer) -> None:
    c, _, _ = consumer
    c.app.consumer_generation_id = 3
    c.app.topics.acks_enabled_for = lambda topic: True
    c.app.flow_control.suspend()  # revoked: faust's streams skip what they still hold
    skipped = Fetched(7, generation_id=3)
    assert c.ack(skipped) is False and skipped.acked
    assert c._new_offset(RAW) is None
    c.app.flow_control.resume()
    assert c.ack(Fetched(7, generation_id=3))
    assert c._new_offset(RAW) == 8


def test_no_commit_passes_a_message_that_was_handed_on_and_dropped(consumer) -> None:
    c, batches, seeks = consumer
    c.app.consumer_generation_id = 3
    c.app.topics.acks_enabled_for = lambda topic: True
    c.assignment = lambda: {RAW}
    c.expect(RAW, 10)  # the committed offset
    batches.append([(RAW, 10), (RAW, 11), (RAW, 12)])
    assert handed_on(c) == [(RAW, 10), (RAW, 11), (RAW, 12)]
    c._committed_offset[RAW] = 10  # (what faust notes when it seeks)
    assert c.ack(Fetched(11, 3)) and c.ack(Fetched(12, 3))  # 10 was dropped, never acked
    assert c._new_offset(RAW) is None  # faust alone would commit 13
    assert not c.dropped  # it may still come (behind a slow batch): waited for a while
    time.sleep(0.06)
    assert c._new_offset(RAW) is None and c.dropped
    batches.append([(RAW, 10), (RAW, 11)])
    assert handed_on(c) == [(RAW, 10), (RAW, 11)]
    assert seeks == [(RAW, 10)]  # read again from the dropped one
    assert c.ack(Fetched(10, 3))
    assert c._new_offset(RAW) == 13


def test_a_partition_read_from_its_start_waits_for_its_first_message(consumer) -> None:
    c, batches, seeks = consumer
    c.app.consumer_generation_id = 3
    c.app.topics.acks_enabled_for = lambda topic: True
    c.expect(RAW, None)  # nothing committed yet
    batches.append([(RAW, 0), (RAW, 1)])
    assert handed_on(c) == [(RAW, 0), (RAW, 1)]
    assert c.ack(Fetched(1, 3))
    assert c._new_offset(RAW) is None
    assert c.ack(Fetched(0, 3))
    assert c._new_offset(RAW) == 2 and not seeks
