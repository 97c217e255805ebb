"""The German news corpora in ../shared/data/corpus, as input records for benchmarks.

Falls back to the bundled sample feed (repeated with fresh ids) when ../shared
is not there, so every benchmark runs anywhere.
"""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path

from workers.corpus import articles
from workers.poller.feeds import SAMPLE_FEED, Publisher
from workers.poller.parse import parse_feed
from workers.records import RawItem, utcnow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"


def raw_items(n: int, run_id: str = "bench") -> list[RawItem]:
    """n raw items: the corpus when present, else the sample feed with fresh ids."""
    now = utcnow()
    items = [
        RawItem(
            id=f"c{i:06d}",
            url=f"https://corpus.example/{i}",
            title=a.title,
            text=a.text,
            fetched_at=now,
            run_id=run_id,
            language_hint="de",
            origin="backfill",
        )
        for i, a in enumerate(islice(articles(CORPUS), n))
    ]
    if items:
        return items
    # said aloud: figures on the sample feed do not compare with figures on the corpus
    print(f"(no corpus at {CORPUS}: the sample feed, repeated with fresh ids)", file=sys.stderr)
    sample = parse_feed(
        SAMPLE_FEED.read_bytes(),
        Publisher(name="sample", feeds=("x",)),
        str(SAMPLE_FEED),
        now,
        run_id,
    ).items
    return [
        sample[i % len(sample)].model_copy(
            update={"id": f"s{i:06d}", "url": f"https://sample.example/{i}"}
        )
        for i in range(n)
    ]
