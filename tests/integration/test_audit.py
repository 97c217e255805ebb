"""`lagebild audit` finds raw items without a terminal record, and --repair fixes them.

The gap is made the way it happened on the embedded broker: the workers' consumer
group moves past some raw records it never processed (here: its offsets are
committed past them before the worker starts).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from tests.integration.conftest import audit, fixture_items, terminal_ids
from tests.kafka_reader import read_topics
from workers import kafka
from workers.provision import ensure_topics
from workers.records import RawItem
from workers.settings import Settings
from workers.topics import RAW


async def publish(settings: Settings, items: list[RawItem]) -> dict[int, int]:
    """Send items to news.raw; the next offset of every partition written to."""
    producer = kafka.producer(settings)
    await producer.start()
    nxt: dict[int, int] = {}
    try:
        for item in items:
            meta = await producer.send_and_wait(
                settings.topic(RAW), item.to_json(), key=item.id.encode()
            )
            nxt[meta.partition] = max(nxt.get(meta.partition, 0), meta.offset + 1)
    finally:
        await producer.stop()
    return nxt


async def skip_for_workers(settings: Settings, offsets: dict[int, int]) -> None:
    """Commit the workers' group past these offsets, as a worker that skipped them would."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        group_id=settings.worker.app_id,
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        parts = {TopicPartition(settings.topic(RAW), p): o for p, o in offsets.items()}
        consumer.assign(list(parts))
        await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in parts.items()})
    finally:
        await consumer.stop()


def wait_terminal(settings: Settings, ids: set[str]) -> None:
    assert ids <= terminal_ids(settings, ids, timeout=90).keys()


def test_audit_finds_a_gap_and_repairs_it(
    kafka_settings: Settings, tmp_path: Path, start_worker: object
) -> None:
    items = fixture_items()
    gap, rest = items[:5], items[5:25]
    asyncio.run(ensure_topics(kafka_settings))
    skipped = asyncio.run(publish(kafka_settings, gap))
    asyncio.run(skip_for_workers(kafka_settings, skipped))
    start_worker()  # type: ignore[operator]
    asyncio.run(publish(kafka_settings, rest))
    wait_terminal(kafka_settings, {i.id for i in rest})

    young = audit(kafka_settings, tmp_path)
    assert "in flight (taken, younger than the grace period): 5" in young.stdout, young.stdout
    assert "missing: 0" in young.stdout

    found = audit(kafka_settings, tmp_path, "--grace", "0")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "item ids: 25" in found.stdout
    assert "missing: 5" in found.stdout
    assert "ok: 20" in found.stdout
    for item in gap:
        assert item.id in found.stdout

    repaired = audit(kafka_settings, tmp_path, "--repair", "--grace", "0")
    assert "repaired (raw record published again): 5" in repaired.stdout
    wait_terminal(kafka_settings, {i.id for i in gap})

    clean = audit(kafka_settings, tmp_path, "--grace", "0")
    assert clean.returncode == 0, clean.stdout
    assert "missing: 0" in clean.stdout and "ok: 25" in clean.stdout
    assert "more than one result: 0" in clean.stdout


def test_repair_never_republishes_what_is_merely_queued(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    items = fixture_items()[:5]
    asyncio.run(ensure_topics(kafka_settings))
    asyncio.run(publish(kafka_settings, items))  # no worker runs: they wait their turn
    result = audit(kafka_settings, tmp_path, "--repair", "--grace", "0")
    assert "queued (not yet taken by the workers): 5" in result.stdout, result.stdout
    assert "missing: 0" in result.stdout
    assert "repaired (raw record published again): 0" in result.stdout
    raw = read_topics(
        kafka_settings.kafka.bootstrap_servers or "", [kafka_settings.topic(RAW)], idle=2.0
    )[kafka_settings.topic(RAW)]
    assert len(raw) == 5  # nothing published again
