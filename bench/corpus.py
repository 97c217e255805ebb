"""The German news corpora in ../shared/data/corpus, as input records for benchmarks.

Falls back to the bundled sample feed (repeated with fresh ids) when ../shared
is not there, so every benchmark runs anywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from workers.poller.feeds import SAMPLE_FEED, Publisher
from workers.poller.parse import parse_feed
from workers.records import RawItem, utcnow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"
WIKINEWS_TITLE = re.compile(r"^\d+ - (.*?)(?: \(\d{4}-\d{2}-\d{2}\))?$")


def corpus_articles() -> Iterator[dict]:
    """{title, text, category?, source} per article; empty when ../shared is absent."""
    wikinews = CORPUS / "wikinews_de" / "articles.jsonl"
    if wikinews.exists():
        for line in wikinews.open(encoding="utf-8"):
            doc = json.loads(line)
            match = WIKINEWS_TITLE.match(doc.get("documentName", ""))
            yield {
                "title": match.group(1) if match else "",
                "text": doc["text"],
                "source": "wikinews",
            }
    xglue = CORPUS / "xglue_news_de" / "dev.txt"
    if xglue.exists():
        for line in xglue.open(encoding="utf-8"):
            title, body, category = [*line.rstrip("\n").split("\t"), "", ""][:3]
            yield {"title": title, "text": body, "category": category, "source": "xglue"}


def raw_items(n: int, run_id: str = "bench") -> list[RawItem]:
    """n raw items: the corpus when present, else the sample feed with fresh ids."""
    now = utcnow()
    items = [
        RawItem(
            id=f"c{i:06d}",
            url=f"https://corpus.example/{i}",
            title=a["title"],
            text=a["text"],
            fetched_at=now,
            run_id=run_id,
            language_hint="de",
            origin="backfill",
        )
        for i, a in enumerate(corpus_articles())
    ][:n]
    if items:
        return items
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
