"""Create or verify every declared topic, idempotently, over the Kafka admin API."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from workers.settings import Settings
from workers.tagging.taxonomy import topic_ids as taxonomy_topic_ids
from workers.topics import TopicSpec, declared_topics

TOPIC_EXISTS = TopicAlreadyExistsError.errno


@dataclass(frozen=True)
class TopicStatus:
    spec: TopicSpec
    status: str  # created | exists | mismatch
    detail: str = ""


def admin_client(settings: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        request_timeout_ms=int(settings.kafka.request_timeout * 1000),
    )


async def ensure_topics(
    settings: Settings, topic_ids: list[str] | None = None
) -> list[TopicStatus]:
    """Create what is missing; report existing topics whose partition count differs.

    Without ``topic_ids``, the sink topics are those of the configured taxonomy.
    """
    if topic_ids is None:
        topic_ids = taxonomy_topic_ids(settings.tagging.topics_file)
    specs = declared_topics(settings, topic_ids)
    admin = admin_client(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        created: set[str] = set()
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(
                        s.name,
                        s.partitions,
                        settings.kafka.replication_factor,
                        topic_configs=s.config,
                    )
                    for s in missing
                ]
            )
            for name, code, *rest in response.topic_errors:
                if code not in (0, TOPIC_EXISTS):
                    raise RuntimeError(f"cannot create topic {name}: {rest}")
                if code == 0:
                    created.add(name)
        described = {d["topic"]: d for d in await admin.describe_topics([s.name for s in specs])}
    finally:
        await admin.close()
    statuses = []
    for spec in specs:
        have = len(described.get(spec.name, {}).get("partitions", []))
        if spec.name in created:
            statuses.append(TopicStatus(spec, "created"))
        elif have != spec.partitions:
            statuses.append(TopicStatus(spec, "mismatch", f"has {have} partitions"))
        else:
            statuses.append(TopicStatus(spec, "exists"))
    return statuses
