"""Tagging throughput on one core: `python -m bench.tagging [--limit N]`.

Runs the tag stage (Tagger.tag, exactly what the faust agent calls) over the
corpus articles in ../shared/data/corpus (the sample feed when that is
absent), pinned to one CPU. Prints articles/s for a cold pass (fresh process:
every unknown word is analysed once) and a warm pass (the word cache filled, as
in a long-running worker), with and without the detection of unlinked names; then
headlines/s: the same items' titles alone, as a feed item without a page arrives.
"""

from __future__ import annotations

import argparse
import os
import time

from bench.corpus import raw_items
from workers.records import DedupInfo, Lang, UniqueItem, utcnow
from workers.settings import TaggingSettings
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


def rate(tagger: Tagger, items: list[UniqueItem]) -> float:
    started = time.perf_counter()
    for item in items:
        tagger.tag(item)
    return len(items) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=2000, help="articles (default: 2000)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    items = unique_items(args.limit)
    chars = sum(len(i.text) for i in items) / max(1, len(items))
    print(f"{len(items)} articles, {chars:.0f} characters on average, one core")
    tagger = Tagger(TaggingSettings())
    tagger.tag(items[0])  # load the tagger model: not part of the figure
    names.word_class.cache_clear()
    print(f"  full tagging, cold word cache: {rate(tagger, items):7.1f} articles/s")
    print(f"  full tagging, warm word cache: {rate(tagger, items):7.1f} articles/s")
    linked_only = Tagger(TaggingSettings(unlinked=False))
    print(f"  knowledge base + topics only:  {rate(linked_only, items):7.1f} articles/s")
    headlines = unique_items(args.limit, titles_only=True)
    print(f"  {len(headlines)} titles alone, warm:    {rate(tagger, headlines):7.1f} headlines/s")


if __name__ == "__main__":
    main()
