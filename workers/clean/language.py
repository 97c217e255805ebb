"""Language identification: langdetect, seeded, with two helpers for short texts.

langdetect reads character n-grams and needs a few sentences: on a five-word headline
it answers "no", "af" or "tl" for German about one time in twenty-five. For short
texts without a feed hint the function words decide when they are clear ("der",
"und", "mit" against "the", "of", "le", "się"); otherwise a deterministic naive Bayes
over all the text's n-grams with langdetect's own profiles, among the few languages a
German news stream meets; when that says foreign, a German lexicon has a second
opinion on its words (workers/clean/lexicon.py), also against a single foreign function
word among German ones (a loan: "Olympia live: ... schlagen ..."). A short quoted name in
another language ("'Game of Thrones'-Star stirbt") and the letters of a foreign name
("César") do not vote. A text of a single word cannot be
decided at all and is "und" (undetermined), which the clean stage rejects with its own
reason, not as a wrong language. A longer text whose function words are plainly those of
an accepted language is that language without asking langdetect, which would only agree
(on 1,850 corpus items it did, every time) and costs most of what an item costs.
"""

from __future__ import annotations

import math
import re
import threading
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langdetect import DetectorFactory, detector_factory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

from workers.clean.lexicon import german_by_words
from workers.records import Lang
from workers.settings import CleanSettings

_profiles_lock = threading.Lock()
_profiles_loaded = False


def _load_profiles() -> None:
    """langdetect loads its profiles (1.5 s) into a global on first use, and two threads
    (the worker cleans off the event loop) could see them half loaded and answer "af".
    Loaded under a lock on first use, the worker's warm-up, not at import."""
    global _profiles_loaded
    if not _profiles_loaded:
        with _profiles_lock:
            if not _profiles_loaded:
                init_factory()
                _profiles_loaded = True


UNDETERMINED = "und"
WORD = re.compile(r"[^\W\d_]+")
COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
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

    def scores(self, text: str, names: bool = True) -> dict[str, int]:
        """Per language: its function words and the words with its own letters.

        With ``names=False`` a capitalised word after the first counts for no foreign
        language's letters: it is a name in every language here but German (which
        capitalises its nouns): "Atlético", "César", "Bayındır" in a German headline."""
        # an acronym ("UN", "EU") is no function word of any language
        # a hyphenated compound is one word, no function word ("Live-Ticker", "Top-Spiel")
        found = [t for t in COMPOUND.findall(text) if not (t.isupper() and len(t) > 1)]
        tokens = [t.lower() for t in found]
        lettered = [t.lower() for n, t in enumerate(found) if names or n == 0 or not t[0].isupper()]
        return {
            code: sum(t in words for t in tokens)
            + sum(
                any(c in self.letters[code] for c in t)
                for t in (tokens if code == "de" else lettered)
            )
            for code, words in self.words.items()
        }

    def vote(self, text: str) -> str | None:
        """The language with strictly the most function words and own letters (a name's
        letters aside), or None."""
        ranked = sorted(self.scores(text, names=False).items(), key=lambda kv: -kv[1])
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


#: a span in quotation marks: a title, a slogan, a quote ("The Way of Water", 'Game of Thrones')
QUOTED = re.compile(
    r"„[^“”\"\n]{1,80}[“”\"]|“[^”\n]{1,80}”|\"[^\"\n]{1,80}\"|»[^«\n]{1,80}«|«[^»\n]{1,80}»"
    r"|‚[^‘’\n]{1,80}[‘’]|(?<!\w)'[^'\n]{1,80}'(?!\w)"
)


QUOTE_MARKS = frozenset("„“\"»«‚'")


def unquoted(text: str, words: FunctionWords) -> str:
    """The text without the short quoted spans in another language, when three words are
    left outside them.

    A German headline quotes the English title of a film or a song ("'Game of Thrones'-Star
    stirbt an Krebs"): a name of at most five words in quotation marks whose function words
    are foreign and none German; the words around it are the headline's language. A quote
    in German ("'Er ist ein Star'") or a longer one (what someone said) stays."""

    def drop(found: re.Match[str]) -> str:
        span = found.group(0)
        scores = words.scores(span, names=False)
        foreign = any(n for code, n in scores.items() if code != "de")
        return " " if len(WORD.findall(span)) <= 5 and foreign and not scores["de"] else span

    if not QUOTE_MARKS.intersection(text):
        return text
    rest = QUOTED.sub(drop, text)
    return rest if rest != text and len(WORD.findall(rest)) >= 3 else text


def _foreign_count(words: FunctionWords, text: str) -> int:
    """How many function words and letters of languages other than German occur."""
    return sum(n for code, n in words.scores(text).items() if code != "de")


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


#: langdetect's own number of random-sampling runs per text
LANGDETECT_TRIALS = 7


def _probabilities(
    sample: str, seed: int, chars: int = 500, trials: int = LANGDETECT_TRIALS
) -> dict[str, float]:
    """langdetect's probabilities for the first ``chars`` characters, over ``trials``
    random-sampling runs (each run is most of its cost)."""
    _load_profiles()
    DetectorFactory.seed = seed
    detector = detector_factory._factory.create()
    detector.n_trial = trials
    try:
        detector.append(sample[:chars])
        return {c.lang: c.prob for c in detector.get_probabilities()}
    except LangDetectException:  # no letters, only digits and punctuation
        return {}


