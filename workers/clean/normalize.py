"""Unicode and whitespace normalization that keeps paragraphs."""

from __future__ import annotations

import re
import unicodedata

#: soft hyphen, zero-width space/joiners, word joiner, BOM
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\u2029")
SPACE_RUN = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, whitespace folded inside paragraphs.

    Paragraphs are separated by exactly one blank line. Typographic quotes and
    dashes are kept; HTML entities are not touched (they were decoded once, by
    the feed parser or the extractor).
    """
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    paragraphs = (SPACE_RUN.sub(" ", p).strip() for p in PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def split_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]
