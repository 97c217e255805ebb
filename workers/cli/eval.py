"""`lagebild eval GOLD.jsonl`: how good are the entities and topics?

Runs the service's own chain (``workers.pipeline``, no Kafka, a fresh dedup index per
article, no page fetches) and prints:

- on a gold file (one JSON line per article: ``file`` next to the gold file,
  ``topics`` {id: true|false}, ``entities`` [{type, names, optional?}]):
  per-topic precision, recall and F1, and entity precision and recall;
- on a headline file (one JSON line per headline: ``title`` and a boolean per
  topic id, e.g. ../shared/data/headlines/labelled.jsonl): each title alone, no
  language hint, per-topic P/R/F1 and the share kept as German, for the tune and
  the held-out half apart (``--half``; see workers/evaluate/headlines.py);
- with ``--germeval FILE`` (GermEval 2014 or CoNLL format): precision, recall and
  F1 for PER, LOC and ORG (outer spans, exact boundaries and type; see
  workers/evaluate/ner.py);
- with ``--corpus DIR``: the share of sport, culture and science articles of
  the XGLUE news classification set (``DIR/xglue_news_de/dev.txt``; categories
  sports, entertainment, lifestyle, health, travel, autos, foodanddrink) that
  get any of the topics named by ``--fp-topics``.

Entity matching rule (gold file): a predicted entity matches a gold entity when
the types agree and its canonical name or one of its mentions equals one of the
gold names, compared case-insensitively with a German genitive -s (or -'s)
removed from both sides. A prediction that matches a non-optional gold entity is
correct; one that matches only an optional gold entity is neither rewarded nor
punished (left out of precision); any other prediction is wrong. A non-optional
gold entity is found when any prediction matches it (recall).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from workers.corpus import articles
from workers.evaluate.counts import Counts
from workers.evaluate.headlines import (
    HALVES,
    Half,
    evaluate_headlines,
    is_headline_file,
    print_headlines,
    read_headlines,
)
from workers.evaluate.ner import evaluate_file as evaluate_ner_file
from workers.identity import stable_id
from workers.pipeline import Pipeline
from workers.records import Duplicate, EnrichedItem, RawItem, Rejected, utcnow
from workers.settings import Settings
from workers.tagging.unlinked import count_unlinked

FP_CATEGORIES = frozenset(
    {"sports", "entertainment", "lifestyle", "health", "travel", "autos", "foodanddrink"}
)
DEFAULT_FP_TOPICS = ("desertion", "counteroffensive", "kursk")


def norm(name: str) -> str:
    """Case-folded, genitive -s removed: 'Putins' and 'putin' compare equal."""
    name = " ".join(name.split()).casefold()
    for suffix in ("'s", "’s", "s"):
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)]
    return name


def enrich_text(
    text: str,
    title: str,
    pipeline: Pipeline,
    name: str = "eval",
    language_hint: str | None = "de",
) -> EnrichedItem | Rejected:
    """One article through the service's own chain, judged on its own (a fresh dedup index),
    its page never fetched."""
    raw = RawItem(
        id=stable_id(f"{name}\n{text}"),
        title=title,
        text=text,
        fetched_at=utcnow(),
        run_id="eval",
        language_hint=language_hint,
        origin="backfill",
    )
    pipeline.forget()
    outcome = pipeline.run(raw.to_json())
    assert not isinstance(outcome, Duplicate), "a fresh index has nothing to compare with"
    return outcome


# -- gold file -------------------------------------------------------------------------


@dataclass
class GoldReport:
    topics: dict[str, Counts] = field(default_factory=dict)
    topics_right: int = 0
    topics_total: int = 0
    entity_precision: Counts = field(default_factory=Counts)  # tp/fp over predictions
    entity_recall: Counts = field(default_factory=Counts)  # tp/fn over gold entities
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def match_entities(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], report: GoldReport, doc: str
) -> None:
    """Count one article's entities by the matching rule in this module's doc."""
    gold_names = [(g["type"], {norm(n) for n in g["names"]}, bool(g.get("optional"))) for g in gold]
    found = [False] * len(gold_names)
    for p in predicted:
        names = {norm(p["name"])} | {norm(m["text"]) for m in p["mentions"]}
        hits = [i for i, (t, gn, _) in enumerate(gold_names) if t == p["type"] and names & gn]
        for i in hits:
            found[i] = True
        if any(not gold_names[i][2] for i in hits):
            report.entity_precision.tp += 1
        elif not hits:
            report.entity_precision.fp += 1
            report.wrong.append(f"{doc}: {p['type']} {p['name']}")
    for (type_, names, optional), hit in zip(gold_names, found, strict=True):
        if optional:
            continue
        if hit:
            report.entity_recall.tp += 1
        else:
            report.entity_recall.fn += 1
            report.missed.append(f"{doc}: {type_} {sorted(names)[0]}")


def evaluate_gold(gold_file: Path, pipeline: Pipeline) -> GoldReport:
    report = GoldReport()
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        article = gold_file.parent / gold["file"]
        item = enrich_text(article.read_text(encoding="utf-8"), "", pipeline, gold["file"])
        if isinstance(item, Rejected):
            report.rejected.append(f"{gold['file']}: {item.reason}")
            continue
        predicted = {t.id for t in item.topics}
        for topic, expected in gold.get("topics", {}).items():
            counts = report.topics.setdefault(topic, Counts())
            got = topic in predicted
            counts.tp += got and expected
            counts.fp += got and not expected
            counts.fn += expected and not got
            report.topics_right += got == expected
            report.topics_total += 1
        match_entities(
            [e.model_dump() for e in item.entities], gold.get("entities", []), report, gold["file"]
        )
    return report


# -- PER/LOC/ORG on a CoNLL/GermEval file: workers/evaluate/ner.py ---------------------


# -- false positives on unrelated news -------------------------------------------------


def unrelated_articles(corpus: Path) -> Iterator[tuple[str, str, str]]:
    """(category, title, body) of the sport, culture and science articles in the corpus."""
    for article in articles(corpus):
        if article.category in FP_CATEGORIES:
            yield article.category, article.title, article.text


def evaluate_false_positives(
    corpus: Path, pipeline: Pipeline, topics: Iterable[str]
) -> tuple[int, int, Counter[str], list[str]]:
    watched = set(topics)
    total, flagged, per_topic, examples = 0, 0, Counter(), []
    for category, title, body in unrelated_articles(corpus):
        item = enrich_text(body, title, pipeline, title)
        if isinstance(item, Rejected):
            continue
        total += 1
        hit = [t for t in item.topics if t.id in watched]
        if hit:
            flagged += 1
            per_topic.update(t.id for t in hit)
            examples.append(
                f"{category}: {title[:60]} -> " + ", ".join(f"{t.id} {t.evidence[:3]}" for t in hit)
            )
    return total, flagged, per_topic, examples


# -- printing --------------------------------------------------------------------------


def print_gold(report: GoldReport, out: TextIO, verbose: bool) -> None:
    out.write("Topics (gold file)\n")
    out.write(f"  {'topic':<18} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn\n")
    for topic, c in sorted(report.topics.items()):
        # a topic no gold article has and none was given: every decision right, no ratio
        scores = (
            f"{c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f}"
            if c.tp + c.fp + c.fn
            else f"{'–':>6} {'–':>6} {'–':>6}"
        )
        out.write(f"  {topic:<18} {scores}  {c.tp:2} {c.fp:2} {c.fn:2}\n")
    out.write(f"  gold topic decisions right: {report.topics_right}/{report.topics_total}\n")
    p, r = report.entity_precision, report.entity_recall
    out.write("Entities (gold file)\n")
    out.write(
        f"  precision {p.precision:.2f} ({p.tp}/{p.tp + p.fp})   "
        f"recall {r.recall:.2f} ({r.tp}/{r.tp + r.fn})\n"
    )
    if verbose:
        for line in report.wrong:
            out.write(f"  wrong:  {line}\n")
        for line in report.missed:
            out.write(f"  missed: {line}\n")
    for line in report.rejected:
        out.write(f"  rejected by clean: {line}\n")


def print_germeval(
    counts: dict[str, Counts], seconds: float, out: TextIO, name: str = "GermEval 2014 dev"
) -> None:
    out.write(f"{name}: PER/LOC/ORG (outer spans, exact)\n")
    out.write(f"  {'type':<6} {'P':>6} {'R':>6} {'F1':>6}     tp    fp    fn\n")
    total = Counts()
    for type_, c in counts.items():
        total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        out.write(
            f"  {type_:<6} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f}  "
            f"{c.tp:5} {c.fp:5} {c.fn:5}\n"
        )
    out.write(
        f"  {'all':<6} {total.precision:6.2f} {total.recall:6.2f} {total.f1:6.2f}  "
        f"({seconds:.1f} s)\n"
    )


def run_eval(
    gold: Path | None,
    settings: Settings,
    out: TextIO,
    *,
    germeval: Path | None = None,
    corpus: Path | None = None,
    fp_topics: Iterable[str] = DEFAULT_FP_TOPICS,
    verbose: bool = False,
    halves: Iterable[Half] = HALVES,
    unlinked: int = 0,
) -> int:
    pipeline = Pipeline(settings, fetch=False)
    tagger = pipeline.tagger
    # the report counts rejections itself: a log line for each would bury it
    logging.getLogger("workers.pipeline").setLevel(logging.ERROR)
    out.write(f"pipeline {tagger.pipeline_version}\n")
    if gold is not None and is_headline_file(gold):

        def enrich(title: str, text: str) -> EnrichedItem | Rejected:
            return enrich_text(text, title, pipeline, title, language_hint=None)

        reports = evaluate_headlines(read_headlines(gold), enrich, halves)
        print_headlines(reports, out, verbose)
    elif gold is not None:
        print_gold(evaluate_gold(gold, pipeline), out, verbose)
    if germeval is not None:
        started = time.perf_counter()
        errors: list[str] = []
        counts = evaluate_ner_file(germeval, tagger, errors if verbose else None)
        print_germeval(counts, time.perf_counter() - started, out, germeval.name)
        for line in errors:
            out.write(f"  {line}\n")
    if corpus is not None:
        fp_topics = tuple(fp_topics)
        total, flagged, per_topic, examples = evaluate_false_positives(corpus, pipeline, fp_topics)
        share = flagged / total if total else 0.0
        out.write(
            f"False positives: {flagged}/{total} = {share:.1%} of sport/culture/science "
            f"articles get any of {', '.join(fp_topics)}\n"
        )
        for topic, n in sorted(per_topic.items()):
            out.write(f"  {topic}: {n}\n")
        if verbose:
            for line in examples:
                out.write(f"  {line}\n")
        if unlinked:
            print_unlinked(corpus, pipeline, unlinked, out)
    return 0


def print_unlinked(corpus: Path, pipeline: Pipeline, n: int, out: TextIO) -> None:
    """The names outside the knowledge base in most corpus articles: what to curate next."""
    found = []
    for article in articles(corpus):
        item = enrich_text(article.text, article.title, pipeline, article.title)
        if isinstance(item, EnrichedItem):
            found.append(item.entities)
    names = count_unlinked(found)
    out.write(f"Names outside the knowledge base: {len(names)} in {len(found)} articles\n")
    for name in names[:n]:
        out.write(f"  {name.records:4}  {name.type:<4} {name.name:<32} {name.key}\n")
