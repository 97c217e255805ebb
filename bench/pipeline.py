"""Pipeline throughput: end to end on the embedded broker vs the same stages in a plain loop.

    python bench/pipeline.py [N]

Pushes N raw items (../shared corpus articles, else the sample feed with fresh
ids) into news.raw, runs one `lagebild worker`, and times until every item
has its terminal record; then runs the same items through `Pipeline.process`
(what `lagebild enrich` does). Prints both rates.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import raw_items
from workers import kafka
from workers.broker import EmbeddedBroker, free_port
from workers.pipeline import Pipeline
from workers.provision import ensure_topics
from workers.records import RawItem
from workers.settings import Settings
from workers.topics import TERMINAL


def plain_loop(settings: Settings, items: list[RawItem]) -> float:
    pipeline = Pipeline(settings)
    start = time.perf_counter()
    for item in items:
        pipeline.process(item)
    return len(items) / (time.perf_counter() - start)


async def end_to_end(settings: Settings, items: list[RawItem], env: dict[str, str]) -> float:
    await ensure_topics(settings)
    consumer = kafka.consumer(settings, *TERMINAL)
    await consumer.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "workers.cli.main", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        await asyncio.sleep(4)  # let the worker join its group before the clock starts
        producer = kafka.producer(settings)
        await producer.start()
        wanted = {item.id for item in items}
        start = time.perf_counter()
        for item in items:
            await producer.send(settings.topic("news.raw"), item.to_json(), key=item.id.encode())
        await producer.flush()
        await producer.stop()
        seen: set[str] = set()
        while not wanted <= seen:
            batch = await consumer.getmany(timeout_ms=1000)
            for messages in batch.values():
                seen.update(m.key.decode() for m in messages if m.key)
            if time.perf_counter() - start > 600:
                raise TimeoutError(f"{len(wanted - seen)} items without result after 600 s")
        return len(items) / (time.perf_counter() - start)
    finally:
        worker.terminate()
        worker.wait(30)
        await consumer.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    items = raw_items(n)
    with EmbeddedBroker(Settings().broker) as broker, tempfile.TemporaryDirectory() as data:
        settings = Settings().with_embedded_broker(broker.bootstrap)
        settings.worker.app_id = f"bench-{uuid.uuid4().hex[:6]}"
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "LAGEBILD_PROFILE": "embedded",
            "LAGEBILD_WORKER__APP_ID": settings.worker.app_id,
            "LAGEBILD_WORKER__WEB_PORT": str(free_port()),
            "LAGEBILD_WORKER__DATA_DIR": data,
        }
        e2e = asyncio.run(end_to_end(settings, items, env))
    loop = plain_loop(Settings(), items)
    print(f"items: {len(items)}")
    print(f"end to end (news.raw → terminal topics, 1 worker, embedded broker): {e2e:8.1f} items/s")
    print(f"plain loop (same stage functions, `lagebild enrich` path):         {loop:8.1f} items/s")
    print(f"streaming overhead: {loop / e2e:.1f}x")


if __name__ == "__main__":
    main()
