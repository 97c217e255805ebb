"""Judges the topic and language rules were not tuned on: `python -m bench.judges [--show]`.

The labelled headline file (``lagebild eval``) is split into a tune and a held-out half;
rules are chosen on the tune half only. These are the other judges, each run through the
service's own chain (``Pipeline``, no page fetch, no language hint, each item on its own):

  german feeds   every item title of the real German feeds in
                 ../shared/data/feeds/german_real (other outlets than the labelled file):
                 the share kept as German, title alone and title with its teaser; the
                 items tagged with desertion, counteroffensive or kursk (listed: they are
                 news of 2015 and 2025, an analyst reads them)
  fundus pages   the titles (and teasers, the summary) of the fundus test pages in
                 ../shared/data/extraction/fundus_de: 65 German-language publishers, 2023-2026
  foreign        the short texts of tests/fixtures/clean/languages.json (the language
                 bench's, seen while tuning) and tests/fixtures/clean/foreign_headlines.json
                 (written as a judge, never tuned on): the share rejected per language
  written        tests/fixtures/tagging/headlines_written.json: headlines and teasers we
                 wrote per topic, positive and other-sense negative (what the tests check)
  judge set      tests/fixtures/tagging/headlines_judge.json: more of them, written as a judge,
                 split by a hash of the title into 'dev' (its errors may be looked at) and
                 'judge' (figures only, never tuned on)
  outlets set    tests/fixtures/tagging/headlines_outlets.json: a second judge set, in the
                 manner of tickers and agency headlines, split the same way
  fronts set     tests/fixtures/tagging/headlines_fronts.json: a third, written before the
                 fifth pass changed a rule (its "_about" says what an analyst files where),
                 split the same way
  styles set     tests/fixtures/tagging/headlines_h8h.json: a fifth, rows labelled with their
                 topics before any run (its "_rules" say what an analyst files where); every
                 third row is 'judge' (figures only), the rest 'dev': P/R/F1 per topic
  places set     tests/fixtures/tagging/headlines_h8i.json: a sixth, on the side of a town
                 (one Russia held or not) and soldiers who flee, split like the fifth; also
                 judges refugees
  real, ours     titles of the feeds, fundus pages and corpus above that we labelled
                 ourselves (bench/real_labels.json: a hash of the title and its topics, the
                 text stays in ../shared): found and wrong per topic
  war sample     the real feed and fundus titles that name the war (bench/real_war_sample.json,
                 keyed the same way, labelled before the h8h pass ran them): tp/fp/fn per topic
  newsapi        real headlines with their teasers of 2022-2025 from 513 other outlets (NewsAPI
                 dumps and Google Trends archives), rebuilt outside the repository by
                 scripts/newsapi_headlines.py (~/.cache/lagebild/newsapi_headlines.jsonl;
                 skipped when absent), labelled by key in bench/newsapi_labels.json before any
                 run; every third row by its key is 'judge' (figures only), the rest 'dev':
                 the share kept as German and found/wrong per topic, title alone and with teaser
  corpus         sport, culture and science articles of ../shared/data/corpus carrying
                 any of the three topics (as ``lagebild eval --corpus``)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import Counter
from pathlib import Path

from workers.cli.eval import DEFAULT_FP_TOPICS, evaluate_false_positives
from workers.corpus import articles
from workers.evaluate.headlines import judge_half
from workers.pipeline import Pipeline
from workers.poller.feeds import Publisher
from workers.poller.parse import parse_feed
from workers.records import EnrichedItem, RawItem, utcnow
from workers.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
GERMAN_FEEDS = SHARED / "feeds" / "german_real"
CORPUS = SHARED / "corpus"
FUNDUS = SHARED / "extraction" / "fundus_de"
FIXTURES = REPO / "tests" / "fixtures" / "clean"
WRITTEN = REPO / "tests" / "fixtures" / "tagging" / "headlines_written.json"
JUDGE = REPO / "tests" / "fixtures" / "tagging" / "headlines_judge.json"
OUTLETS = REPO / "tests" / "fixtures" / "tagging" / "headlines_outlets.json"
FRONTS = REPO / "tests" / "fixtures" / "tagging" / "headlines_fronts.json"
CLAIMS = REPO / "tests" / "fixtures" / "tagging" / "headlines_claims.json"
STYLES = REPO / "tests" / "fixtures" / "tagging" / "headlines_h8h.json"
PLACES = REPO / "tests" / "fixtures" / "tagging" / "headlines_h8i.json"
WATCHED = DEFAULT_FP_TOPICS
REAL_LABELS = REPO / "bench" / "real_labels.json"
WAR_SAMPLE = REPO / "bench" / "real_war_sample.json"
NEWSAPI = Path.home() / ".cache" / "lagebild" / "newsapi_headlines.jsonl"
NEWSAPI_LABELS = REPO / "bench" / "newsapi_labels.json"


def feed_items(root: Path = GERMAN_FEEDS) -> list[RawItem]:
    """Every item of the feeds under ``root`` (RSS, Atom), without their language hint."""
    items: list[RawItem] = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".xml", ".atom") or not path.is_file():
            continue
        parsed = parse_feed(
            path.read_bytes(),
            Publisher(name=path.parent.name, feeds=("x",)),
            str(path),
            utcnow(),
            "j",
        )
        items += [i.model_copy(update={"language_hint": None}) for i in parsed.items if i.title]
    seen: set[str] = set()
    return [i for i in items if not (i.title in seen or seen.add(i.title))]


def run(pipeline: Pipeline, item: RawItem) -> object:
    pipeline.forget()
    return pipeline.run(item.to_json())


def fundus_items(root: Path = FUNDUS) -> list[RawItem]:
    """The title and the summary (as the teaser) of every fundus gold article."""
    items = []
    for path in sorted(root.glob("*/*.json")):
        for version, article in json.loads(path.read_text(encoding="utf-8")).items():
            summary = " ".join((article.get("body") or {}).get("summary") or []) or None
            if article.get("title"):
                items.append(
                    RawItem(
                        id=f"{path.stem}{version}",
                        title=article["title"].strip(),
                        summary=summary,
                        fetched_at=utcnow(),
                        run_id="j",
                        origin="backfill",
                    )
                )
    return items


def german_feeds(pipeline: Pipeline, show: bool) -> None:
    german(pipeline, show, "german feeds", feed_items())
    german(pipeline, show, "fundus pages", fundus_items())


def german(pipeline: Pipeline, show: bool, label: str, items: list[RawItem]) -> None:
    if not items:
        print(f"{label}: absent, skipped")
        return
    bare = [i.model_copy(update={"summary": None, "html": None, "text": None}) for i in items]
    for name, batch in (("title alone", bare), ("title + teaser", items)):
        rejected: Counter[str] = Counter()
        tagged: list[str] = []
        kept = 0
        for item in batch:
            out = run(pipeline, item)
            if isinstance(out, EnrichedItem):
                kept += 1
                hits = [t for t in out.topics if t.id in WATCHED]
                if hits:
                    tagged.append(
                        f"{item.title[:90]}  <- "
                        + "; ".join(f"{t.id} {t.evidence[:3]}" for t in hits)
                    )
            else:
                rejected[getattr(out, "reason", type(out).__name__)] += 1
                if show:
                    print(f"    rejected {getattr(out, 'reason', '?')}: {item.title[:90]}")
        reasons = ", ".join(f"{r} {n}" for r, n in rejected.most_common())
        print(
            f"{label}, {name}: {kept}/{len(batch)} = {kept / len(batch):.1%} kept"
            + (f"; rejected: {reasons}" if reasons else "")
            + f"; {len(tagged)} tagged with {'/'.join(WATCHED)}"
        )
        for line in tagged:
            print(f"    tagged: {line}")


def foreign(pipeline: Pipeline, show: bool) -> None:
    for fixture, kind in (("languages.json", "short"), ("foreign_headlines.json", None)):
        data = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
        parts = []
        total = rejected_all = 0
        for code, texts in data.items():
            if code.startswith("_") or code == "de":
                continue
            texts = texts[kind] if kind else texts
            rejected = 0
            for n, text in enumerate(texts):
                item = RawItem(
                    id=f"f{code}{n}", title=text, fetched_at=utcnow(), run_id="j", origin="backfill"
                )
                out = run(pipeline, item)
                if isinstance(out, EnrichedItem):
                    if show:
                        print(f"    kept as {out.lang.code}: {text}")
                else:
                    rejected += 1
            parts.append(f"{code} {rejected}/{len(texts)}")
            total += len(texts)
            rejected_all += rejected
        print(
            f"foreign {fixture}: {rejected_all}/{total} = {rejected_all / total:.1%} rejected "
            f"({', '.join(parts)})"
        )


def written(
    pipeline: Pipeline, show: bool, path: Path = WRITTEN, label: str = "written", part: str = ""
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for topic, cases in data.items():
        if topic.startswith("_"):
            continue
        right = {"pos": 0, "neg": 0}
        size = {"pos": 0, "neg": 0}
        for kind, items in cases.items():
            for n, case in enumerate(items):
                if part and judge_half(case if isinstance(case, str) else case[0]) != part:
                    continue
                size[kind] += 1
                title, teaser = (case, None) if isinstance(case, str) else case
                item = RawItem(
                    id=f"w{topic}{kind}{n}",
                    title=title,
                    summary=teaser,
                    fetched_at=utcnow(),
                    run_id="j",
                    origin="backfill",
                )
                out = run(pipeline, item)
                got = isinstance(out, EnrichedItem) and topic in {t.id for t in out.topics}
                right[kind] += got == (kind == "pos")
                if show and got != (kind == "pos") and part != "judge":
                    print(f"    {topic} {'missed' if kind == 'pos' else 'wrong'}: {title}")
        parts.append(
            f"{topic} {right['pos']}/{size['pos']} found, "
            f"{size['neg'] - right['neg']}/{size['neg']} wrong"
        )
    print(f"{label}: " + "; ".join(parts))


def judge_set(pipeline: Pipeline, show: bool) -> None:
    sets = ((JUDGE, "judge set"), (OUTLETS, "outlets set"), (FRONTS, "fronts set"))
    for path, name in (*sets, (CLAIMS, "claims set")):
        for part in ("dev", "judge"):
            written(pipeline, show, path, f"{name}, {part} half", part)


def split_rows(path: Path = STYLES) -> dict[str, list[dict]]:
    """A row-labelled set's 'dev' and 'judge' parts: every third row is the judge's."""
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    return {
        "dev": [r for n, r in enumerate(rows) if n % 3 != 2],
        "judge": [r for n, r in enumerate(rows) if n % 3 == 2],
    }


def styles_set(
    pipeline: Pipeline,
    show: bool,
    path: Path = STYLES,
    label: str = "styles set",
    topics: tuple[str, ...] = WATCHED,
) -> None:
    """P/R/F1 per topic on each part of a row-labelled set (dev errors with --show)."""
    for part, rows in split_rows(path).items():
        counts = {t: Counter() for t in topics}
        for n, row in enumerate(rows):
            item = RawItem(
                id=f"s{part}{n}",
                title=row["title"],
                summary=row.get("teaser"),
                fetched_at=utcnow(),
                run_id="j",
                origin="backfill",
            )
            out = run(pipeline, item)
            got = {t.id for t in out.topics} if isinstance(out, EnrichedItem) else set()
            for topic in topics:
                gold = topic in row["topics"]
                kind = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}
                if (gold, topic in got) in kind:
                    counts[topic][kind[gold, topic in got]] += 1
                    if show and part == "dev" and gold != (topic in got):
                        print(f"    {topic} {'missed' if gold else 'wrong'}: {row['title']}")
        parts = []
        for topic, c in counts.items():
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            parts.append(
                f"{topic} P {p:.2f} R {r:.2f} F1 {f1:.2f} ({c['tp']} tp, {c['fp']} fp, "
                f"{c['fn']} fn)"
            )
        print(f"{label}, {part} ({len(rows)} rows): " + "; ".join(parts))


def places_set(pipeline: Pipeline, show: bool) -> None:
    """The sixth set: the side of a town (Russia held it or not), split like the fifth."""
    styles_set(pipeline, show, PLACES, "places set", (*WATCHED, "refugees"))


def title_key(title: str) -> str:
    return hashlib.sha256(" ".join(title.split()).encode("utf-8")).hexdigest()[:16]


def real(pipeline: Pipeline, show: bool) -> None:
    """Real titles we labelled ourselves (bench/real_labels.json), alone and with a teaser."""
    labels = json.loads(REAL_LABELS.read_text(encoding="utf-8"))
    items = [*feed_items(), *fundus_items()]
    items += [
        RawItem(id=f"c{n}", title=a.title, fetched_at=utcnow(), run_id="j", origin="backfill")
        for n, a in enumerate(articles(CORPUS))
        if a.title
    ]
    seen: set[str] = set()
    items = [i for i in items if not (title_key(i.title) in seen or seen.add(title_key(i.title)))]
    if not items:
        print("real, ours: ../shared/data absent, skipped")
        return
    bare = [i.model_copy(update={"summary": None, "html": None, "text": None}) for i in items]
    for name, batch in (("title alone", bare), ("title + teaser", items)):
        found = {t: 0 for t in WATCHED}
        wanted = {t: 0 for t in WATCHED}
        wrong = {t: 0 for t in WATCHED}
        for item in batch:
            key = title_key(item.title)
            gold = set(labels["positive"].get(key, []))
            unsure = set(labels["unsure"].get(key, []))
            out = run(pipeline, item)
            got = {t.id for t in out.topics} if isinstance(out, EnrichedItem) else set()
            for topic in WATCHED:
                if topic in unsure:
                    continue
                wanted[topic] += topic in gold
                found[topic] += topic in gold and topic in got
                wrong[topic] += topic in got and topic not in gold
                if show and (topic in gold) != (topic in got):
                    kind = "missed" if topic in gold else "wrong"
                    print(f"    {topic} {kind}: {item.title[:90]}")
        parts = "; ".join(f"{t} {found[t]}/{wanted[t]} found, {wrong[t]} wrong" for t in WATCHED)
        print(f"real, ours, {name} ({len(batch)} titles): {parts}")


def war_sample(pipeline: Pipeline, show: bool) -> None:
    """The real titles that name the war, labelled by key: found and wrong per topic."""
    labels = json.loads(WAR_SAMPLE.read_text(encoding="utf-8"))["titles"]
    items = {title_key(i.title): i for i in (*feed_items(), *fundus_items())}
    rows = [(items[k], set(t)) for k, t in labels.items() if k in items]
    if not rows:
        print("war sample: ../shared/data absent, skipped")
        return
    counts = {t: Counter() for t in WATCHED}
    for item, gold in rows:
        bare = item.model_copy(update={"summary": None, "html": None, "text": None})
        out = run(pipeline, bare)
        got = {t.id for t in out.topics} if isinstance(out, EnrichedItem) else set()
        for topic in WATCHED:
            if topic in gold or topic in got:
                counts[topic][
                    "tp" if topic in gold and topic in got else "fn" if topic in gold else "fp"
                ] += 1
                if show and (topic in gold) != (topic in got):
                    print(f"    {topic} {'missed' if topic in gold else 'wrong'}: {item.title}")
    parts = "; ".join(f"{t} {c['tp']} tp, {c['fp']} fp, {c['fn']} fn" for t, c in counts.items())
    print(f"war sample, title alone ({len(rows)} of {len(labels)} titles): {parts}")


def newsapi_part(key: str) -> str:
    """Every third row by its title's key is the judge's."""
    return "judge" if int(key, 16) % 3 == 0 else "dev"


def newsapi(pipeline: Pipeline, show: bool, path: Path = NEWSAPI) -> None:
    """Real headlines of other outlets (scripts/newsapi_headlines.py), labelled by key."""
    if not path.is_file():
        print(f"newsapi: {path} absent (python scripts/newsapi_headlines.py writes it), skipped")
        return
    labels = json.loads(NEWSAPI_LABELS.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for part in ("dev", "judge"):
        batch = [r for r in rows if newsapi_part(title_key(r["title"])) == part]
        for name, teaser in (("title alone", False), ("title + teaser", True)):
            counts = {t: Counter() for t in WATCHED}
            rejected: Counter[str] = Counter()
            for n, row in enumerate(batch):
                key = title_key(row["title"])
                item = RawItem(
                    id=f"n{part}{n}",
                    title=row["title"],
                    summary=row.get("teaser") if teaser else None,
                    fetched_at=utcnow(),
                    run_id="j",
                    origin="backfill",
                )
                out = run(pipeline, item)
                if not isinstance(out, EnrichedItem):
                    rejected[getattr(out, "reason", type(out).__name__)] += 1
                    if show and part == "dev":
                        print(f"    rejected {getattr(out, 'reason', '?')}: {row['title'][:90]}")
                got = {t.id for t in out.topics} if isinstance(out, EnrichedItem) else set()
                gold = set(labels["positive"].get(key, []))
                skip = set(labels["unsure"].get(key, []))
                if not teaser:
                    skip |= set(labels["title_unsure"].get(key, []))
                for topic in WATCHED:
                    if topic in skip or (topic not in gold and topic not in got):
                        continue
                    kind = (
                        "tp" if topic in gold and topic in got else "fn" if topic in gold else "fp"
                    )
                    counts[topic][kind] += 1
                    if show and part == "dev" and kind != "tp":
                        print(
                            f"    {topic} {'missed' if kind == 'fn' else 'wrong'}: {row['title']}"
                        )
            kept = len(batch) - sum(rejected.values())
            reasons = ", ".join(f"{r} {n}" for r, n in rejected.most_common())
            topics = "; ".join(
                f"{t} {c['tp']}/{c['tp'] + c['fn']} found, {c['fp']} wrong"
                for t, c in counts.items()
            )
            print(
                f"newsapi, {part}, {name} ({len(batch)}): {kept / len(batch):.1%} kept as German"
                + (f" (rejected: {reasons})" if reasons else "")
                + f"; {topics}"
            )


def corpus(pipeline: Pipeline, show: bool) -> None:
    if not CORPUS.is_dir():
        print(f"corpus: {CORPUS} absent, skipped")
        return
    total, flagged, per_topic, examples = evaluate_false_positives(CORPUS, pipeline, WATCHED)
    print(
        f"corpus: {flagged}/{total} = {flagged / total if total else 0:.1%} sport/culture/science "
        f"articles with {'/'.join(WATCHED)} ({dict(per_topic)})"
    )
    for line in examples:
        print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list rejected German, kept foreign")
    judges = {
        "feeds": german_feeds,
        "foreign": foreign,
        "written": written,
        "sets": judge_set,
        "styles": styles_set,
        "places": places_set,
        "real": real,
        "war": war_sample,
        "newsapi": newsapi,
        "corpus": corpus,
    }
    parser.add_argument(
        "--only", nargs="+", choices=judges, default=list(judges), help="run only these judges"
    )
    args = parser.parse_args()
    logging.getLogger("workers.pipeline").setLevel(logging.ERROR)
    pipeline = Pipeline(Settings(), fetch=False)
    try:
        for name in args.only:
            judges[name](pipeline, args.show)
    finally:
        pipeline.close()


if __name__ == "__main__":
    main()
