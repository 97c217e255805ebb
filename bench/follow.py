"""Following entities through war headlines: `python -m bench.follow [--half dev|judge|all]`.

For every id the labelled headlines follow, is a headline found by
`subscribe --entity <id>`? Each item (a title, some with a teaser) goes through
the tag stage (Tagger.tag, what the worker runs) and follow.matches_entity (what
subscribe runs). Prints precision, recall and F1 per id, the micro average, the
ids below 0.9, and the share of found mentions that carry a Wikidata id. A label's
former own id ("lagebild:PER:...") is followed as a subscriber would (follow.current_id),
and printed with the Wikidata id it carries now.

The labels are ours (tests/fixtures/tagging/follow_written.json, whose "about" gives the
rules); every third item is the judge half, scored only when asked for. Among the rules: a
town's adjective in -er before a noun names the town ("Mariupoler Stahlwerk" is Mariupol's,
"Kursker Gebiet" the oblast's), not where the pair names something else ("Kursker Bogen",
the 1943 battle; "Minsker Abkommen"); the Zaporizhzhia plant by any spelling is the plant,
neither the city nor the oblast.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workers.evaluate.counts import Counts
from workers.records import DedupInfo, EnrichedItem, Lang, UniqueItem
from workers.settings import Settings
from workers.tagging.follow import current_id, matches_entity
from workers.tagging.stage import Tagger

LABELS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tagging"
LABELS = LABELS / "follow_written.json"
#: below this F1 an id counts as badly followed (the issue's bar)
BAR = 0.9


def load(path: Path = LABELS, half: str = "dev") -> list[dict]:
    """The labelled items of one half: judge is every third item (index % 3 == 2)."""
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    if half == "all":
        return items
    judge = half == "judge"
    return [it for i, it in enumerate(items) if (i % 3 == 2) == judge]


def followed(path: Path = LABELS) -> list[str]:
    """Every id the labels follow (both halves, so a half without one still scores it)."""
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    return sorted({i for it in items for i in it["ids"]})


def tag(tagger: Tagger, item: dict, number: int) -> EnrichedItem:
    now = datetime(2024, 8, 20, tzinfo=UTC)
    unique = UniqueItem(
        id=f"follow-{number}",
        title=item["title"],
        text=item.get("teaser", ""),
        fetched_at=now,
        run_id="bench-follow",
        lang=Lang(code="de", confidence=1.0),
        dedup=DedupInfo(content_hash=str(number), cluster_id=str(number)),
        processed_at=now,
    )
    return tagger.tag(unique)


@dataclass
class Score(Counts):
    """One id's counts; with nothing to find and nothing found it is right, not zero."""

    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return super().precision if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return super().recall if self.tp + self.fn else 1.0


@dataclass
class Report:
    scores: dict[str, Score]
    mentions: int
    with_wikidata: int

    @property
    def micro(self) -> Score:
        total = Score()
        for s in self.scores.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    def below(self, bar: float = BAR) -> list[str]:
        return sorted(k for k, s in self.scores.items() if s.tp + s.fn + s.fp and s.f1 < bar)


def evaluate(tagger: Tagger, items: list[dict], ids: list[str]) -> Report:
    scores: dict[str, Score] = defaultdict(Score)
    mentions = with_wikidata = 0
    for number, item in enumerate(items):
        record = tag(tagger, item, number)
        for entity in record.entities:
            n = max(1, entity.count)  # a title-only mention counts once
            mentions += n
            with_wikidata += n if entity.id else 0
        gold = set(item["ids"])
        for wanted in ids:
            hit = matches_entity(record, wanted)
            score = scores[wanted]
            if hit and wanted in gold:
                score.tp += 1
            elif hit:
                score.fp += 1
                score.errors.append(f"FP {item['title']}")
            elif wanted in gold:
                score.fn += 1
                score.errors.append(f"FN {item['title']}")
    return Report(dict(scores), mentions, with_wikidata)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("dev", "judge", "all"), default="dev")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    tagger = Tagger(Settings().tagging)
    items = load(args.labels, args.half)
    report = evaluate(tagger, items, followed(args.labels))
    print(f"{len(items)} headlines ({args.half} half), {len(report.scores)} followed ids")
    for key, s in sorted(report.scores.items()):
        flag = " <" if key in report.below() else ""
        now = current_id(key)
        shown = key if now == key else f"{key} = {now}"
        print(f"  {shown:50} P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f}"
              f"  (tp {s.tp} fp {s.fp} fn {s.fn}){flag}")  # fmt: skip
        if args.verbose:
            for error in s.errors:
                print(f"      {error}")
    m = report.micro
    below = report.below()
    print(
        f"micro P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f}; "
        f"{len(below)} of {len(report.scores)} below {BAR}: {', '.join(below) or '-'}"
    )
    share = report.with_wikidata / report.mentions if report.mentions else 0.0
    print(f"found mentions with a Wikidata id: {report.with_wikidata}/{report.mentions} "
          f"({share:.1%})")  # fmt: skip


if __name__ == "__main__":
    main()
