"""Names outside the knowledge base that hold a hyphen compound with a known part:
`python -m bench.compound_names [--articles 1500] [--show 30]`.

"Putin-Vertrauter Medwedew" or "Saporischschja-Front" tagged as a name of its own
hides Medwedew and Saporischschja behind an unlinked id. Counts, over the corpus
articles (bench/corpus.py), the unlinked mentions with a word "X-Rest" whose X is a
curated knowledge-base entry, and lists some to read.
"""

from __future__ import annotations

import argparse
import random
import time

from bench.corpus import raw_items
from workers.settings import Settings
from workers.tagging.link_rules import curated, entries_of
from workers.tagging.stage import Tagger


def known_part(tagger: Tagger, name: str) -> str | None:
    """The first hyphen word of a name that has a curated knowledge-base part."""
    lookup = tagger.gazetteer.lookup
    for word in name.split():
        if "-" not in word:
            continue
        if any(curated(e) for part in word.split("-") for e in entries_of(lookup, part)):
            return word
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--show", type=int, default=30, help="list this many, drawn at random")
    args = parser.parse_args()
    tagger = Tagger(Settings().tagging)
    items = raw_items(args.articles)
    start = time.process_time()
    unlinked = 0
    hits: list[tuple[str, str]] = []
    for item in items:
        for entity in tagger.entities(item.title, item.text):
            if entity.id is not None or not entity.key.startswith("name:"):
                continue
            for mention in entity.mentions:
                unlinked += 1
                if known_part(tagger, mention.text) is not None:
                    hits.append((entity.type, mention.text))
    took = time.process_time() - start
    print(f"{len(items)} articles, {unlinked} unlinked mentions, {took:.1f} CPU-s")
    print(f"with a hyphen compound whose part is a curated entry: {len(hits)}")
    for type_, text in random.Random(0).sample(hits, min(args.show, len(hits))):
        print(f"  {type_}  {text}")


if __name__ == "__main__":
    main()
