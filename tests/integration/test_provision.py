from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient

from workers.provision import ensure_topics
from workers.settings import Settings
from workers.topics import declared_topics


async def test_topics_are_created_once_then_verified(kafka_settings: Settings) -> None:
    first = await ensure_topics(kafka_settings, ["kursk"])
    assert {s.status for s in first} == {"created"}
    second = await ensure_topics(kafka_settings, ["kursk"])
    assert {s.status for s in second} == {"exists"}

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_settings.kafka.bootstrap_servers)
    await admin.start()
    try:
        described = {
            d["topic"]: len(d["partitions"])
            for d in await admin.describe_topics([s.spec.name for s in first])
        }
    finally:
        await admin.close()
    for spec in declared_topics(kafka_settings, ["kursk"]):
        assert described[spec.name] == spec.partitions
    names = set(described)
    prefix = kafka_settings.kafka.topic_prefix
    assert f"{prefix}news.enriched.kursk" in names and f"{prefix}news.raw" in names