#: the smoothing of an n-gram a language's profile lacks
UNSEEN = 1e-6


def _ngrams(text: str) -> Iterator[str]:
    """langdetect's 1- to 3-grams of the text, normalised as its detector does."""
    grams = NGram()
    for char in f" {text} ":
        grams.add_char(char)
        for n in (1, 2, 3):
            gram = grams.get(n)
            if gram and gram != " ":
                yield gram


def short_text_probabilities(sample: str, among: Sequence[str]) -> dict[str, float]:
    """Naive Bayes over every n-gram of a short text with langdetect's own profiles,
    restricted to the languages ``among``.

    langdetect samples n-grams at random and smooths for long texts; on a headline its
    answer flips between "no", "af" and "de" with the seed. Scoring all n-grams of so
    short a text is cheap and the same every time.
    """
    _load_profiles()
    factory = detector_factory._factory
    index = [(code, factory.langlist.index(code)) for code in among if code in factory.langlist]
    scores = dict.fromkeys((code for code, _ in index), 0.0)
    seen = False
    for gram in _ngrams(sample):
        probs = factory.word_lang_prob_map.get(gram)
        if probs is None:
            continue
        seen = True
        for code, i in index:
            scores[code] += math.log(probs[i] + UNSEEN)
    if not seen or not scores:
        return {}
    top = max(scores.values())
    weights = {code: math.exp(score - top) for code, score in scores.items()}
    total = sum(weights.values())
    return {code: w / total for code, w in weights.items()}


def clearly_accepted(sample: str, settings: CleanSettings) -> Lang | None:
    """An accepted language whose function words fill the text, with few of any other
    language's: langdetect, the largest part of what an item costs, would say the same."""
    words = load_function_words(settings.function_words_file or FUNCTION_WORDS_FILE)
    scores = words.scores(sample[: settings.detection_chars])
    for code in settings.accept_languages:
        own = scores.get(code, 0)
        others = max((n for other, n in scores.items() if other != code), default=0)
        if own >= settings.clear_function_words and (
            others * settings.clear_function_word_ratio <= own
        ):
            return Lang(code=code, confidence=round(own / (own + others), 4))
    return None


def detect_language(sample: str, hint: str | None, settings: CleanSettings) -> Lang:
    """Detect the language; below the length or confidence bar, trust the feed's hint.

    With method "feed" the confidence is what langdetect gave the hinted language
    (0.0 when the text was too short to ask it). Without a hint, a short Latin-script
    text goes by its function words when they are clear, by its n-grams otherwise; one
    of fewer than ``min_words_without_hint`` words is undetermined. With a hint, a short
    text whose function words and n-grams agree on another language is that language.
    A longer text plainly in an accepted language's function words is that language
    without langdetect (:func:`clearly_accepted`).
    """
    hint = (hint or "").replace("_", "-").split("-")[0].strip().lower() or None
    long_enough = len(sample) >= settings.min_chars_for_detection
    latin = _latin_share(sample) >= 0.5
    if hint in LATIN_SCRIPT_LANGUAGES and not latin:
        hint = None  # a Cyrillic or Greek headline is not German, however short
    if not hint and len(WORD.findall(sample)) < settings.min_words_without_hint:
        return Lang(code=UNDETERMINED, confidence=0.0, method="default")
    if latin and len(sample) < settings.short_text_chars:
        words = load_function_words(settings.function_words_file or FUNCTION_WORDS_FILE)
        sample = unquoted(sample, words)
        vote = words.vote(sample)
        scored = short_text_probabilities(sample, settings.short_text_languages)
        best = max(scored, key=scored.__getitem__, default=UNDETERMINED)
        if not hint:
            code = vote or best
            ask = code != "de" and settings.lexicon_min_share > 0
            # no foreign function word spoke, or one (a loan: "live") among at least two
            # words written small: the words themselves may (lexicon.py)
            foreign = _foreign_count(words, sample)
            small = sum(t[0].islower() for t in WORD.findall(sample))
            if ask and (foreign == 0 or (foreign == 1 and small >= 2)):
                share, logp = settings.lexicon_min_share, settings.lexicon_min_logp
                if german_by_words(sample, logp, share):
                    return Lang(code="de", confidence=round(scored.get("de", 0.0), 4))
            return Lang(code=code, confidence=round(scored.get(code, 0.0), 4))
        counts = words.scores(sample) if vote and vote != hint else {}
        if counts and best == vote and counts[vote] >= 2 and not counts.get(hint):
            # the feed says German; two English words, none German, and the letters agree
            return Lang(code=vote, confidence=round(scored[vote], 4))
    clear = clearly_accepted(sample, settings) if long_enough and latin else None
    if clear is not None:
        return clear
    probs: dict[str, float] = {}
    if long_enough or not hint:
        short = len(sample) < settings.short_text_chars
        trials = LANGDETECT_TRIALS if short else settings.detection_trials
        probs = _probabilities(sample, settings.seed, settings.detection_chars, trials)
    if probs:
        code, prob = max(probs.items(), key=lambda kv: kv[1])
        if not hint or (long_enough and prob >= settings.min_confidence):
            return Lang(code=code, confidence=round(prob, 4))
    if hint:
        return Lang(code=hint, confidence=round(probs.get(hint, 0.0), 4), method="feed")
    return Lang(code=UNDETERMINED, confidence=0.0, method="default")
