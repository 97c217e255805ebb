"""Does a trained model earn its place over the rules? `python -m bench.topic_model`.

A logistic regression (numpy, L2) over the rules' own evidence for one topic: the
weighted score of each cue, the sum of the negative cues, whether the item is in the war
(context), names another war, and the rules' verdict. It is cross-validated in the tune
half of the labelled headline file (the folds of bench/topic_cv.py) against the rules on
the same folds, then trained on the whole tune half and scored on our judge sets' halves
(dev and judge) beside the rules. The held-out half is not read. It ships only if it
beats the rules on headlines neither was tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # python bench/x.py

from bench.topic_cv import HEADLINES, fold
from workers.evaluate.counts import Counts
from workers.evaluate.headlines import half, judge_half
from workers.settings import Settings
from workers.tagging.stage import Tagger
from workers.tagging.taxonomy import (
    TopicRule,
    _Article,
    _elsewhere,
    _in_context,
    _prefilter,
    _weighted_hits,
    score_topics,
)

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tagging"
JUDGES = ("headlines_judge.json", "headlines_outlets.json")


def features(tagger: Tagger, rule: TopicRule, title: str, teaser: str) -> list[float]:
    """The rules' evidence for ``rule`` on one short item, as score_topics weighs it."""
    entities = tagger.entities(title, teaser)
    keys = {e.id for e in entities if e.id} | {f"name:{e.name}" for e in entities}
    article = _Article(title, teaser, "")
    article.possible = _prefilter(tagger.rules).possible(article.text)
    if article.words_after_title < rule.short_words:
        article.short = True
        article.lead_factor = rule.teaser_factor
    cues = [_weighted_hits(cue, article, rule.side)[0] for cue in rule.patterns]
    against = sum(_weighted_hits(cue, article, rule.side)[0] for cue in rule.negative)
    verdict = any(t.id == rule.id for t in score_topics(tagger.rules, title, teaser, "", keys))
    return [
        *cues,
        against,
        float(_in_context(rule, article, keys)),
        float(rule.elsewhere is not None and _elsewhere(rule, article, keys)),
        float(verdict),
    ]


def train(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty (not on the bias)."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        w -= np.linalg.solve(hess, grad)
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (np.hstack([x, np.ones((len(x), 1))]) @ w) > 0


def f1(got: np.ndarray, gold: np.ndarray) -> Counts:
    c = Counts()
    for g, e in zip(got, gold, strict=True):
        c.add(bool(g), bool(e))
    return c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="counteroffensive")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args()
    tagger = Tagger(Settings().tagging)
    [rule] = [r for r in tagger.rules if r.id == args.topic]
    rows = [json.loads(line) for line in HEADLINES.read_text("utf-8").splitlines() if line]
    rows = [r for r in rows if half(r["title"]) == "tune"]
    x = np.array([features(tagger, rule, r["title"], "") for r in rows])
    y = np.array([float(r[args.topic]) for r in rows])
    folds = np.array([fold(r["title"], args.folds) for r in rows])
    print(f"{args.topic}, tune half, {len(rows)} titles, {x.shape[1]} features, L2 {args.l2}")
    for k in range(args.folds):
        test = folds == k
        w = train(x[~test], y[~test], args.l2)
        model, rules = f1(predict(w, x[test]), y[test]), f1(x[test, -1], y[test])
        print(f"  fold {k}: rules F1 {rules.f1:.3f}, model F1 {model.f1:.3f}")
    w = train(x, y, args.l2)
    for name in JUDGES:
        data = json.loads((FIXTURES / name).read_text("utf-8"))
        if args.topic not in data:
            continue
        for part in ("dev", "judge"):
            items = [
                ((c, "") if isinstance(c, str) else tuple(c), kind == "pos")
                for kind, cases in data[args.topic].items()
                for c in cases
                if judge_half(c if isinstance(c, str) else c[0]) == part
            ]
            xs = np.array([features(tagger, rule, t, teaser) for (t, teaser), _ in items])
            gold = np.array([g for _, g in items])
            model, rules = f1(predict(w, xs), gold), f1(xs[:, -1], gold)
            print(
                f"  {name} {part}: rules F1 {rules.f1:.3f} (P {rules.precision:.2f} R "
                f"{rules.recall:.2f}), model F1 {model.f1:.3f} (P {model.precision:.2f} R "
                f"{model.recall:.2f})"
            )


if __name__ == "__main__":
    main()
