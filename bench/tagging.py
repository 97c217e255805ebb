"""Tagging throughput on one core: `python -m bench.tagging [--limit N]`.

Runs the tag stage (Tagger.tag, exactly what the faust agent calls) over the
corpus articles in ../shared/data/corpus (the sample feed when that is
absent), pinned to one CPU. Prints articles/s for a cold pass (fresh process:
every unknown word is analysed once) and a warm pass (the word cache filled, as
in a long-running worker), with and without the name tagger (unlinked names),
and the load time and memory of the knowledge base and the name model; then
headlines/s: the same items' titles alone, as a feed item without a page arrives.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # python bench/x.py

from bench.corpus import raw_items
from workers.records import DedupInfo, Lang, UniqueItem, utcnow
from workers.settings import Settings
from workers.tagging import names
from workers.tagging.stage import Tagger


def unique_items(limit: int, titles_only: bool = False) -> list[UniqueItem]:
    now = utcnow()
    return [
        UniqueItem(
            **raw.model_dump(exclude={"schema_version", "text", "html"}),
            text="" if titles_only else raw.text or raw.summary or "",
            lang=Lang(code="de", confidence=1.0),
            dedup=DedupInfo(content_hash=raw.id, cluster_id=raw.id),
            processed_at=now,
        )
        for raw in raw_items(limit)
        if raw.title or not titles_only
    ]


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def rate(tagger: Tagger, items: list[UniqueItem], what: str = "articles") -> str:
    """Articles per second of wall time, and per second of this process's CPU time (what one
    uncontended core does: the figure to compare on a shared machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    for item in items:
        tagger.tag(item)
    wall = len(items) / (time.perf_counter() - started)
    return f"{wall:7.1f} {what}/s ({len(items) / (time.process_time() - cpu):7.1f} per CPU-s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=2000, help="articles (default: 2000)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    items = unique_items(args.limit)
    chars = sum(len(i.text) for i in items) / max(1, len(items))
    print(f"{len(items)} articles, {chars:.0f} characters on average, one core")
    before = rss_mb()
    started = time.perf_counter()
    tagger = Tagger(Settings().tagging)
    tagger.tag(items[0])  # load HanTa's lexicon too: not part of the figures
    gc.freeze()  # as the worker does once its models are loaded (pipeline.warmed)
    loaded = time.perf_counter() - started
    settings = tagger.settings
    model = settings.ner_model
    print(
        f"  load: {loaded:.2f} s, +{rss_mb() - before:.0f} MB resident "
        f"(knowledge base {len(tagger.gazetteer.lookup)} forms, "
        f"{settings.entities_file.stat().st_size / 1e6:.1f} MB file; "
        f"name model {model.stat().st_size / 1e6 if model else 0:.1f} MB, "
        f"{len(tagger.ner.features.classes) if tagger.ner else 0} word classes)"
    )
    names.word_class.cache_clear()
    if tagger.ner is not None:
        tagger.ner.features.clear()
    print(f"  full tagging, cold word cache: {rate(tagger, items)}")
    print(f"  full tagging, warm word cache: {rate(tagger, items)}")
    linked_only = Tagger(Settings().tagging.model_copy(update={"unlinked": False}))
    print(f"  knowledge base + topics only:  {rate(linked_only, items)}")
    headlines = unique_items(args.limit, titles_only=True)
    print(f"  {len(headlines)} titles alone, warm:    {rate(tagger, headlines, 'headlines')}")


if __name__ == "__main__":
    main()
