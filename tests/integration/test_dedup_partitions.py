"""Dedup scales out: the same clean items give the same verdicts with 1 worker on 1 partition
and with 2 workers on 4 partitions, and both workers decide (their counters say so)."""

from __future__ import annotations

import asyncio
import random
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families

from tests.kafka_reader import read_topics
from tests.readiness import wait_ready
from workers.broker import EmbeddedBroker, free_port
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.records import CleanItem, Lang
from workers.settings import Settings

T0 = datetime(2030, 1, 6, 6, 0, tzinfo=UTC)


def stories() -> list[CleanItem]:
    """Eight stories, four copies each (the text, a truncation, another lead, sentences
    swapped), published at different times, in a shuffled order; and headline-only items."""
    rng = random.Random(11)
    vocabulary = [f"wort{n}" for n in range(3000)]
    items = []
    for story in range(8):
        sentences = [" ".join(rng.choices(vocabulary, k=14)) + "." for _ in range(12)]
        versions = [
            sentences,
            sentences[:7],
            ["Berlin (dpa) - Eine ganz andere Einleitung der Agentur.", *sentences[2:]],
            [sentences[1], sentences[0], *sentences[2:]],
        ]
        for n, body in enumerate(versions):
            items.append(
                item(
                    f"s{story}-{n}",
                    f"Geschichte {story}",
                    " ".join(body),
                    T0 + timedelta(hours=story, minutes=rng.randint(0, 300)),
                )
            )
    for n, title in enumerate(["Kiew meldet Geländegewinne", "dpa: Kiew meldet Geländegewinne"]):
        items.append(item(f"h{n}", title, "", T0 + timedelta(minutes=n)))
    rng.shuffle(items)
    return items


def item(item_id: str, title: str, text: str, published: datetime) -> CleanItem:
    return CleanItem(
        id=item_id,
        url=f"https://example.org/{item_id}",
        title=title,
        text=text,
        published_at=published,
        fetched_at=published,
        run_id="test",
        lang=Lang(code="de", confidence=1.0),
    )


def stats(settings: Settings) -> dict[str, float]:
    """A worker's records out of each stage by outcome ("dedup news.unique": n), from the
    Prometheus series it serves."""
    url = f"http://{settings.worker.web_host}:{settings.worker.web_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    return {
        f"{s.labels['stage']} {s.labels['outcome']}": s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "lagebild_records_total"
    }


def verdicts(
    broker: EmbeddedBroker, tmp_path: Path, partitions: int, workers: int
) -> tuple[dict[str, Any], list[dict[str, int]]]:
    """(item id → its head, by the latest version of its record; each worker's counters)."""
    run = uuid.uuid4().hex[:8]
    settings = (
        Settings()
        .with_embedded_broker(broker.bootstrap)
        .replace(
            kafka={"topic_prefix": f"d{run}.", "partitions": partitions},
            worker={"app_id": f"lagebild-dedup-{run}"},
        )
    )
    asyncio.run(ensure_topics(settings))
    each = [
        settings.replace(worker={"data_dir": str(tmp_path / f"{run}-{n}"), "web_port": free_port()})
        for n in range(workers)
    ]
    processes = [spawn_worker(s, log=tmp_path / f"{run}-worker{n}.log") for n, s in enumerate(each)]
    try:
        wait_ready([(p, s.worker.web_port) for p, s in zip(processes, each, strict=True)])
        items = stories()
        # the partitioner of Kafka's Java client and of faust (murmur2): dedup's topics are
        # keyed by item id and co-partitioned with news.clean, so its producer must hash
        # keys the way the workers do (librdkafka's default does not)
        producer = Producer(
            {
                "bootstrap.servers": broker.bootstrap,
                "enable.idempotence": False,
                "partitioner": "murmur2_random",
            }
        )
        for i in items:
            producer.produce(settings.topic("news.clean"), value=i.to_json(), key=i.id.encode())
        assert producer.flush(30) == 0
        wanted = {i.id for i in items}
        topics = [settings.topic("news.unique"), settings.topic("news.duplicates")]

        def done(records: dict[str, list[dict[str, Any]]]) -> bool:
            return wanted <= {r["key"] for rs in records.values() for r in rs}

        # corrections settle: read on until none came for 3 s
        records = read_topics(broker.bootstrap, topics, until=done, timeout=90, settle=3.0)
        assert done(records), "not every item got a verdict"
        counters = [stats(s) for s in each]
    finally:
        for process in processes:
            stop_process(process, timeout=20)
    latest: dict[str, dict[str, Any]] = {}
    for rs in records.values():
        for r in rs:
            v = r["value"]
            if r["key"] not in latest or v["version"] >= latest[r["key"]]["version"]:
                latest[r["key"]] = v
    heads = {k: v.get("duplicate_of") or k for k, v in latest.items()}
    return heads, counters


def test_verdicts_do_not_depend_on_partitions_or_workers(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    one, _ = verdicts(broker, tmp_path, partitions=1, workers=1)
    four, counters = verdicts(broker, tmp_path, partitions=4, workers=2)
    assert four == one
    by_story: dict[str, set[str]] = {}
    for item_id, head in one.items():
        by_story.setdefault(item_id.split("-")[0] if "-" in item_id else "h", set()).add(head)
    assert all(len(heads) == 1 for heads in by_story.values()), by_story  # one head per story
    assert by_story["h"] == {"h0"}  # the headline-only pair, "dpa: …" a copy of the first
    for counts in counters:  # both workers decided and both looked up index keys
        decided = counts.get("dedup news.unique", 0) + counts.get("dedup news.duplicates", 0)
        assert decided > 0, counts
        assert counts.get("dedup-index news.dedup-signals", 0) > 0, counts
