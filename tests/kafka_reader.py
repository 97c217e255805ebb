"""An independent Kafka client for the tests (confluent-kafka, not the project's code)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition

Records = dict[str, list[dict[str, Any]]]


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes | None]]) -> None:
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": False,
            "message.max.bytes": 8 * 1024 * 1024,  # the poison tests send a 5 MB value
        }
    )
    for key, value in messages:
        producer.produce(topic, value=value, key=key)
    assert producer.flush(30) == 0, "not every test message was delivered"


def _json(value: bytes | None) -> Any:
    """The JSON of a value; a tombstone or a malformed value as it is (None or bytes)."""
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return value


def read_topics(
    bootstrap: str,
    topics: list[str],
    until: Callable[[Records], bool] = lambda records: False,
    timeout: float = 60.0,
    idle: float | None = None,
    decode: bool = True,
    settle: float = 0.0,
    to_end: bool = False,
) -> Records:
    """Every JSON record on the topics from the beginning, until ``until`` holds or time is up.

    With ``settle``, read on after ``until`` holds until no record came for that long: a
    record that supersedes another (a dedup correction, version + 1) can follow the records
    ``until`` waited for. With ``idle``, also stop once no record arrived for that long (after
    the first). With
    ``decode=False`` values are the bytes as they are; else the JSON, or the bytes when a
    value is not JSON. With ``to_end``, stop once every partition has been read to its end (a
    complete read however slow the broker, where ``idle`` may stop early).
    """
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-reader-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "enable.partition.eof": to_end,
        }
    )
    # assigned partitions, no group: no join to wait for
    metadata = consumer.list_topics(timeout=10)
    assignment = []
    for topic in topics:
        found = metadata.topics.get(topic)
        if found is None or found.error is not None:
            raise RuntimeError(f"topic {topic} is not available")
        assignment += [TopicPartition(topic, p, OFFSET_BEGINNING) for p in found.partitions]
    consumer.assign(assignment)
    unread = {(tp.topic, tp.partition) for tp in assignment}
    records: Records = {t: [] for t in topics}
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    try:
        while time.monotonic() < deadline:
            if until(records) and time.monotonic() - last >= settle:
                break
            if to_end and not unread:
                break
            message = consumer.poll(min(0.5, settle or 0.5))
            if message is None:
                if idle is not None and any(records.values()) and time.monotonic() - last > idle:
                    break
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    unread.discard((message.topic(), message.partition()))
                    continue
                raise RuntimeError(message.error())
            last = time.monotonic()
            value = message.value()
            records[message.topic()].append(
                {
                    "key": (message.key() or b"").decode(),
                    "value": _json(value) if decode else value,
                    "partition": message.partition(),
                    "offset": message.offset(),
                }
            )
    finally:
        consumer.close()
    return records


def latest(records: Records) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each item's newest record (topic, value) by version: a dedup correction supersedes an
    item's enriched record with a duplicate of the next version."""
    newest: dict[str, tuple[str, dict[str, Any]]] = {}
    for topic, rs in records.items():
        for r in rs:
            v = r["value"]
            if v["id"] not in newest or v["version"] > newest[v["id"]][1]["version"]:
                newest[v["id"]] = (topic, v)
    return newest
