"""Language identification: langdetect, seeded, with two helpers for short texts.

langdetect reads character n-grams and needs a few sentences: on a five-word headline
it answers "no", "af" or "tl" for German about one time in twenty-five. For short
texts without a feed hint the function words decide when they are clear ("der",
"und", "mit" against "the", "of", "le", "się"); a text of a single word cannot be
decided at all and is "und" (undetermined), which the clean stage rejects with its
own reason, not as a wrong language.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langdetect import DetectorFactory, detect_langs, detector_factory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

from workers.records import Lang
from workers.settings import CleanSettings

# langdetect loads its profiles lazily into a global on first use; two threads
# (the worker cleans off the event loop) could see it half loaded and answer "af".
init_factory()

UNDETERMINED = "und"
WORD = re.compile(r"[^\W\d_]+")
FUNCTION_WORDS_FILE = Path(__file__).parent / "data" / "function_words.toml"

#: languages written in Latin script: a hint for one of them cannot cover another script
LATIN_SCRIPT_LANGUAGES = frozenset(
    {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "cs", "sk", "sl", "hr", "da", "sv"}
    | {"no", "fi", "et", "lv", "lt", "hu", "ro", "tr", "sq", "af", "ca"}
)


@dataclass(frozen=True)
class FunctionWords:
    """Per language: words that speak for it and against the others, and its own letters."""

    words: dict[str, frozenset[str]]
    letters: dict[str, frozenset[str]]

    def vote(self, text: str) -> str | None:
        """The language with strictly the most function words and own letters, or None."""
        # an acronym ("UN", "EU") is no function word of any language
        tokens = [t.lower() for t in WORD.findall(text) if not (t.isupper() and len(t) > 1)]
        scores = {
            code: sum(t in words for t in tokens)
            + sum(any(c in self.letters[code] for c in t) for t in tokens)
            for code, words in self.words.items()
        }
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]


@cache
def load_function_words(path: Path = FUNCTION_WORDS_FILE) -> FunctionWords:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    words, letters = {}, {}
    for code, entry in data.items():
        words[code] = frozenset(w.lower() for w in entry.get("words", []))
        letters[code] = frozenset(entry.get("letters", ""))
    return FunctionWords(words, letters)


def _latin_share(text: str) -> float:
    """Share of letters that are Latin (ASCII or Latin-1/Extended), 1.0 without letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(c < "\u0250" for c in letters) / len(letters)


def language_sample(title: str, teaser: str | None, body: str) -> str:
    """Title, teaser and body, without repeating a teaser the body already starts with."""
    parts = [title]
    if teaser and teaser[:80] not in body:
        parts.append(teaser)
    parts.append(body)
    return "\n\n".join(p for p in parts if p)


def _probabilities(
    sample: str, seed: int, chars: int = 500, among: Collection[str] = ()
) -> dict[str, float]:
    """langdetect's probabilities for the first ``chars`` characters, restricted to the
    languages ``among`` when given (a prior of zero for every other)."""
    DetectorFactory.seed = seed
    try:
        if not among:
            return {c.lang: c.prob for c in detect_langs(sample[:chars])}
        detector = detector_factory._factory.create()
        detector.set_prior_map({code: 1.0 for code in among})
        detector.append(sample[:chars])
        return {c.lang: c.prob for c in detector.get_probabilities() if c.prob > 0}
    except LangDetectException:  # no letters, only digits and punctuation
        return {}


def detect_language(sample: str, hint: str | None, settings: CleanSettings) -> Lang:
    """Detect the language; below the length or confidence bar, trust the feed's hint.

    With method "feed" the confidence is what langdetect gave the hinted language
    (0.0 when the text was too short to ask it). Without a hint, a short Latin-script
    text goes by its function words when they are clear, by langdetect otherwise; one
    of fewer than ``min_words_without_hint`` words is undetermined.
    """
    hint = (hint or "").replace("_", "-").split("-")[0].strip().lower() or None
    long_enough = len(sample) >= settings.min_chars_for_detection
    latin = _latin_share(sample) >= 0.5
    if hint in LATIN_SCRIPT_LANGUAGES and not latin:
        hint = None  # a Cyrillic or Greek headline is not German, however short
    if not hint and len(WORD.findall(sample)) < settings.min_words_without_hint:
        return Lang(code=UNDETERMINED, confidence=0.0, method="default")
    short = not hint and latin and len(sample) < settings.short_text_chars
    probs: dict[str, float] = {}
    if long_enough or not hint:
        among = settings.short_text_languages if short else ()
        probs = _probabilities(sample, settings.seed, settings.detection_chars, among)
    if short:
        words = settings.function_words_file
        vote = load_function_words(words or FUNCTION_WORDS_FILE).vote(sample)
        if vote is not None:
            return Lang(code=vote, confidence=round(probs.get(vote, 0.0), 4))
    if probs:
        code, prob = max(probs.items(), key=lambda kv: kv[1])
        if not hint or (long_enough and prob >= settings.min_confidence):
            return Lang(code=code, confidence=round(prob, 4))
    if hint:
        return Lang(code=hint, confidence=round(probs.get(hint, 0.0), 4), method="feed")
    return Lang(code=UNDETERMINED, confidence=0.0, method="default")
