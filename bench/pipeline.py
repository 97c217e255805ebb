"""Pipeline speed: the worker on the embedded broker against the same chain in a plain loop.

    python bench/pipeline.py [N]

Runs N raw items (../shared corpus articles, else the sample feed with fresh ids;
text items, pages not fetched) through:

- the plain loop: ``Pipeline.process`` in this process (what ``lagebild enrich`` does);
- 1 and 2 ``lagebild worker`` processes on the embedded broker, timed from the first
  item produced to the last terminal record: end to end ÷ plain loop is the figure;
- latency, produce → terminal record, at 2 and 20 items/s (one worker), p50 and p99;
- readiness: worker started → first terminal record of an item produced at once;
- CPU per item of the workers and the broker against the plain loop's: on a shared
  machine the rates move with the load, the CPU an item costs much less.

Every figure is printed with the plain loop of the same run beside it: the machine
is shared, so absolute rates move while ratios hold.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
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
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.records import RawItem
from workers.settings import Settings
from workers.topics import RAW, TERMINAL


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def plain_loop(settings: Settings, items: list[RawItem]) -> tuple[float, float]:
    """(items/s, CPU seconds per item) of the chain in this process."""
    async with Pipeline(settings, fetch=False) as pipeline:
        start, cpu = time.perf_counter(), time.process_time()
        for item in items:
            await pipeline.process_item(item)
        rate = len(items) / (time.perf_counter() - start)
        return rate, (time.process_time() - cpu) / len(items)


class Run:
    """Fresh topics and workers on the broker; items produced, terminal records awaited."""

    def __init__(self, base: Settings, workers: int, data: Path) -> None:
        run = uuid.uuid4().hex[:6]
        self.settings = base.replace(
            kafka={"topic_prefix": f"b{run}."}, worker={"app_id": f"bench-{run}"}
        )
        self.workers, self.data, self.processes = workers, data, []
        self.seen: dict[str, float] = {}

    async def __aenter__(self) -> Run:
        await ensure_topics(self.settings)
        self.consumer = kafka.consumer(self.settings, *TERMINAL)
        await self.consumer.start()
        self.producer = kafka.producer(self.settings)
        await self.producer.start()
        self.collector = asyncio.create_task(self._collect())
        return self

    def start_workers(self) -> float:
        for n in range(self.workers):
            worker = {"web_port": free_port(), "data_dir": str(self.data / f"{id(self)}-{n}")}
            self.processes.append(spawn_worker(self.settings.replace(worker=worker)))
        return time.perf_counter()

    async def _collect(self) -> None:
        while True:
            batch = await self.consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for messages in batch.values():
                for m in messages:
                    if m.key:
                        self.seen.setdefault(m.key.decode(), now)

    async def send(self, item: RawItem) -> float:
        await self.producer.send(self.settings.topic(RAW), item.to_json(), key=item.id.encode())
        return time.perf_counter()

    async def wait_for(self, ids: set[str], timeout: float = 600.0) -> float:
        deadline = time.perf_counter() + timeout
        while not ids <= self.seen.keys():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{len(ids - self.seen.keys())} items without a result")
            await asyncio.sleep(0.02)
        return max(self.seen[i] for i in ids)

    async def __aexit__(self, *exc: object) -> None:
        for process in self.processes:
            stop_process(process)
        self.collector.cancel()
        await self.producer.stop()
        await self.consumer.stop()


async def throughput(
    base: Settings, items: list[RawItem], workers: int, data: Path, broker: int
) -> tuple[float, float, float]:
    """(items/s, CPU seconds per item of the workers, and of the broker ``pid``)."""
    async with Run(base, workers, data) as run:
        run.start_workers()
        probe = items[0].model_copy(update={"id": "probe"})
        await run.send(probe)
        await run.wait_for({"probe"}, timeout=60)  # every worker has joined by now
        await asyncio.sleep(2 * base.kafka.session_timeout)
        pids = [p.pid for p in run.processes]
        cpu, broker_cpu = sum(map(cpu_seconds, pids)), cpu_seconds(broker)
        start = time.perf_counter()
        for item in items:
            await run.send(item)
        end = await run.wait_for({item.id for item in items})
        cpu = (sum(map(cpu_seconds, pids)) - cpu) / len(items)
        broker_cpu = (cpu_seconds(broker) - broker_cpu) / len(items)
        return len(items) / (end - start), cpu, broker_cpu


async def latency(
    base: Settings, items: list[RawItem], rate: float, seconds: float, data: Path
) -> tuple[float, float, float]:
    """(ready seconds, p50, p99) for one worker fed ``rate`` items a second."""
    async with Run(base, 1, data) as run:
        started = run.start_workers()
        first = items[0].model_copy(update={"id": "first"})
        await run.send(first)
        ready = await run.wait_for({"first"}, timeout=60) - started
        await asyncio.sleep(1.0)
        sent: dict[str, float] = {}
        for n, item in enumerate(items[: int(rate * seconds)]):
            at = started + ready + 1.0 + n / rate
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            item = item.model_copy(update={"id": f"l{n}"})
            sent[item.id] = await run.send(item)
        await run.wait_for(set(sent))
        delays = sorted(run.seen[i] - sent[i] for i in sent)
        p99 = delays[min(len(delays) - 1, int(0.99 * len(delays)))]
        return ready, statistics.median(delays), p99


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000, help="raw items")
    n = parser.parse_args().n
    items = raw_items(n)
    settings = Settings().replace(clean={"fetch_pages": False})
    with EmbeddedBroker(settings.broker) as broker, tempfile.TemporaryDirectory() as tmp:
        base = settings.with_embedded_broker(broker.bootstrap)
        data = Path(tmp)
        assert broker.process is not None
        broker_pid = broker.process.pid
        plain, plain_cpu = await plain_loop(settings, items)
        print(
            f"items: {len(items)} (text, no page fetches); plain loop {plain:7.1f} items/s,"
            f" {plain_cpu * 1000:5.1f} ms CPU per item"
        )
        for workers in (1, 2):
            rate, cpu, broker_cpu = await throughput(base, items, workers, data, broker_pid)
            print(
                f"end to end, {workers} worker{'s' if workers > 1 else ' '}: {rate:7.1f} items/s"
                f"   ÷ plain loop: {rate / plain:5.2f}   CPU per item: workers"
                f" {cpu * 1000:5.1f} ms + broker {broker_cpu * 1000:4.1f} ms"
                f" (plain ÷ both {plain_cpu / (cpu + broker_cpu):4.2f})"
            )
        for rate, seconds in ((2.0, 60.0), (20.0, 10.0)):  # 120 and 200 samples
            ready, p50, p99 = await latency(base, items, rate, seconds, data)
            print(
                f"latency at {rate:4.0f} items/s: p50 {p50:5.3f} s  p99 {p99:5.3f} s"
                f"   (worker start → first record {ready:4.2f} s)"
            )


if __name__ == "__main__":
    asyncio.run(main())
