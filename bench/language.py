"""Language decision accuracy on a mixed set, for long and short texts.

    python bench/language.py [--german N]

German: articles from ../shared/data/corpus (wikinews_de bodies, xglue_news_de bodies,
xglue titles as short headlines) plus our own headlines; English, French, Dutch,
Polish, Russian, Ukrainian: our own texts in tests/fixtures/clean/languages.json.

Three figures per group:
  detector   langdetect (seeded) alone: its top language is the true one
  no hint    the stage's decision without a feed language: accepted as German iff German
  hint de    the stage's decision when the feed declares "de" (the usual case: every
             feed in feeds.toml declares its language): accepted iff German

Then the cost: on up to N German articles of 1,000+ characters, how many get the same
decision from the first `detection_chars` characters and `detection_trials` sampling runs
(the settings) as from 2,000 characters and langdetect's default 7 runs (the old way), and
how many articles per CPU-second each decides; how many the stage decides by their function
words alone (`clear_function_words`) and whether it decides as with langdetect; and
headlines per CPU-second without a hint.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import CORPUS  # noqa: E402
from workers.clean.language import (  # noqa: E402
    _probabilities,
    clearly_accepted,
    detect_language,
)
from workers.corpus import articles  # noqa: E402
from workers.settings import CleanSettings, Settings  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "clean" / "languages.json"
LONG_CHARS = 600


def german(n: int) -> tuple[list[str], list[str]]:
    """Long texts: up to n Wikinews bodies and the long bodies of the first n XGLUE articles;
    short texts: those XGLUE titles."""
    long, short = [], []
    wikinews = (
        a for a in articles(CORPUS) if a.source == "wikinews" and len(a.text.strip()) >= 200
    )
    long += [a.text.strip()[:LONG_CHARS] for a in islice(wikinews, n)]
    for a in islice((a for a in articles(CORPUS) if a.source == "xglue"), n):
        if a.title:
            short.append(a.title)
        if len(a.text) >= 200:
            long.append(a.text[:LONG_CHARS])
    return long, short


def top(probs: dict[str, float]) -> str:
    return max(probs.items(), key=lambda kv: kv[1], default=("", 0.0))[0]


def cost(settings: CleanSettings, n: int, headlines: list[str]) -> None:
    """Same decision from fewer characters and fewer sampling runs, and what it saves."""
    texts = [a.text for a in islice((a for a in articles(CORPUS) if len(a.text) >= 1000), n)]
    if not texts:
        return
    chars, trials = settings.detection_chars, settings.detection_trials
    # langdetect's own default (7 runs) over the old 2,000-character sample is the reference
    runs = [(2000, 7), (chars, 7), (chars, trials)]
    rates, answers = {}, {}
    for run in dict.fromkeys(runs):
        started = time.process_time()
        probs = [_probabilities(t, settings.seed, *run) for t in texts]
        rates[run] = len(texts) / (time.process_time() - started)
        answers[run] = [
            (top(p), max(p.values(), default=0) >= settings.min_confidence) for p in probs
        ]
    print(
        f"\n{len(texts)} German articles of 1,000+ characters (mean "
        f"{sum(map(len, texts)) // len(texts)}); the decision is the top language and "
        f"whether it reaches min_confidence {settings.min_confidence}"
    )
    for run in dict.fromkeys(runs):
        same = sum(a == b for a, b in zip(answers[runs[0]], answers[run], strict=True))
        german = sum(a == "de" for a, _ in answers[run])
        print(
            f"  {run[0]:>5} characters, {run[1]} runs: {rates[run]:6.1f} articles/CPU-s "
            f"(x{rates[run] / rates[runs[0]]:.2f}), decides as 2,000 / 7 on "
            f"{same}/{len(texts)} (German: {german})"
        )
    off = settings.model_copy(update={"clear_function_words": 10**9})
    decided = {}
    for name, each in (("langdetect", off), ("with clear function words", settings)):
        started = time.process_time()
        decided[name] = [detect_language(t, "de", each).code for t in texts]
        rate = len(texts) / (time.process_time() - started)
        print(f"  the stage's decision, feed hint de, {name}: {rate:6.1f} articles/CPU-s")
    clear = sum(clearly_accepted(t, settings) is not None for t in texts)
    same = sum(a == b for a, b in zip(*decided.values(), strict=True))
    print(
        f"    decided by function words: {clear}/{len(texts)}; same decision: {same}/{len(texts)}"
    )
    started = time.process_time()
    for t in headlines:
        detect_language(t, None, settings)
    print(
        f"  headlines without a hint: {len(headlines) / (time.process_time() - started):.0f}/CPU-s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--german", type=int, default=500, help="German texts per corpus")
    args = parser.parse_args()
    settings = Settings().clean
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    groups: dict[tuple[str, str], list[str]] = {}
    de_long, de_short = german(args.german)
    groups[("de", "long")] = de_long
    groups[("de", "short")] = de_short + fixture["de"]["short"]
    for code, texts in fixture.items():
        if code.startswith("_") or code == "de":
            continue
        for kind in ("long", "short"):
            groups[(code, kind)] = texts.get(kind, [])
    print(f"{'set':<12} {'n':>5} {'chars':>6} {'detector':>9} {'no hint':>8} {'hint de':>8}")
    totals: dict[str, list[int]] = {}
    for (code, kind), texts in groups.items():
        if not texts:
            continue
        det = sum(
            max(
                _probabilities(t, settings.seed).items(),
                key=lambda kv: kv[1],
                default=("", 0),
            )[0]
            == code
            for t in texts
        )
        ok_none = sum(
            (detect_language(t, None, settings).code == "de") == (code == "de") for t in texts
        )
        ok_hint = sum(
            (detect_language(t, "de", settings).code == "de") == (code == "de") for t in texts
        )
        chars = sum(map(len, texts)) // len(texts)
        n = len(texts)
        print(
            f"{code + ' ' + kind:<12} {n:>5} {chars:>6} {det / n:>9.3f} {ok_none / n:>8.3f} "
            f"{ok_hint / n:>8.3f}"
        )
        total = totals.setdefault(kind, [0, 0, 0, 0])
        for i, v in enumerate((n, det, ok_none, ok_hint)):
            total[i] += v
    for kind, (n, det, ok_none, ok_hint) in totals.items():
        print(
            f"{'all ' + kind:<12} {n:>5} {'':>6} {det / n:>9.3f} {ok_none / n:>8.3f} "
            f"{ok_hint / n:>8.3f}"
        )
    cost(settings, args.german, groups[("de", "short")])


if __name__ == "__main__":
    main()
