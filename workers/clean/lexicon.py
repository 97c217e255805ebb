"""A second opinion on a short text called foreign: are its words German words?

Character n-grams decide a headline by a handful of letters, and names weigh as much as
words: "Selenskyj-Berater plant Gegenoffensive, Tote in Charkiw" reads Dutch to them,
"Putins Optionen" English. A lexicon reads words. HanTa's German morphological model
(a dependency already, shipped in its wheel, no download) knows some 23,000 word forms
and analyses the rest by their morphemes, with a log-probability that is low for a
word it cannot build ("opens", "zwalnia": about -30).

A short text in which no foreign function word speaks against German is German by its
words when it has lowercase words (verbs, adjectives, particles: the words a German
headline writes small) and every one is German; names do not count, they belong to no
language. A text without lowercase words (a title-case English headline, "Putins
Optionen") needs at least ``min_share`` of its words German, names counting against.
Only the texts the first decision calls foreign are asked, so its cost (a dictionary
look-up per word, a millisecond for a word the model has not seen) falls on few items.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workers.hanta import german

WORD = re.compile(r"[^\W\d_]+")
#: HanTa's tags of words that are not German words: a name, foreign material, a symbol
NOT_WORDS = frozenset({"NE", "FM", "XY"})
#: a compound's head (its last part, a known common noun) has at least these letters
MIN_HEAD = 4


def _compound(low: str) -> bool:
    """Ends in a common noun the lexicon holds: "charme|offensive", "raketen|alarm"."""
    tagger = german()
    for i in range(3, len(low) - MIN_HEAD + 1):
        tags = tagger.cache.get(low[i:])
        if tags and tagger.int2tag[tags[0][0]] == "NN":
            return True
    return False


@lru_cache(maxsize=50_000)
def german_word(token: str, min_logp: float) -> bool:
    """The lexicon's word form, a compound of its nouns, or a form it analyses well."""
    tagger = german()
    low = token.lower()
    tags = tagger.cache.get(low)
    if tags:
        # a word written small is a word if any reading is ("essen", not only the city)
        readings = tags if token[0].islower() else tags[:1]
        return any(tagger.int2tag[tag] not in NOT_WORDS for tag, _ in readings)
    if len(low) >= 3 + MIN_HEAD and _compound(low):
        return True
    tag, logp = tagger.tag_word(token)[0]
    return tag not in NOT_WORDS and float(logp) >= min_logp


def german_by_words(text: str, min_logp: float, min_share: float) -> bool:
    """Whether the words of a short text are German enough to overrule its n-grams (the
    caller has found no foreign function word in it)."""
    words = [t for t in WORD.findall(text) if len(t) > 1]
    if not words:
        return False
    german = [german_word(t, min_logp) for t in words]
    lowercase = [ok for t, ok in zip(words, german, strict=True) if t[0].islower()]
    if not all(lowercase):
        return False
    if lowercase:
        return True  # German words written small, and no other: names do not count
    return sum(german) >= max(1.0, min_share * len(words))
