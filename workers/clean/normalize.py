"""Unicode and whitespace normalization that keeps paragraphs."""

from __future__ import annotations

import re
import unicodedata

#: soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, LTR/RTL marks
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"))
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\u2029")
LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\x0b\x0c\x85]")
SPACE_RUN = re.compile(r"\s+")
#: C0 controls (tab and line breaks aside), DEL and lone surrogates: never text
JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def clean_chars(text: str) -> str:
    """NFC with invisible characters removed; typographic quotes and dashes stay."""
    return unicodedata.normalize("NFC", JUNK.sub("", text)).translate(INVISIBLE)


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, whitespace folded inside paragraphs.

    Paragraphs are separated by exactly one blank line. Typographic quotes and
    dashes are kept; HTML entities are not touched (they were decoded once, by
    the feed parser or the extractor).
    """
    text = clean_chars(text)
    paragraphs = (SPACE_RUN.sub(" ", p).strip() for p in PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def text_blocks(text: str, lines_are_paragraphs: bool = False) -> list[list[str]]:
    """Paragraphs as lists of lines, each line normalized and whitespace-folded.

    Blank lines separate paragraphs; with ``lines_are_paragraphs`` (extractor output:
    one block per line) every line is a paragraph of its own.
    """
    text = LINE_BREAK.sub("\n", clean_chars(text))
    chunks = text.split("\n") if lines_are_paragraphs else PARAGRAPH_BREAK.split(text)
    blocks = []
    for chunk in chunks:
        lines = [SPACE_RUN.sub(" ", line).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def fold_line(text: str) -> str:
    """One line: normalized, all whitespace (line breaks too) folded to single spaces."""
    return SPACE_RUN.sub(" ", clean_chars(text)).strip()


def split_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]
