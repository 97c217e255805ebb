"""Fault scenarios on the embedded broker: what is lost, what is repeated, how long it takes.

    python bench/faults.py [N] [--outage SECONDS]

For each scenario, N raw items (../shared corpus articles, else the sample feed with
fresh ids) go to news.raw while something breaks:

- kill -9: one of two workers is killed mid-stream, a replacement started;
- outage: the broker is stopped (SIGSTOP) for ``--outage`` seconds mid-stream;
- poison: one in ten records on news.raw is malformed (truncated JSON, invalid UTF-8,
  a tombstone, a bad version).

Per scenario it prints: items in, lost (no terminal record), repeated (an (id, version)
on news.enriched more than once, what a subscriber not following the contract in
``workers/latest.py`` would see), and recovery seconds (from the fault's end to the
last terminal record).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import raw_items
from workers import kafka
from workers.broker import EmbeddedBroker, free_port
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.replay.read import read_range
from workers.settings import BrokerSettings, Settings
from workers.topics import ENRICHED, RAW, TERMINAL


def poison(k: int) -> tuple[bytes, bytes | None]:
    """The k-th poison record, keyed; a rejection is keyed by the id it names, else by it."""
    key = f"poison-{k}"
    kinds = [
        b'{"id": "' + key.encode() + b'", "title": "abgesch',
        b"\xff\xfe\x00",
        None,
        b'{"id": "' + key.encode() + b'", "version": "x"}',
    ]
    return key.encode(), kinds[k % len(kinds)]


async def produce(settings: Settings, values: list[tuple[bytes, bytes | None]]) -> None:
    producer = kafka.producer(settings)
    await producer.start()
    try:
        for key, value in values:
            await producer.send(settings.topic(RAW), value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def terminal(settings: Settings) -> tuple[set[str], int]:
    """(keys with a terminal record, repeats of an (id, version) on news.enriched)."""
    messages = await read_range(settings, TERMINAL, idle=1.0)
    keys, enriched = set(), Counter()
    for m in messages:
        keys.add((m.key or b"").decode())
        if m.topic == ENRICHED and m.value:
            record = json.loads(m.value)
            enriched[(record["id"], record["version"])] += 1
    return keys, sum(n - 1 for n in enriched.values())


async def wait_all(settings: Settings, wanted: set[str], timeout: float = 900.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ids, _ = await terminal(settings)
        if wanted <= ids:
            return time.monotonic()
        await asyncio.sleep(1.0)
    return time.monotonic()


async def scenario(name: str, n: int, outage: float, tmp: Path) -> None:
    with EmbeddedBroker(BrokerSettings(port=free_port())) as broker:
        settings = Settings().with_embedded_broker(broker.bootstrap)
        settings = settings.replace(clean={"fetch_pages": False})
        await ensure_topics(settings)

        def worker(k: int):
            own = {"web_port": free_port(), "data_dir": str(tmp / f"{name}-{k}")}
            return spawn_worker(settings.replace(worker=own))

        workers = [worker(0), worker(1)] if name == "kill -9" else [worker(0)]
        items = raw_items(n, run_id=name)
        values = [(i.id.encode(), i.to_json()) for i in items]
        wanted = {i.id for i in items}
        if name == "poison":
            poisons = [poison(k) for k in range(n // 10)]
            mixed = [values[k : k + 9] + poisons[k // 9 : k // 9 + 1] for k in range(0, n, 9)]
            values = [v for chunk in mixed for v in chunk]
            wanted |= {k.decode() for k, _ in poisons}
        try:
            half = len(values) // 2
            await produce(settings, values[:half])
            await asyncio.sleep(5)  # mid-stream
            if name == "kill -9":
                os.killpg(workers[0].pid, signal.SIGKILL)
                workers.append(worker(2))
            elif name == "outage":
                os.kill(broker.process.pid, signal.SIGSTOP)
                await asyncio.sleep(outage)
                os.kill(broker.process.pid, signal.SIGCONT)
            fault_end = time.monotonic()
            await produce(settings, values[half:])
            done = await wait_all(settings, wanted)
            ids, repeated = await terminal(settings)
            lost = len(wanted - ids)
            print(
                f"{name:<8} in {len(wanted):5}  lost {lost:4}  repeated {repeated:4}  "
                f"recovery {done - fault_end:6.1f} s"
            )
        finally:
            for process in workers:
                stop_process(process)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=500)
    parser.add_argument("--outage", type=float, default=90.0)
    parser.add_argument("--only", action="append", help="run only this scenario (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or ("kill -9", "outage", "poison"):
            await scenario(name, args.n, args.outage, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
