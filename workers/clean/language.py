"""Language identification: langdetect, seeded, with the feed's word for short texts."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from workers.records import Lang
from workers.settings import CleanSettings

#: langdetect's cost grows with length; this much text decides reliably.
SAMPLE_CHARS = 3000


def detect_language(sample: str, hint: str | None, settings: CleanSettings) -> Lang:
    """Detect the language; below the length or confidence bar, trust the feed's hint."""
    hint = (hint or "").split("-")[0].lower() or None
    detected: Lang | None = None
    if len(sample) >= settings.min_chars_for_detection:
        DetectorFactory.seed = settings.seed
        try:
            best = detect_langs(sample[:SAMPLE_CHARS])[0]
            detected = Lang(code=best.lang, confidence=round(best.prob, 4))
        except LangDetectException:
            detected = None
    if detected is not None and (detected.confidence >= settings.min_confidence or not hint):
        return detected
    if hint:
        return Lang(code=hint, confidence=detected.confidence if detected else 0.0, method="feed")
    return Lang(code="und", confidence=0.0, method="default")
