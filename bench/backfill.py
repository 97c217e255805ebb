"""Backfill throughput end to end, beside the plain loop of `lagebild enrich`.

    /work/venv/bin/python bench/backfill.py [--limit 2000]

Converts ../shared/data/corpus (Wikinews JSONL + XGLUE TSV, ~2,000 German
articles) to JSONL in a temporary directory (nothing is copied into the
repo), then measures:

- enrich: `Pipeline.process` in one process, no Kafka (the plain loop);
- backfill: an embedded broker, a `lagebild worker`, `lagebild backfill` of the
  same file, until every item has a terminal record (items/s end to end).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import CORPUS  # noqa: E402
from workers.broker import EmbeddedBroker, free_port  # noqa: E402
from workers.cli.enrich import enrich_lines  # noqa: E402
from workers.corpus import articles  # noqa: E402
from workers.pipeline import Pipeline  # noqa: E402
from workers.process import spawn_worker, stop_process  # noqa: E402
from workers.replay.read import decode_terminal, read_range  # noqa: E402
from workers.settings import BrokerSettings, Settings  # noqa: E402
from workers.topics import RAW_BACKFILL, TERMINAL  # noqa: E402


def corpus_jsonl(path: Path, limit: int) -> int:
    """Up to ``limit`` corpus articles as a JSON-lines archive; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for n, article in enumerate(islice(articles(CORPUS), limit), 1):
            row = {
                "id": f"{article.source[:2]}-{n}",
                "title": article.title,
                "text": article.text,
                "source": article.source,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return n


async def bench_enrich(path: Path, settings: Settings) -> float:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = time.perf_counter()
    async with Pipeline(settings, fetch=False) as pipeline:
        async for _ in enrich_lines(lines, pipeline):
            pass
    return len(lines) / (time.perf_counter() - start)


def bench_backfill(path: Path, n: int, tmp: Path) -> tuple[float, float]:
    with EmbeddedBroker(BrokerSettings(port=free_port())) as broker:
        settings = Settings().with_embedded_broker(broker.bootstrap)
        settings = settings.replace(worker={"web_port": free_port(), "data_dir": str(tmp / "w")})
        env = {**os.environ, **settings.to_env()}
        cli = [sys.executable, "-m", "workers.cli.main"]
        subprocess.run([*cli, "topics"], env=env, check=True, capture_output=True)
        worker = spawn_worker(settings)
        try:
            time.sleep(8)  # let the worker join before the clock starts
            start = time.perf_counter()
            subprocess.run(
                [*cli, "backfill", str(path), "--no-progress"],
                env=env,
                check=True,
                capture_output=True,
            )
            published = time.perf_counter() - start
            seen: set[str] = set()
            while len(seen) < n and time.perf_counter() - start < 1800:
                time.sleep(2)
                records = asyncio.run(read_range(settings, TERMINAL, idle=0.5))
                seen = set(decode_terminal(records))
            total = time.perf_counter() - start
            raw = asyncio.run(read_range(settings, [RAW_BACKFILL], idle=0.5))
            assert len(raw) == n, f"{len(raw)} raw records for {n} items"
            return n / published, len(seen) / total
        finally:
            stop_process(worker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} not found")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        n = corpus_jsonl(path, args.limit)
        enrich_rate = asyncio.run(bench_enrich(path, Settings()))
        publish_rate, end_to_end = bench_backfill(path, n, Path(tmp))
    print(f"items: {n}")
    print(f"enrich plain loop (no Kafka):          {enrich_rate:7.1f} items/s")
    print(f"backfill publishing (CLI to raw topic): {publish_rate:7.1f} items/s")
    print(f"backfill end to end (to terminal):      {end_to_end:7.1f} items/s")


if __name__ == "__main__":
    main()
