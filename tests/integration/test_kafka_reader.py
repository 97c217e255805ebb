"""The tests' own reader (tests/kafka_reader.py): a read ``to_end`` is complete however long
the broker takes, which the fault tests' trail of a lost item relies on."""

from __future__ import annotations

import asyncio
import time

from tests.kafka_reader import produce, read_topics
from workers.provision import ensure_topics
from workers.settings import Settings
from workers.topics import RAW


def test_read_to_end_returns_every_record_and_stops_at_the_end(kafka_settings: Settings) -> None:
    asyncio.run(ensure_topics(kafka_settings))
    topic, bootstrap = kafka_settings.topic(RAW), kafka_settings.kafka.bootstrap_servers or ""
    sent = [(f"k{i}".encode(), f'{{"n": {i}}}'.encode()) for i in range(25)]
    produce(bootstrap, topic, sent)
    started = time.monotonic()
    records = read_topics(bootstrap, [topic], timeout=60, to_end=True)[topic]
    assert sorted(r["value"]["n"] for r in records) == list(range(25))
    assert {r["partition"] for r in records} == {0, 1}  # keyed over both partitions
    assert time.monotonic() - started < 30  # it stopped at the end, not at the timeout
