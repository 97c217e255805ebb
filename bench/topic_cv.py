"""Which rule variants carry over? Cross-validated in the tune half: `python -m bench.topic_cv`.

The labelled headline file's tune half (workers/evaluate/headlines.py) is cut into K
folds by a hash of the title. Each variant of the taxonomy (a mechanism switched off, a
threshold moved) is scored per fold, titles alone through the tag stage. Then the choice
itself is cross-validated: on each fold, the variant best on the other K-1 folds is
picked and scored on the fold it did not see; the mean of those scores estimates what
choosing by the tune half is worth on headlines it never saw. The held-out half is not
read.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from workers.evaluate.counts import Counts
from workers.evaluate.headlines import half
from workers.records import DedupInfo, Lang, UniqueItem, utcnow
from workers.settings import Settings
from workers.tagging.stage import Tagger
from workers.tagging.taxonomy import Cue, TopicRule

HEADLINES = Path(__file__).resolve().parents[2] / "shared" / "data" / "headlines" / "labelled.jsonl"
TOPICS = ("counteroffensive", "desertion")
Variant = Callable[[TopicRule], TopicRule]


def _cues(rule: TopicRule, change: Callable[[Cue], Cue]) -> TopicRule:
    return dataclasses.replace(rule, patterns=tuple(change(c) for c in rule.patterns))


def _no_targets(rule: TopicRule) -> TopicRule:
    if rule.side is None:
        return rule
    return dataclasses.replace(rule, side=dataclasses.replace(rule.side, targets=None))


def _no_things(rule: TopicRule) -> TopicRule:
    if rule.side is None:
        return rule
    return dataclasses.replace(rule, side=dataclasses.replace(rule.side, things=None))


def _threshold(value: float) -> Variant:
    return lambda rule: dataclasses.replace(rule, threshold=value)


VARIANTS: dict[str, Variant] = {
    "as shipped": lambda rule: rule,
    "no actor beyond the clause": lambda rule: _cues(
        rule, lambda c: dataclasses.replace(c, beyond=0.0)
    ),
    "no target places": _no_targets,
    "thing adjectives act": _no_things,
    # every sided cue, also those that ask for an actor, counts half without one
    "unsided hits count half": lambda rule: _cues(
        rule, lambda c: dataclasses.replace(c, unsided=max(c.unsided, 0.5))
    ),
    "threshold 2.0": _threshold(2.0),
    "threshold 3.0": _threshold(3.0),
}


def fold(title: str, k: int) -> int:
    return hashlib.sha256(("fold|" + " ".join(title.split())).encode()).digest()[1] % k


def item(title: str) -> UniqueItem:
    now = utcnow()
    return UniqueItem(
        id="cv",
        title=title,
        text="",
        fetched_at=now,
        run_id="cv",
        lang=Lang(code="de", confidence=1.0),
        dedup=DedupInfo(content_hash="cv", cluster_id="cv"),
        processed_at=now,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    rows = [json.loads(line) for line in HEADLINES.read_text("utf-8").splitlines() if line]
    rows = [r for r in rows if half(r["title"]) == "tune"]
    tagger = Tagger(Settings().tagging)
    shipped = tagger.rules
    items = [item(r["title"]) for r in rows]
    # per variant, per topic, per fold: counts
    table: dict[str, dict[str, list[Counts]]] = {}
    for name, variant in VARIANTS.items():
        tagger.rules = [variant(rule) for rule in shipped]
        counts = {t: [Counts() for _ in range(args.folds)] for t in TOPICS}
        for row, it in zip(rows, items, strict=True):
            got = {t.id for t in tagger.tag(it).topics}
            for topic in TOPICS:
                counts[topic][fold(row["title"], args.folds)].add(topic in got, row[topic])
        table[name] = counts
    tagger.rules = shipped
    print(f"tune half, {len(rows)} titles, {args.folds} folds: F1 per fold (mean)")
    for topic in TOPICS:
        print(f"  {topic}")
        for name, counts in table.items():
            f1s = [c.f1 for c in counts[topic]]
            print(
                f"    {name:<28} "
                + " ".join(f"{f:.2f}" for f in f1s)
                + f"  ({sum(f1s) / len(f1s):.3f})"
            )
        chosen = []
        for k in range(args.folds):

            def train_f1(name: str, k: int = k, topic: str = topic) -> float:
                c = Counts()
                for i, fc in enumerate(table[name][topic]):
                    if i != k:
                        c.tp, c.fp, c.fn = c.tp + fc.tp, c.fp + fc.fp, c.fn + fc.fn
                return c.f1

            best = max(table, key=train_f1)
            chosen.append((best, table[best][topic][k].f1))
        picks = ", ".join(f"{n} ({f:.2f})" for n, f in chosen)
        mean = sum(f for _, f in chosen) / len(chosen)
        print(f"    chosen on the other folds, scored on the unseen one: {picks}; mean {mean:.3f}")


if __name__ == "__main__":
    main()
