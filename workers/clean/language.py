"""Language identification: langdetect, seeded, with the feed's word for short texts."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

from workers.records import Lang
from workers.settings import CleanSettings

# langdetect loads its profiles lazily into a global on first use; two threads
# (the worker cleans off the event loop) could see it half loaded and answer "af".
init_factory()

#: langdetect's cost grows with length; this much text decides reliably.
SAMPLE_CHARS = 2000
#: without a feed hint, even a short text is worth a (low-confidence) guess
MIN_CHARS_WITHOUT_HINT = 12


#: languages written in Latin script: a hint for one of them cannot cover another script
LATIN_SCRIPT_LANGUAGES = frozenset(
    {"de", "en", "fr", "nl", "it", "es", "pt", "pl", "cs", "sk", "sl", "hr", "da", "sv"}
    | {"no", "fi", "et", "lv", "lt", "hu", "ro", "tr", "sq", "af", "ca"}
)


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


def _probabilities(sample: str, seed: int) -> dict[str, float]:
    DetectorFactory.seed = seed
    try:
        return {c.lang: c.prob for c in detect_langs(sample[:SAMPLE_CHARS])}
    except LangDetectException:  # no letters, only digits and punctuation
        return {}


def detect_language(sample: str, hint: str | None, settings: CleanSettings) -> Lang:
    """Detect the language; below the length or confidence bar, trust the feed's hint.

    With method "feed" the confidence is what langdetect gave the hinted language
    (0.0 when the text was too short to ask it).
    """
    hint = (hint or "").replace("_", "-").split("-")[0].strip().lower() or None
    long_enough = len(sample) >= settings.min_chars_for_detection
    if hint in LATIN_SCRIPT_LANGUAGES and _latin_share(sample) < 0.5:
        hint = None  # a Cyrillic or Greek headline is not German, however short
    probs: dict[str, float] = {}
    if long_enough or (not hint and len(sample) >= MIN_CHARS_WITHOUT_HINT):
        probs = _probabilities(sample, settings.seed)
    if probs:
        code, prob = max(probs.items(), key=lambda kv: kv[1])
        if not hint or (long_enough and prob >= settings.min_confidence):
            return Lang(code=code, confidence=round(prob, 4))
    if hint:
        return Lang(code=hint, confidence=round(probs.get(hint, 0.0), 4), method="feed")
    return Lang(code="und", confidence=0.0, method="default")
