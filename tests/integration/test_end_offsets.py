"""The ends of a partition as its log has them, whatever the broker reports: what faust's
table recovery and replay read up to."""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from workers.broker import EmbeddedBroker
from workers.kafka import LogEnds, log_end_offsets


async def ends_after_batches(bootstrap: str, batches: list[int]) -> tuple[int, int]:
    """(reported end, log end) of a new topic after producing batches of the given sizes."""
    topic = f"ends-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=100)
    await producer.start()
    try:
        for size in batches:  # the records of one batch are sent together
            sent = [
                await producer.send(topic, f"{size}-{n}".encode(), partition=0) for n in range(size)
            ]
            await asyncio.gather(*sent)
    finally:
        await producer.stop()
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await probe.start()
    try:
        tp = TopicPartition(topic, 0)
        reported = await probe.end_offsets([tp])
        return reported[tp], (await log_end_offsets(probe, reported))[tp]
    finally:
        await probe.stop()


def test_the_end_is_after_the_last_record_of_the_last_batch(broker: EmbeddedBroker) -> None:
    reported, end = asyncio.run(ends_after_batches(broker.bootstrap, [3, 5]))
    assert end == 8
    assert reported <= end  # (the embedded broker reports 4: the last batch's base + 1)


def test_an_empty_partition_ends_at_zero(broker: EmbeddedBroker) -> None:
    assert asyncio.run(ends_after_batches(broker.bootstrap, [])) == (0, 0)


def test_an_end_not_read_in_time_is_the_reported_one_with_a_warning(
    broker: EmbeddedBroker, caplog: pytest.LogCaptureFixture
) -> None:
    async def ends_without_waiting() -> tuple[int, int]:
        topic = f"ends-{uuid.uuid4().hex[:8]}"
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=100)
        await producer.start()
        try:
            await asyncio.gather(*[await producer.send(topic, b"x", partition=0) for _ in range(4)])
        finally:
            await producer.stop()
        probe = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, enable_auto_commit=False)
        await probe.start()
        try:
            tp = TopicPartition(topic, 0)
            reported = await probe.end_offsets([tp])
            return reported[tp], (await log_end_offsets(probe, reported, wait=0.0))[tp]
        finally:
            await probe.stop()

    with caplog.at_level(logging.WARNING, logger="workers.kafka"):
        reported, end = asyncio.run(ends_without_waiting())
    assert end == reported
    assert "not read within 0.0 s" in caplog.text and "[0]" in caplog.text


def test_calls_at_once_through_one_probe_each_get_their_true_ends(broker: EmbeddedBroker) -> None:
    """A worker's lag measure and a table's recovery ask at once: neither may take the
    other's partitions away (the recovery then stopped at the broker's short end)."""

    async def run() -> list[int]:
        topics = [f"ends-{uuid.uuid4().hex[:8]}" for _ in range(4)]
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=100)
        await producer.start()
        try:
            for topic in topics:  # one batch of five records each
                sent = [await producer.send(topic, b"x", partition=0) for _ in range(5)]
                await asyncio.gather(*sent)
        finally:
            await producer.stop()
        probe = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, enable_auto_commit=False)
        await probe.start()
        try:
            tps = [TopicPartition(topic, 0) for topic in topics]
            reported = await probe.end_offsets(tps)
        finally:
            await probe.stop()
        ends = LogEnds(broker.bootstrap, fetch_max_wait=0.1)
        try:
            await ends({tps[0]: reported[tps[0]]}, wait=5.0)  # the probe started
            found = await asyncio.gather(*(ends({tp: reported[tp]}, wait=5.0) for tp in tps))
        finally:
            await ends.stop()
        return [result[tp] for result, tp in zip(found, tps, strict=True)]

    assert asyncio.run(run()) == [5, 5, 5, 5]  # without turns: [1, 1, 1, 5]
