"""What dedup compares: normalized words, word shingles as integers, keys of titles and texts.

Normalization folds case, umlauts and ß (``Strasse`` = ``Straße``, ``Mueller`` = ``Müller``)
and drops punctuation and quote marks, so spelling, quote and typesetting variants of a text
give the same words. Shingle hashes are stable across processes (CRC-32, not Python's salted
``hash``): signatures written by one worker are compared by another.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

WORD = re.compile(r"\w+")
FOLD = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"))  # casefold() already made ß into ss

#: Marks that say how an item is published, not what it reports: "+++ Liveblog +++",
#: "dpa: ", "Eilmeldung - ", "(AFP)". Headline-only items compare titles without them.
TITLE_MARKS = re.compile(
    r"""(?ix)
    \+\+\+[^+]{0,60}\+\+\+                                      # +++ Liveblog +++, +++ Eil +++
    | ^\W*(?:dpa|afp|ap|reuters|kna|epd|sid|dts|apa|rtr)(?:[-/ ]\w+)?\s*[:|–-]\s+  # dpa: X
    | \((?:dpa|afp|ap|reuters|kna|epd|sid|dts|apa)(?:[-/ ]\w+)?\)  # (dpa)
    | ^\W*(?:eilmeldung|breaking|liveblog|live-?ticker|ticker|newsblog|live|exklusiv|video|
        kommentar|analyse|update|aktualisiert)\s*[:|–-]\s*       # Liveblog: X
    | \s[|–-]\s*(?:liveblog|live-?ticker|newsblog|live|video)\W*$  # X - Liveblog
    """
)

#: Odd 64-bit multipliers that combine three word hashes into one shingle hash.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def words(text: str) -> list[str]:
    text = text.casefold()
    for umlaut, spelled in FOLD:  # str.replace beats str.translate on long texts
        text = text.replace(umlaut, spelled)
    return WORD.findall(text)


def content_hash(text: str) -> str:
    """SHA-256 over the normalized words: the same article re-typeset hashes the same."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


def title_key(title: str) -> str:
    """The title's words without publishing marks: "dpa: X" and "+++ Liveblog +++ X" are "x"."""
    previous = None
    while previous != title:  # marks can be stacked: "+++ Eil +++ dpa: X"
        previous, title = title, TITLE_MARKS.sub(" ", title).strip()
    return " ".join(words(title))


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """The distinct hashes (uint64 < 2**32) of the ``size``-word shingles of ``tokens``."""
    if len(tokens) < size:
        return np.empty(0, dtype=np.uint64)
    token_hashes = np.fromiter(
        (zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens)
    )
    n = len(tokens) - size + 1
    mixed = np.zeros(n, dtype=np.uint64)
    for offset in range(size):
        mixed += token_hashes[offset : offset + n] * _MIX[offset % len(_MIX)]
    return np.unique(mixed >> np.uint64(32))
